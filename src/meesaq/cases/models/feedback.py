"""Closing the loop: the complainant is asked, after closure, whether the case was resolved."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.crypto.fields import EncryptedTextField


class FeedbackChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    CALL = "call", _("Call by staff")
    NONE = "none", _("Not contacted (no consent to contact)")


class FeedbackAnswer(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")
    NO_ANSWER = "no_answer", _("No answer")


class ComplainantFeedback(models.Model):
    """One feedback request after a closure, and the complainant's answer once staff record it."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="feedback_requests"
    )
    requested_at = models.DateTimeField(_("requested at"))
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    answer = models.CharField(
        _("answer"), max_length=20, choices=FeedbackAnswer.choices, blank=True
    )
    # The complainant's own words may name people: encrypted like notes.
    comment = EncryptedTextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reopen_requested_at = models.DateTimeField(_("reopen requested at"), null=True, blank=True)
    reopen_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopen request recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("complainant feedback")
        verbose_name_plural = _("complainant feedback")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.requested_at:%Y-%m-%d}"
