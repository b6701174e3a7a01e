"""Append-only, hash-chained audit events and the chain's head."""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.audit.chain import GENESIS_HASH


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("audit events are append-only")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events in bulk: readable, never updatable or deletable through the ORM."""

    def update(self, **kwargs: Any) -> int:
        """Refuse: an event, once written, is never changed."""
        _refuse()

    def delete(self) -> tuple[int, dict[str, int]]:
        """Refuse: an event, once written, is never deleted."""
        _refuse()


class AuditEvent(models.Model):
    """One thing that happened: who, when, what, to which object, from where; never personal data.

    ``hash`` covers this event's fields and ``previous_hash``, so editing or deleting any event
    breaks the chain from that point on (``meesaq audit verify``). On PostgreSQL a trigger also
    refuses UPDATE and DELETE (migration 0004); the Python refusals below catch mistakes earlier.
    """

    sequence = models.BigIntegerField(unique=True, editable=False)
    occurred_at = models.DateTimeField(_("when"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects: ClassVar[models.Manager[AuditEvent]] = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["occurred_at"], name="audit_when"),
            # The auditor's "who" filter; usernames are matched exactly.
            models.Index(fields=["actor_label"], name="audit_actor_label"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new event; refuse any update."""
        if not self._state.adding or kwargs.get("update_fields") is not None:
            _refuse()
        # Never fall back to an UPDATE of a row that happens to have the same primary key.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse deletion."""
        _refuse()


class AuditChainHead(models.Model):
    """The single row that records the chain's last sequence and hash.

    Appenders lock this row (``select_for_update``) and update it in the same transaction, so
    appends are serial even when the event table is empty, and deleting the newest events is
    caught by comparing the table with the head.
    """

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="audit_single_chain_head"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """Refuse deletion: without its head the chain cannot show that its tail is complete."""
        _refuse()
