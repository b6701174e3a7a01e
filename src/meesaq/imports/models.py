"""Bulk imports of cases and people: each run, and the external reference of each row imported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.crypto.fields import EncryptedTextField


class RunStatus(models.TextChoices):
    INVALID = "invalid", _("Problems found")
    READY = "ready", _("Checked, ready to import")
    QUEUED = "queued", _("Waiting to run")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Stopped, nothing imported")


class ImportRun(models.Model):
    """One uploaded file: checked (the dry run), then imported all or nothing."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(max_length=200)
    # The uploaded file, encrypted like attachments (it holds names and numbers); gone when done.
    storage_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices)
    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # The validation report (row, column, value, problem) as JSON, encrypted: values may be
    # names or CNICs. Problems are stored as codes and arguments and worded when shown, so the
    # report reads in the language of whoever opens it.
    report = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


class ImportedRecord(models.Model):
    """A row's external reference and the case it became: importing it again adds nothing."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    external_reference = models.CharField(max_length=100)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_reference"], name="imports_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return self.external_reference
