"""Break-glass views: justified, time-limited views of identity a role cannot normally see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BreakGlassView(models.Model):
    """One justified view of hidden identity, reported to the supervisors of the place."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="break_glass_views",
    )
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("owning organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    jurisdiction_path = models.CharField(max_length=100)
    # The typed justification; it describes the need, and staff are told not to put names in it.
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("break-glass view")
        verbose_name_plural = _("break-glass views")
        indexes = [
            models.Index(fields=["user", "object_type", "object_id"], name="access_bg_lookup"),
            models.Index(fields=["jurisdiction_path"], name="access_bg_place"),
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"
