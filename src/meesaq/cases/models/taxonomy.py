"""The bilingual, administrator-editable taxonomy: categories, affected groups, outcomes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.core.i18n import in_active_language


class TaxonomyTerm(models.Model):
    """A term with a stable code and labels in English and Urdu."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label_en = models.CharField(_("label in English"), max_length=150)
    label_ur = models.CharField(_("label in Urdu"), max_length=150, blank=True)
    description_en = models.TextField(_("explanation in English"), blank=True)
    description_ur = models.TextField(_("explanation in Urdu"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "label_en"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the label in the active language."""
        return in_active_language(english=self.label_en, urdu=self.label_ur)

    @property
    def description(self) -> str:
        """Return the explanation in the active language."""
        return in_active_language(english=self.description_en, urdu=self.description_ur)


class Category(TaxonomyTerm):
    """What kind of violation a case is about."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class GroupKind(models.TextChoices):
    FAITH = "faith", _("Religious minority")
    VULNERABLE = "vulnerable", _("Other vulnerable group")


class AffectedGroup(TaxonomyTerm):
    """A group affected by a case: a religious minority or another vulnerable group."""

    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("affected group")
        verbose_name_plural = _("affected groups")


class Outcome(TaxonomyTerm):
    """How a case ended; required to close it."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
