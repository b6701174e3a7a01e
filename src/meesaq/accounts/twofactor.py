"""Who must sign in with a second factor."""

from __future__ import annotations

from meesaq.access import policy
from meesaq.access.policy import AnyUser
from meesaq.access.roles import TWO_FACTOR_ROLES


def two_factor_required(user: AnyUser) -> bool:
    """Say whether the user must pass two-factor sign-in before anything else.

    Required for every role that sees identities (and administrators); demo accounts are
    exempt, and demo accounts cannot exist in production mode.
    """
    if not user.is_authenticated or getattr(user, "is_demo", False):
        return False
    return policy.has_role(user, *TWO_FACTOR_ROLES)


def two_factor_satisfied(user: AnyUser) -> bool:
    """Say whether the user may proceed: no second factor needed, or it was given."""
    if not two_factor_required(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
