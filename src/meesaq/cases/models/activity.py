"""What is done on a case: the actions timeline and the attached files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.crypto.fields import EncryptedTextField


class ActionKind(models.TextChoices):
    NOTE = "note", _("Note")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    FIR = "fir", _("FIR registered")
    PROTECTION = "protection", _("Protection measure")
    MEDIATION = "mediation", _("Mediation")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SUPPORT = "support", _("Medical or psychosocial support")
    FOLLOW_UP = "follow_up", _("Follow-up")
    DOCUMENT = "document", _("Document")


class CaseAction(models.Model):
    """One entry on the timeline. Never edited: a correction is a new entry pointing to the old."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    occurred_on = models.DateField(_("date"))
    # No author for information the complainant added through the public portal or a message.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    from_complainant = models.BooleanField(_("from the complainant"), default=False)
    # Staff choose to publish a note to the complainant's tracking page; private by default.
    public = models.BooleanField(_("shown to the complainant"), default=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Notes name people and places: encrypted like the narrative.
    note = EncryptedTextField(_("note"), blank=True)
    next_action_on = models.DateField(_("next action by"), null=True, blank=True)
    fir_number = models.CharField(_("FIR number"), max_length=50, blank=True)
    police_station = models.CharField(_("police station"), max_length=150, blank=True)
    law_sections = models.CharField(_("sections of law"), max_length=200, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects the entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )

    class Meta:
        ordering = ["occurred_on", "created_at", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class Attachment(models.Model):
    """A file on a case, stored encrypted; its name is encrypted too (names often hold names)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    action = models.ForeignKey(
        CaseAction, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    # No uploader for files the complainant sent through the public portal.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    from_complainant = models.BooleanField(_("from the complainant"), default=False)
    original_name = EncryptedTextField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    # Random name of the encrypted blob under MEDIA_ROOT; never derived from the upload.
    storage_name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.pk}"
