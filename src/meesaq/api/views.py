"""Staff pages of the API: a user's personal tokens (made, shown once, revoked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts.forms import show_error
from meesaq.api import selectors, services
from meesaq.api.forms import TokenForm
from meesaq.core.errors import MeesaqError


def _second_factor_given(request: HttpRequest) -> bool:
    # Demo accounts have no second factor and exist only in development mode.
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    return bool(getattr(user, "is_demo", False) or (is_verified and is_verified()))


@page("api.tokens")
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and make a new one (its secret shown on this answer only)."""
    user = policy.acting_user(request)
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            made = services.token_create(
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                read_only=form.cleaned_data["read_only"],
                second_factor_given=_second_factor_given(request),
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            secret = made.secret
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.tokens_of(user=user),
            "now": timezone.now(),
            "may_create": _second_factor_given(request),
        },
    )
    # The page may carry a secret: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


@page("api.tokens")
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponseBase:
    """Revoke one of the user's tokens."""
    user = policy.acting_user(request)
    try:
        services.token_revoke(user=user, token_id=token_id, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The token was revoked."))
    return redirect("api:tokens")
