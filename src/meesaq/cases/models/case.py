"""A case: one complaint or reported incident, owned by an organisation, placed in a district."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meesaq.core.models import TimeStampedModel
from meesaq.crypto.fields import EncryptedTextField


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone or helpline")
    PORTAL = "portal", _("Public web portal")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    LETTER = "letter", _("Letter")
    REFERRAL = "referral", _("Referral from police or an NGO")
    MEDIA = "media", _("Media report (suo motu)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    REGISTERED = "registered", _("Registered")
    IN_ACTION = "in_action", _("In action")
    RESOLVED = "resolved", _("Resolved")
    CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
    CLOSED = "closed", _("Closed")
    NOT_IN_MANDATE = "not_in_mandate", _("Not in mandate")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REOPENED = "reopened", _("Reopened")


class Moderation(models.TextChoices):
    """Whether staff take a complaint as real; spam is kept, never deleted."""

    ACCEPTED = "accepted", _("Accepted")
    SPAM = "spam", _("Marked as spam")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


class Case(TimeStampedModel):
    """One complaint. The narrative is encrypted; the title is written without names."""

    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    district = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    tehsil = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("tehsil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tehsil_cases",
    )
    # The district's materialised path, copied so that jurisdiction scoping is one indexed
    # prefix filter on this table (no join) at a million cases.
    jurisdiction_path = models.CharField(max_length=100, editable=False, db_index=True)
    police_station = models.CharField(_("police station"), max_length=150, blank=True)
    place = EncryptedTextField(_("place (free text)"), blank=True, max_length=300)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    received_at = models.DateTimeField(_("received at"))
    incident_on = models.DateField(_("date of the incident"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.PROTECT
    )
    groups = models.ManyToManyField(
        "cases.AffectedGroup", verbose_name=_("affected groups"), blank=True
    )
    title = models.CharField(
        _("short title"),
        max_length=150,
        help_text=_("A few words about what happened, without any names."),
    )
    narrative = EncryptedTextField(_("what happened"), blank=True)
    consent_contact = models.BooleanField(_("may be contacted by SMS or phone"), default=False)
    consent_share = models.BooleanField(
        _("details may be shared with partner organisations"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # The risk checklist that sets the priority.
    risk_threat_to_life = models.BooleanField(_("threat to life"), default=False)
    risk_ongoing_violence = models.BooleanField(_("ongoing violence"), default=False)
    risk_child_involved = models.BooleanField(_("a child is involved"), default=False)
    risk_mob_threat = models.BooleanField(_("mob threat"), default=False)
    risk_displacement = models.BooleanField(_("displacement"), default=False)
    priority_reason = models.CharField(
        _("reason for changing the priority"), max_length=300, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_cases",
    )
    recorded_on_behalf = models.BooleanField(
        _("recorded on behalf of the complainant"),
        default=False,
        help_text=_("For example a helpline call or a complainant who cannot write."),
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    outcome = models.ForeignKey(
        "cases.Outcome",
        verbose_name=_("outcome"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Public complaints can be abuse: staff mark them as spam instead of deleting anything.
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.ACCEPTED
    )
    first_action_at = models.DateTimeField(_("first action at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The case list's default order, and its keyset pagination.
            models.Index(fields=["-received_at", "-id"], name="case_received"),
            models.Index(fields=["organisation", "-received_at"], name="case_org_received"),
            models.Index(fields=["status", "-received_at"], name="case_status_received"),
            models.Index(fields=["assigned_to", "status"], name="case_assigned_status"),
            models.Index(fields=["jurisdiction_path", "-received_at"], name="case_place_received"),
        ]

    def __str__(self) -> str:
        return self.reference

    # Django's generated get_FOO_display() rebuilds a dict of lazy labels on every call (a
    # tenth of a millisecond each); lists and exports call these for every row.
    def get_status_display(self) -> str:  # type: ignore[no-redef]  # replaces Django's own
        """Return the status's label in the active language."""
        return _choice_label(Status, self.status)

    def get_priority_display(self) -> str:  # type: ignore[no-redef]  # replaces Django's own
        """Return the priority's label in the active language."""
        return _choice_label(Priority, self.priority)

    def get_channel_display(self) -> str:  # type: ignore[no-redef]  # replaces Django's own
        """Return the channel's label in the active language."""
        return _choice_label(Channel, self.channel)

    def get_absolute_url(self) -> str:
        """Return the case page, where every part's form comes back to."""
        return reverse("cases:detail", kwargs={"reference": self.reference})


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class ReferenceCounter(models.Model):
    """The last number used for references with one prefix (province-district-year).

    Locked with SELECT … FOR UPDATE while a reference is taken, so concurrent intakes never get
    the same number.
    """

    prefix = models.CharField(max_length=24, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}:{self.last_number}"


class CaseTransition(models.Model):
    """One step of a case's workflow: from which status to which, by whom, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"
