"""Notifications: in-app messages to staff, and the record of outbound messages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One in-app message to one staff user. Never holds identity: a reference and a sentence."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=64)
    # The text in both languages, rendered when the notification was made.
    text_en = models.CharField(max_length=300)
    text_ur = models.CharField(max_length=300, blank=True)
    # Where the notification leads (a page of the site, never with personal data in it).
    link = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.recipient_id}:{self.event}"


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class MessageTemplate(models.Model):
    """The words of one event's message on one channel, in English and Urdu, set by administrators.

    Texts use ``{name}`` placeholders filled from the parameters the sending module gives.
    """

    event = models.CharField(_("event"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text_en = models.TextField(_("text in English"), max_length=600)
    text_ur = models.TextField(_("text in Urdu"), max_length=600)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="notif_template_unique")
        ]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return f"{self.event}:{self.channel}"
