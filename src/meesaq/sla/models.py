"""Service-level deadlines: the working calendar, deadline rules, per-case clocks, call-backs,
escalations and colleagues following a case.

Configuration lives in rows an administrator can change: ``SlaSettings`` (one row: the weekend,
office hours and the escalation delays), ``Holiday`` (holidays added to the public holidays of
the ``holidays`` package) and ``DeadlineRule`` (durations per category and priority; the most
specific rule wins, seeded with SPEC.md's defaults).
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.cases.models import Priority

SUNDAY = 6


def validate_weekend(value: str) -> None:
    """Accept weekday numbers (Monday 0 … Sunday 6) separated by commas, or nothing."""
    parts = [part.strip() for part in value.split(",") if part.strip()]
    valid = all(part.isdigit() and 0 <= int(part) <= SUNDAY for part in parts)
    if not valid or len(parts) > SUNDAY:
        raise ValidationError(
            _("Give the weekend as weekday numbers from 0 (Monday) to 6 (Sunday), like 5,6."),
            code="weekend",
        )


class SlaSettings(models.Model):
    """The one row of calendar and escalation settings (created with the defaults)."""

    SINGLETON = 1

    weekend_days = models.CharField(
        _("weekend days"),
        max_length=20,
        default="5,6",
        validators=[validate_weekend],
        help_text=_("Weekday numbers, 0 = Monday … 6 = Sunday. Government offices: 5,6."),
    )
    office_opens = models.TimeField(_("office opens"), default=time(9, 0))
    office_closes = models.TimeField(_("office closes"), default=time(17, 0))
    division_after_days = models.PositiveSmallIntegerField(
        _("escalate to the division after (working days overdue)"), default=2
    )
    province_after_days = models.PositiveSmallIntegerField(
        _("escalate to the province after (working days overdue)"), default=5
    )

    class Meta:
        verbose_name = _("deadline settings")
        verbose_name_plural = _("deadline settings")

    def __str__(self) -> str:
        return str(_("Deadline settings"))

    def clean(self) -> None:
        if self.office_closes <= self.office_opens:
            raise ValidationError(_("The office must close after it opens."), code="office_hours")

    @property
    def weekend(self) -> frozenset[int]:
        """Return the weekend as weekday numbers."""
        return frozenset(int(part) for part in self.weekend_days.split(",") if part.strip())

    @classmethod
    def current(cls) -> SlaSettings:
        """Return the settings row, created with the defaults when missing."""
        row, _created = cls.objects.get_or_create(pk=cls.SINGLETON)
        return row


class Holiday(models.Model):
    """A day off added by an administrator (public holidays come from the holidays package)."""

    date = models.DateField(_("date"), unique=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name_en}"


class DeadlineRule(models.Model):
    """How long each step may take for a priority (and optionally one category).

    First contact is counted in office hours; first action and referral acknowledgement in
    hours where each 24 is one working day; the stage and resolution clocks in working days.
    """

    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty for every category."),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    first_contact_hours = models.PositiveSmallIntegerField(_("call back within (office hours)"))
    first_action_hours = models.PositiveSmallIntegerField(
        _("first action within (hours, 24 = one working day)")
    )
    stage_days = models.PositiveSmallIntegerField(_("each stage within (working days)"))
    resolution_days = models.PositiveSmallIntegerField(_("resolution within (working days)"))
    referral_ack_hours = models.PositiveSmallIntegerField(
        _("referral acknowledged within (hours, 24 = one working day)"), default=48
    )

    class Meta:
        ordering = ["category_id", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "priority"], name="sla_rule_category_priority"
            ),
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(category__isnull=True),
                name="sla_rule_default_priority",
            ),
        ]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")

    def __str__(self) -> str:
        return f"{self.category_id or '*'} {self.priority}"


class Deadline(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("call-back")
    FIRST_ACTION = "first_action", _("first action")
    STAGE = "stage", _("current stage")
    RESOLUTION = "resolution", _("resolution")


class CaseDeadlines(models.Model):
    """A case's computed due dates, refreshed by ``services.deadlines_refresh``."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="deadlines", primary_key=True
    )
    first_contact_due = models.DateTimeField()
    first_action_due = models.DateTimeField()
    stage_due = models.DateTimeField()
    resolution_due = models.DateTimeField()
    stage_started_at = models.DateTimeField()
    stage_status = models.CharField(max_length=20)
    stage_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    first_contact_at = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["resolution_due"], name="sla_resolution_due"),
            models.Index(fields=["stage_due"], name="sla_stage_due"),
            models.Index(fields=["first_action_due"], name="sla_first_action_due"),
        ]

    def __str__(self) -> str:
        return f"deadlines of case {self.case_id}"


class ContactResult(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    CONFIRMED = "confirmed", _("Complaint confirmed")
    FOUND_FALSE = "found_false", _("Complaint found false")


class FirstContact(models.Model):
    """A call-back to the complainant and its result."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField(_("called at"))
    result = models.CharField(_("result"), max_length=20, choices=ContactResult.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.result}"


class EscalationLevel(models.IntegerChoices):
    DISTRICT = 1, _("District supervisors")
    DIVISION = 2, _("Division supervisors")
    PROVINCE = 3, _("Provincial office")


class Escalation(models.Model):
    """A case sent up the jurisdiction ladder because a deadline passed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=Deadline.choices)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} level {self.level}"


class CaseSubscription(models.Model):
    """A colleague following a case."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_subscriptions"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "case"], name="sla_subscription_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.case_id}"
