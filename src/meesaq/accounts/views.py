"""Sign-in, two-factor, devices and one's own account."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponseBase

from meesaq.access import policy
from meesaq.access.decorators import page


@page(policy.PUBLIC)
def sign_in(request: HttpRequest) -> HttpResponseBase:
    """Show the sign-in form and sign the user in (axes counts failures)."""
    return auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )(request)


@page(policy.PUBLIC)
def sign_out(request: HttpRequest) -> HttpResponseBase:
    """Sign out (POST only) and return to the sign-in page."""
    return auth_views.LogoutView.as_view()(request)
