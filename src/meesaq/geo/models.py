"""Pakistan's administrative units, identified by P-codes, as a tree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.core.i18n import in_active_language


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province or territory")
    DIVISION = 2, _("Division")
    DISTRICT = 3, _("District")
    TEHSIL = 4, _("Tehsil")


class AdminUnit(models.Model):
    """One province, division, district or tehsil.

    ``path`` holds the P-codes from the province down to this unit, joined by '/', so that
    "everything within X" is one indexed prefix query. Division codes are the project's own
    (``PK6DV01``): the OCHA data set has no division level.
    """

    pcode = models.CharField(_("P-code"), max_length=16, primary_key=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # unique=True also gives the startswith ("within") queries their index on PostgreSQL: for a
    # unique or indexed varchar Django adds a second btree index with varchar_pattern_ops (the
    # "..._like" index), which LIKE 'prefix%' can use whatever the database's collation. An
    # explicit models.Index(fields=["path"], opclasses=["varchar_pattern_ops"]) would duplicate
    # it (tests/geo/test_index.py checks it exists). SQLite, the demo database, ignores opclasses.
    path = models.CharField(max_length=100, unique=True, editable=False)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    official = models.BooleanField(
        _("from the official list"),
        default=True,
        help_text=_("False for units added by an administrator or defined by this project."),
    )
    # Units an administrator added (new districts are notified often); the loader never changes
    # them, and their English name stays editable because no data set will overwrite it.
    added_by_admin = models.BooleanField(_("added by an administrator"), default=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        indexes = [models.Index(fields=["level", "name_en"], name="geo_level_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Return the name in the active language, falling back to English."""
        return in_active_language(english=self.name_en, urdu=self.name_ur)

    @property
    def ancestor_pcodes(self) -> list[str]:
        """Return the P-codes above this unit, province first."""
        return self.path.split("/")[:-1]
