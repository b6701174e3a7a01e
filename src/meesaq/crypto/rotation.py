"""Key rotation: re-encrypt every encrypted column under the newest key.

``rotate_keys`` walks every ``EncryptedTextField`` of every installed model, and rewrites each
stored token that is not yet under the newest key of ``MEESAQ_ENCRYPTION_KEYS``. It works in
batches, one transaction each, so an interrupted run keeps what it finished; a token already
under the newest key is skipped, so running it again is safe and completes the rest.

The blind index key is not rotated here: see ``meesaq.crypto.blind_index``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Value

from meesaq.crypto import keyring
from meesaq.crypto.fields import EncryptedTextField

BATCH_SIZE = 500
RAW = "_meesaq_raw_token"


@dataclass
class ColumnReport:
    """What one run did to one encrypted column."""

    model: str
    field: str
    rotated: int = 0
    already_current: int = 0


@dataclass
class RotationReport:
    """What one run did, column by column."""

    newest_key_id: str
    columns: list[ColumnReport] = field(default_factory=list)

    @property
    def rotated(self) -> int:
        """Return how many values were re-encrypted."""
        return sum(column.rotated for column in self.columns)

    @property
    def already_current(self) -> int:
        """Return how many values were already under the newest key."""
        return sum(column.already_current for column in self.columns)

    def per_model(self) -> dict[str, int]:
        """Return the number of values re-encrypted in each model."""
        counts: dict[str, int] = {}
        for column in self.columns:
            counts[column.model] = counts.get(column.model, 0) + column.rotated
        return counts


def encrypted_columns() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Return every encrypted field of every installed model, each once."""
    columns: list[tuple[type[models.Model], EncryptedTextField]] = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        # Local fields only: an inherited field's rows live in (and are rotated with) its parent.
        columns.extend(
            (model, model_field)
            for model_field in model._meta.local_concrete_fields
            if isinstance(model_field, EncryptedTextField)
        )
    return columns


def _raw_tokens(model: type[models.Model], name: str) -> models.QuerySet[models.Model]:
    # The column read as plain text, so that tokens are not decrypted on the way out.
    raw = ExpressionWrapper(F(name), output_field=models.TextField())
    rows: models.QuerySet[models.Model] = model._base_manager.annotate(**{RAW: raw})
    return rows.filter(**{f"{RAW}__isnull": False}).exclude(**{RAW: ""})


def rotate_column(
    model: type[models.Model], model_field: EncryptedTextField, *, batch_size: int = BATCH_SIZE
) -> ColumnReport:
    """Re-encrypt one column's values that are not under the newest key."""
    name = model_field.attname
    associated = model_field.associated_data.encode("utf-8")
    current_prefix = f"{keyring.TOKEN_VERSION}.{keyring.get_keyring().newest_id}."
    report = ColumnReport(model=model._meta.label_lower, field=model_field.name)
    current = _raw_tokens(model, name).filter(**{f"{RAW}__startswith": current_prefix})
    report.already_current = current.count()
    last_pk: object = None
    while True:
        with transaction.atomic():
            stale = _raw_tokens(model, name).exclude(**{f"{RAW}__startswith": current_prefix})
            if last_pk is not None:
                stale = stale.filter(pk__gt=last_pk)
            # Locked so that a concurrent edit cannot be overwritten with the value read here.
            batch = list(
                stale.select_for_update().order_by("pk").values_list("pk", RAW)[:batch_size]
            )
            for pk, token in batch:
                plain = keyring.decrypt(token, associated=associated)
                fresh = keyring.encrypt(plain, associated=associated)
                model._base_manager.filter(pk=pk).update(
                    **{name: Value(fresh, output_field=models.TextField())}
                )
            report.rotated += len(batch)
        if len(batch) < batch_size:
            return report
        last_pk = batch[-1][0]


def rotate_keys(*, batch_size: int = BATCH_SIZE) -> RotationReport:
    """Re-encrypt every encrypted value that is not yet under the newest key, and audit it."""
    from meesaq.audit.services import DetailValue, audit_record

    report = RotationReport(newest_key_id=keyring.get_keyring().newest_id)
    for model, model_field in encrypted_columns():
        report.columns.append(rotate_column(model, model_field, batch_size=batch_size))
    detail: dict[str, DetailValue] = {
        "newest_key_id": report.newest_key_id,
        "rotated": report.rotated,
        "already_current": report.already_current,
    }
    detail.update({f"rotated:{label}": count for label, count in report.per_model().items()})
    audit_record(actor=None, action="crypto.keys_rotated", detail=detail)
    return report
