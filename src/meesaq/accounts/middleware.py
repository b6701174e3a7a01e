"""Send users who still owe a second factor to the two-factor page, whatever they ask for."""

from __future__ import annotations

from collections.abc import Callable

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
