"""The one application error type: a code for machines and a translatable message for people."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MeesaqError(Exception):
    """A refusal the user should read: forms show it inline, the API returns it as one shape."""

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str = "invalid",
        fields: dict[str, list[str | Promise]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.fields = fields or {}

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> MeesaqError:
        """Turn a model's ``full_clean()`` errors into field errors users read."""
        fields: dict[str, list[str | Promise]] = {
            name: list(messages) for name, messages in error.message_dict.items()
        }
        return cls(_("Please correct the marked fields."), code="invalid", fields=fields)

    def as_dict(self) -> dict[str, object]:
        """Return the API's error body."""
        return {
            "error": self.code,
            "detail": str(self.message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in self.fields.items()},
        }
