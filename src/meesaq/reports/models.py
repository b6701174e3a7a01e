"""Summary tables (de-identified facts and a daily cube), saved reports and monthly reports.

Nothing here holds identity: no names, numbers, narrative or free-text place, only the case's
dimensions (place, organisation, taxonomy, channel, status, priority) and its durations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def summary_key(to: str, *, null: bool = False) -> models.ForeignKey[models.Model]:
    """A summary table's link to a case dimension: no index of its own and no database
    constraint (the tables are rebuilt from the cases; checking a million links at commit
    doubled the full rebuild). Django still deletes the rows with the rows they point to."""
    return models.ForeignKey(
        to,
        null=null,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class CaseFact(models.Model):
    """One de-identified row per case: its dimensions and measured times, as of the refresh.

    The summary tables are derived data rebuilt from the cases: their foreign keys carry no
    database constraint (checking a million of each at commit doubled the full rebuild); Django
    still deletes their rows with the rows they point to.
    """

    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    organisation = summary_key("orgs.Organisation")
    district = summary_key("geo.AdminUnit")
    tehsil = summary_key("geo.AdminUnit", null=True)
    jurisdiction_path = models.CharField(max_length=100)
    category = summary_key("cases.Category")
    # The affected groups' codes as ",a,b," (sorted): exact counts without a many-to-many join.
    group_key = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    priority = models.CharField(max_length=10)
    outcome = summary_key("cases.Outcome", null=True)
    received_on = models.DateField()
    resolved_on = models.DateField(null=True)
    is_open = models.BooleanField()
    days_to_first_action = models.FloatField(null=True)
    days_to_resolution = models.FloatField(null=True)
    # True on time, False late (or still waiting past the deadline), None not yet due.
    first_action_on_time = models.BooleanField(null=True)
    resolution_on_time = models.BooleanField(null=True)
    # The latest answer of the complainant's satisfaction call or SMS ("" when none).
    satisfaction = models.CharField(max_length=20, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["jurisdiction_path", "received_on"], name="fact_place_received"),
            models.Index(fields=["organisation", "received_on"], name="fact_org_received"),
            models.Index(fields=["received_on"], name="fact_received"),
            models.Index(fields=["resolved_on"], name="fact_resolved"),
        ]

    def __str__(self) -> str:
        return f"fact of case {self.case_id}"


class CaseCube(models.Model):
    """The daily cube: facts summed by day and every dimension a dashboard filters by.

    A case adds to ``received`` (and its cohort measures) on the day it was received, and to
    ``resolved`` on the day it was resolved, each time with its own dimensions, so scoping by
    organisation and jurisdiction is a filter on this table as on cases. Status and priority are
    not in its grain: no figure filters by them (the builder reads the facts for those).
    """

    day = models.DateField()
    organisation = summary_key("orgs.Organisation")
    district = summary_key("geo.AdminUnit")
    tehsil = summary_key("geo.AdminUnit", null=True)
    jurisdiction_path = models.CharField(max_length=100)
    category = summary_key("cases.Category")
    group_key = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20)
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    first_action_on_time = models.PositiveIntegerField(default=0)
    first_action_late = models.PositiveIntegerField(default=0)
    resolution_on_time = models.PositiveIntegerField(default=0)
    resolution_late = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    partly_satisfied = models.PositiveIntegerField(default=0)
    not_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["jurisdiction_path", "day"], name="cube_place_day"),
            models.Index(fields=["organisation", "day"], name="cube_org_day"),
            models.Index(fields=["day"], name="cube_day"),
            # A dashboard narrowed by category and/or channel reads only those rows.
            models.Index(fields=["category", "channel", "day"], name="cube_category_channel_day"),
            models.Index(fields=["channel", "day"], name="cube_channel_day"),
        ]

    def __str__(self) -> str:
        return f"cube {self.day} {self.district_id}"


class Rollup(models.TextChoices):
    """Which dimensions a row of the rolled-up cube keeps (besides organisation and place)."""

    # Daily, by organisation and place only: totals, the time series, open cases by age.
    TOTAL = "total", "total"
    # Monthly, one row per value: received cases by category, channel or single affected group.
    CATEGORY = "category", "category"
    CHANNEL = "channel", "channel"
    GROUP = "group", "group"
    TEHSIL = "tehsil", "tehsil"


class CubeMargin(models.Model):
    """The cube summed over the dimensions a dashboard does not filter by.

    A dashboard narrowed only by period and place reads these few rows instead of the cube:
    the daily totals per organisation and place, and per month the received cases by each
    breakdown alone (category, channel, tehsil; a ``group`` row holds one group's code as
    ``,code,``, so a case with two groups counts in two rows, exactly as the breakdown by group
    counts it). The days of a partially covered month still come from the cube. Built from the
    cube by the refresh.
    """

    rollup = models.CharField(max_length=10, choices=Rollup.choices)
    # The day (``total`` rows) or the first day of the month (the breakdowns).
    day = models.DateField()
    organisation = summary_key("orgs.Organisation")
    district = summary_key("geo.AdminUnit")
    # Only on ``tehsil`` rows (the tehsils of a district's dashboard).
    tehsil = summary_key("geo.AdminUnit", null=True)
    jurisdiction_path = models.CharField(max_length=100)
    category = summary_key("cases.Category", null=True)
    group_key = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    received = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    first_action_on_time = models.PositiveIntegerField(default=0)
    first_action_late = models.PositiveIntegerField(default=0)
    resolution_on_time = models.PositiveIntegerField(default=0)
    resolution_late = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    partly_satisfied = models.PositiveIntegerField(default=0)
    not_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["rollup", "day"], name="margin_rollup_day"),
        ]

    def __str__(self) -> str:
        return f"margin {self.rollup} {self.day} {self.district_id}"


class FigureCache(models.Model):
    """The table of the ``figures`` cache (Django's database cache): computed dashboards.

    Shared by the web processes and the job worker, which fills it after every refresh.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "reports_figurecache"

    def __str__(self) -> str:
        return self.cache_key


class ReferralFact(models.Model):
    """One de-identified row per referral: who referred to whom, for what kind of case, when."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    from_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The case's owner and place: referral figures are scoped like the case's.
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    tehsil = models.ForeignKey(
        "geo.AdminUnit", null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    jurisdiction_path = models.CharField(max_length=100)
    category = models.ForeignKey(
        "cases.Category", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    group_key = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20)
    sent_on = models.DateField()
    status = models.CharField(max_length=20)
    acknowledged_on_time = models.BooleanField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["jurisdiction_path", "sent_on"], name="rfact_place_sent"),
            models.Index(fields=["organisation", "sent_on"], name="rfact_org_sent"),
        ]

    def __str__(self) -> str:
        return f"fact of referral {self.referral_id}"


class SummaryState(models.Model):
    """When the summary tables were last brought up to date (one row)."""

    SINGLETON = 1

    refreshed_at = models.DateTimeField(null=True)
    # Changes up to this moment are in the tables; the next incremental refresh starts here.
    watermark = models.DateTimeField(null=True)
    full_rebuild_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"summary as of {self.refreshed_at}"


class SavedReport(models.Model):
    """A table or chart someone built in the report builder, kept to run again."""

    name = models.CharField(_("name"), max_length=120)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_reports"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="saved_reports"
    )
    shared = models.BooleanField(_("share with my organisation"), default=False)
    # The builder's query string (rows, columns, measure, filters): re-validated on every run.
    definition = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")

    def __str__(self) -> str:
        return self.name


class PeriodicReport(models.Model):
    """A generated monthly report (PDF and XLSX), stored for access-checked download."""

    month = models.DateField(_("month"))
    place = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    # The place's materialised path: downloads are scoped by jurisdiction like cases.
    jurisdiction_path = models.CharField(max_length=100)
    language = models.CharField(_("language"), max_length=5)
    pdf = models.BinaryField()
    xlsx = models.BinaryField()
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "jurisdiction_path", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "place", "language"], name="periodic_report_unique"
            )
        ]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"{self.place_id} {self.month:%Y-%m} {self.language}"
