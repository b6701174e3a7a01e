"""Referrals (another organisation acts on a case) and transfers (the case changes owner)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.core.models import TimeStampedModel


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INFO_REQUESTED = "info_requested", _("More information requested")
    IN_SERVICE = "in_service", _("Services being delivered")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REFERRAL_STATUSES = frozenset(
    {
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.INFO_REQUESTED,
        ReferralStatus.IN_SERVICE,
    }
)


class SharedField(models.TextChoices):
    """What a referral may share; the last two carry identity and need the consent to share."""

    CATEGORY = "category", _("Category")
    TITLE = "title", _("Short title")
    DISTRICT = "district", _("District")
    PRIORITY = "priority", _("Priority")
    INCIDENT_ON = "incident_on", _("Date of the incident")
    NARRATIVE = "narrative", _("What happened (narrative)")
    PEOPLE = "people", _("People's names and contact details")


IDENTITY_SHARED_FIELDS = frozenset({SharedField.NARRATIVE, SharedField.PEOPLE})


class Referral(TimeStampedModel):
    """A request that another organisation act on a case, sharing only the chosen fields."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    reason = models.TextField(_("reason for the referral"), max_length=2000)
    shared_fields = models.JSONField(_("shared fields"), default=list, blank=True)
    identity_shared = models.BooleanField(_("identity shared"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    complete_by = models.DateTimeField(_("complete by"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("continues the referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onward",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_to_status"),
            models.Index(fields=["from_organisation", "status"], name="referral_from_status"),
            models.Index(fields=["status", "acknowledge_by"], name="referral_ack_due"),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"

    @property
    def is_open(self) -> bool:
        """Say whether the referral still waits for its end (completion, decline, withdrawal)."""
        return self.status in OPEN_REFERRAL_STATUSES


class EventKind(models.TextChoices):
    SENT = "sent", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INFO_REQUESTED = "info_requested", _("Asked for more information")
    ANSWERED = "answered", _("Answered")
    SERVICE = "service", _("Service delivered")
    COMPLETED = "completed", _("Completed with an outcome")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReferralEvent(models.Model):
    """One step of the conversation between the two organisations on a referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    # For services: the day it was delivered.
    on = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.kind}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Transfer(TimeStampedModel):
    """A move of a case's ownership to another organisation, once its supervisor accepts."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    reason = models.TextField(_("reason for the transfer"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TransferStatus.choices,
        default=TransferStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="requested"),
                name="transfer_one_pending_per_case",
            )
        ]
        indexes = [models.Index(fields=["from_organisation", "status"], name="transfer_from")]

    def __str__(self) -> str:
        return f"T-{self.pk}"
