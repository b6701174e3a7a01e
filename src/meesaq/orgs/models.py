"""Organisations (centres, offices, partners) and the memberships that give users a role there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.access.roles import Role
from meesaq.core.i18n import in_active_language
from meesaq.core.models import TimeStampedModel


class OrganisationKind(models.TextChoices):
    POLICE_CENTRE = "police_centre", _("Police minority-protection centre")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    HUMAN_RIGHTS_OFFICE = "human_rights_office", _("Human rights department office")
    MINORITIES_AFFAIRS_OFFICE = (
        "minorities_affairs_office",
        _("Minorities affairs department office"),
    )
    LINE_DEPARTMENT = "line_department", _("Line department")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    INTERNATIONAL_AGENCY = "international_agency", _("International agency")


class Organisation(TimeStampedModel):
    """A centre, a department office or a partner, sitting at a jurisdiction."""

    name_en = models.CharField(_("name in English"), max_length=200)
    name_ur = models.CharField(_("name in Urdu"), max_length=200, blank=True)
    code = models.SlugField(
        _("short code"),
        max_length=40,
        unique=True,
        help_text=_("Letters, digits and hyphens; used in references."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=OrganisationKind.choices)
    jurisdiction = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language, falling back to English."""
        return in_active_language(english=self.name_en, urdu=self.name_ur)


class Membership(TimeStampedModel):
    """A user's role in one organisation; a user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name_en", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="orgs_membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.get_role_display()}"
