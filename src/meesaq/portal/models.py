"""The public portal's records: routing rules, tracking tickets, throttling, inbound messages."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meesaq.orgs.models import OrganisationKind


class RoutingRule(models.Model):
    """Where public complaints go: a category and/or group (and/or district) → an organisation.

    The most specific matching rule wins (district, then category, then group). A rule names
    either one organisation or a kind of organisation, looked up in the complaint's district.
    """

    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: any category."),
    )
    group = models.ForeignKey(
        "cases.AffectedGroup",
        verbose_name=_("affected group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: any group."),
    )
    district = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: every district."),
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation_kind = models.CharField(
        _("kind of organisation in the district"),
        max_length=40,
        blank=True,
        choices=OrganisationKind.choices,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(organisation_kind=""))
                | (Q(organisation__isnull=True) & ~Q(organisation_kind="")),
                name="portal_rule_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"rule {self.pk}"

    @property
    def specificity(self) -> int:
        """Return how specific the rule is: a district counts most, then category, then group."""
        return (
            4 * (self.district_id is not None)
            + 2 * (self.category_id is not None)
            + (self.group_id is not None)
        )


class Ticket(models.Model):
    """The complainant's way back to a case: a tracking code and a hashed secret PIN."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="ticket")
    # Stored without separators, upper case; not secret on its own (the PIN is).
    code = models.CharField(max_length=16, unique=True)
    pin_hash = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tracking ticket")
        verbose_name_plural = _("tracking tickets")

    def __str__(self) -> str:
        return f"ticket {self.pk}"


class ThrottleHit(models.Model):
    """One counted attempt (a complaint sent, a wrong PIN…) by a keyed hash of who or what.

    In the database so every application process and machine counts together.
    """

    scope = models.CharField(max_length=20)
    # HMAC of the client address or the tracking code: the address itself is never stored.
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="portal_throttle_lookup")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:8]}"


class InboundMessage(models.Model):
    """One message from the SMS/WhatsApp gateway, kept once (its id refuses replays)."""

    gateway_id = models.CharField(max_length=100, unique=True)
    channel = models.CharField(max_length=20)
    # Blind index of the sender's number: finds the conversation without storing the number.
    sender_index = models.CharField(max_length=64, db_index=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="inbound_messages"
    )
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"inbound {self.pk}"
