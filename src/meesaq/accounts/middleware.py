"""Send users who still owe a second factor to the two-factor page, whatever they ask for."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from meesaq.accounts.twofactor import two_factor_satisfied

# Pages a signed-in user may reach before the second factor: the factor itself and the way out.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:two_factor",
        "accounts:two_factor_setup",
        "accounts:logout",
        "core:healthz",
        "set_language",
    }
)


class TwoFactorRequiredMiddleware:
    """Block every page but the two-factor ones until the second factor is given."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated and not two_factor_satisfied(request.user):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            if (
                match.view_name not in OPEN_BEFORE_SECOND_FACTOR
                and not request.path_info.startswith("/static/")
            ):
                response: HttpResponse = redirect("accounts:two_factor")
                return response
        return self.get_response(request)


# When the session's idle clock was last restarted (seconds since the epoch).
SESSION_REFRESHED_KEY = "_meesaq_refreshed"


class IdleSessionRefreshMiddleware:
    """Restart a session's idle clock at most once a minute, not on every request.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) is one write and one
    commit per page view; refreshed once a minute, an idle session ends at most a minute early.
    Sits right after ``SessionMiddleware``, which saves what this marks as changed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = request.session
        if session.session_key is not None:
            now = int(time.time())
            refreshed = int(session.get(SESSION_REFRESHED_KEY, 0))
            if now - refreshed >= settings.SESSION_REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return response
