"""Django's password rules with Meesaq's own wording, so the project catalogue translates them.

Django's Urdu catalogue lacks these messages; strings in this module are extracted by
``makemessages`` into Meesaq's own catalogue, where the Urdu translations live.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext, ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Refuse passwords shorter than the minimum length."""

    def get_error_message(self) -> str:
        """Say the password is too short and how long it must be."""
        return ngettext(
            "This password is too short. It must contain at least %(count)d character.",
            "This password is too short. It must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}

    def get_help_text(self) -> str:
        """Explain the minimum length."""
        return ngettext(
            "Your password must contain at least %(count)d character.",
            "Your password must contain at least %(count)d characters.",
            self.min_length,
        ) % {"count": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Refuse passwords too close to the username, names or email address."""

    def get_error_message(self) -> str:
        """Say the password is too close to something about the user."""
        return gettext("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self) -> str:
        """Explain the rule."""
        return gettext("Your password cannot be too similar to your name, username or email.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Refuse the 20,000 most common passwords."""

    def get_error_message(self) -> str:
        """Say the password is too common."""
        return gettext("This password is too common.")

    def get_help_text(self) -> str:
        """Explain the rule."""
        return gettext("Your password cannot be a commonly used password.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    """Refuse passwords made only of digits."""

    def get_error_message(self) -> str:
        """Say the password is only digits."""
        return gettext("This password is entirely numeric.")

    def get_help_text(self) -> str:
        """Explain the rule."""
        return gettext("Your password cannot be entirely numeric.")
