"""Who is calling: a personal token (``Authorization: Bearer mq_…``) or the site's own session.

A token acts exactly as its user: the same access rules decide everything it may see and do.
A read-only token is refused every method that writes. Session calls need the second factor
where the user's role needs it, and a CSRF token for writes (ninja's cookie check).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import SimpleRateThrottle

from meesaq.accounts.models import User
from meesaq.accounts.twofactor import two_factor_satisfied
from meesaq.api.services import token_authenticate
from meesaq.core.errors import MeesaqError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Reads sent as POST so that what is searched for stays out of addresses: read-only tokens may.
READS_BY_POST = frozenset({"/api/v1/cases/search"})


class TokenAuth(HttpBearer):
    """A personal API token in the Authorization header."""

    openapi_description = "A personal token from your account page: `Authorization: Bearer mq_…`."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_authenticate(secret=token)
        if found is None:
            return None
        if (
            found.read_only
            and request.method not in SAFE_METHODS
            and request.path not in READS_BY_POST
        ):
            raise MeesaqError(_("This token is read-only."), code="token_read_only")
        request.api_token = found  # type: ignore[attr-defined]  # read by the throttle
        return found.user


class SessionAuth(APIKeyCookie):
    """The site's own signed-in session (with its second factor), CSRF-checked for writes."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The site's session cookie (with the CSRF token for writes)."

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if isinstance(user, User) and user.is_authenticated and two_factor_satisfied(user):
            return user
        return None


def acting(request: HttpRequest) -> User:
    """Return the user an authenticated API call acts as."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # ninja lets no call through unauthenticated
        raise MeesaqError(_("Sign in first."), code="not_authenticated")
    return user


class CallerRateThrottle(SimpleRateThrottle):
    """So many calls per minute for each caller (user), whatever the token."""

    scope = "caller"

    def __init__(self) -> None:
        super().__init__(settings.MEESAQ_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read on each call, so that the setting (and tests overriding it) take effect at once.
        self.rate = settings.MEESAQ_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return bool(super().allow_request(request))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        ident = f"user-{user.pk}" if isinstance(user, User) else self.get_ident(request)
        return f"meesaq-api-{ident}"


def no_store(response: HttpResponse) -> HttpResponse:
    """Keep API answers (which may carry identity) out of every cache."""
    response["Cache-Control"] = "no-store"
    return response
