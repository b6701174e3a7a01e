"""One-time set-password links."""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token with its own salt: it dies when the password changes or it expires.

    The hash covers the password hash and the last sign-in, so setting a password (or issuing a
    new link, which clears the password) ends every earlier link; ``PASSWORD_RESET_TIMEOUT``
    sets its lifetime.
    """

    key_salt = "meesaq.accounts.tokens.SetPasswordTokenGenerator"


set_password_tokens = SetPasswordTokenGenerator()


def uid_for(user_pk: int) -> str:
    """Return the user id as it appears in a set-password link."""
    return urlsafe_base64_encode(force_bytes(user_pk))
