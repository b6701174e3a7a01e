"""Staff users."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member; what they may see and do comes from their memberships."""

    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts skip two-factor sign-in and exist only outside production."),
    )
    # Raising this ends every session of the user ("sign out everywhere").
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_session_auth_hash(self) -> str:
        """Tie sessions to the password and the session generation, so either change ends them."""
        return salted_hmac(
            "meesaq.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        """Return the full name, or the username when no name is recorded."""
        return self.get_full_name() or self.username
