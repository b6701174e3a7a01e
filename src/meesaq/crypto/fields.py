"""Model fields whose values are encrypted before they reach the database.

``EncryptedTextField`` stores a key ring token (see ``meesaq.crypto.keyring``) in a text column
and gives back the plain ``str`` on read. The token is bound to its column through the
associated data ``"app_label.model_name.field_name"``, so a value copied from one column or
model into another does not decrypt. Renaming the model or the field changes that binding: keep
the old one with ``associated_data="old_app.old_model.old_field"`` or re-encrypt the column in
the same migration.

The empty string is stored as it is (it says only that nothing was given). Ciphertext cannot be
searched: only ``isnull`` and ``exact`` against "" or None are allowed; to find rows by a value,
keep a blind index beside it (``meesaq.crypto.blind_index``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core import checks
from django.core.exceptions import FieldError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Exact, IsNull, Lookup, Transform

from meesaq.crypto import keyring

if TYPE_CHECKING:
    _TextFieldBase = models.TextField[str, str]
    _ExactBase = Exact[str]
else:  # Django's classes are not subscriptable at run time
    _TextFieldBase = models.TextField
    _ExactBase = Exact


def _refusal(field_name: str, lookup_name: str) -> str:
    return (
        f"Cannot filter on {field_name} with '{lookup_name}': its values are encrypted and "
        "cannot be searched. Only isnull and exact against '' are allowed; to find rows by "
        "value, use a blind index beside it (meesaq.crypto.blind_index)."
    )


class EmptyOnlyExact(_ExactBase):
    """``exact`` that only answers "is it blank": any other value would compare ciphertext."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs not in ("", None):
            name = getattr(getattr(lhs, "target", None), "name", "an encrypted field")
            raise FieldError(_refusal(str(name), "exact"))
        super().__init__(lhs, rhs)


class EncryptedTextField(_TextFieldBase):
    """A text field encrypted at rest with the newest key of MEESAQ_ENCRYPTION_KEYS."""

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, associated_data: str | None = None, **kwargs: Any) -> None:
        self.associated_data_override = associated_data
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # The column holds a token longer than the text, so the limit applies to the text.
            self.validators.append(MaxLengthValidator(self.max_length))

    @property
    def associated_data(self) -> str:
        """Return the label that binds this column's tokens to it."""
        if self.associated_data_override:
            return self.associated_data_override
        return f"{self.model._meta.label_lower}.{self.name}"

    def _associated(self) -> bytes:
        return self.associated_data.encode("utf-8")

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        """Add the refusals of options that need a searchable column."""
        errors = super().check(**kwargs)
        if self.unique or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique or a primary key: the same text "
                    "encrypts differently every time.",
                    hint="Put unique=True on a blind index field beside it.",
                    obj=self,
                    id="crypto.E003",
                )
            )
        return errors

    def deconstruct(self) -> tuple[str, str, Any, dict[str, Any]]:
        """Describe the field for migrations, keeping an explicit associated data label."""
        name, _path, args, kwargs = super().deconstruct()
        if self.associated_data_override:
            kwargs["associated_data"] = self.associated_data_override
        return name, "meesaq.crypto.fields.EncryptedTextField", args, kwargs

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        """Allow only the lookups that do not compare ciphertext."""
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EmptyOnlyExact
        raise FieldError(_refusal(self.name, lookup_name))

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        """Refuse every transform: lower(), length() and the like would act on ciphertext."""
        raise FieldError(_refusal(self.name, lookup_name))

    def to_python(self, value: Any) -> str | None:
        """Return the plain text of a value given in Python or by a form."""
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        """Encrypt a plain value on its way to the database; "" and None stay as they are."""
        if prepared or hasattr(value, "resolve_expression"):
            return value
        value = self.to_python(value)
        if value is None or value == "":
            return value
        return keyring.encrypt(value, associated=self._associated())

    def from_db_value(
        self, value: str | None, expression: Any, connection: BaseDatabaseWrapper
    ) -> str | None:
        """Decrypt a stored token; a token that fails its check raises instead of guessing."""
        if value is None or value == "":
            return value
        return keyring.decrypt(value, associated=self._associated())

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        """Use a one-line text input, as for a name or a number."""
        return super().formfield(
            form_class=form_class,
            choices_form_class=choices_form_class,
            **{"widget": forms.TextInput, **kwargs},
        )
