"""Sign-in, two-factor, devices and one's own account."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts import selectors, services
from meesaq.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmationForm,
    DeviceConfirmForm,
    NewPasswordForm,
    SignInForm,
    show_error,
)
from meesaq.accounts.tokens import set_password_tokens
from meesaq.accounts.twofactor import two_factor_required, two_factor_satisfied
from meesaq.core.errors import MeesaqError
from meesaq.core.redirects import safe_next


def _safe_next(request: HttpRequest, default: str = "") -> str:
    """Return the ``next`` path if it stays on this site, else the default or the home page."""
    return safe_next(request, default or reverse(settings.LOGIN_REDIRECT_URL))


class SignInView(auth_views.LoginView):
    """The password step; axes counts failures and its middleware answers lockouts."""

    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """Sign in, audit it, and go on to the second factor when the role needs one."""
        response = super().form_valid(form)
        user = form.get_user()
        services.sign_in_record(user=user, request=self.request)
        if not two_factor_satisfied(user):
            query = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        """Audit the refused attempt without keeping the name that was typed."""
        services.sign_in_failure_record(
            username=str(form.data.get("username", ""))[:150],
            locked_out=bool(getattr(self.request, "axes_locked_out", False)),
            request=self.request,
        )
        return super().form_invalid(form)


@page(policy.PUBLIC)
def sign_in(request: HttpRequest) -> HttpResponseBase:
    """Show the sign-in form and sign the user in (axes counts failures)."""
    return SignInView.as_view()(request)


@page(policy.PUBLIC)
def sign_out(request: HttpRequest) -> HttpResponseBase:
    """Sign out (POST only) and return to the sign-in page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated:
        services.sign_out_record(user=policy.acting_user(request), request=request)
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@page(policy.SIGNED_IN)
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponseBase:
    """End every session of the user, this one included."""
    services.user_sign_out_everywhere(user=policy.acting_user(request), request=request)
    logout(request)
    messages.success(request, _("You have been signed out on every device."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Second factor ----------------------------------------------------------------------------


def _is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@page(policy.SIGNED_IN)
def two_factor(request: HttpRequest) -> HttpResponseBase:
    """Ask for the code from the user's authenticator (or a backup code)."""
    user = policy.acting_user(request)
    next_url = _safe_next(request)
    if _is_verified(request):
        return redirect(next_url)
    if not selectors.has_confirmed_device(user=user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.two_factor_verify(
                user=user, code=form.cleaned_data["code"], request=request
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            django_otp.login(request, device)
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": next_url, "required": two_factor_required(user)},
    )


def _qr_svg(device: Any) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, svgclass="qr-code", title=_("QR code for your authenticator app")
    )
    # segno builds the SVG from the device's own key and fixed attributes; nothing user-typed.
    return mark_safe(svg)  # noqa: S308


@page(policy.SIGNED_IN)
def two_factor_setup(request: HttpRequest) -> HttpResponseBase:
    """Add an authenticator app: scan the QR code, then confirm with a code from it."""
    user = policy.acting_user(request)
    next_url = _safe_next(request, reverse("accounts:devices"))
    # Someone holding only the password must not be able to add their own authenticator to an
    # account that already has one: adding needs a verified session (or a role without 2FA).
    if (
        two_factor_required(user)
        and not _is_verified(request)
        and selectors.has_confirmed_device(user=user)
    ):
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}")
    device = services.two_factor_device_start(user=user)
    form = DeviceConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_device_confirm(
                user=user,
                device=device,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            django_otp.login(request, device)
            if codes:
                return render(
                    request,
                    "accounts/backup_codes.html",
                    {"codes": codes, "next": next_url, "first_time": True},
                )
            messages.success(request, _("Your new authenticator is ready."))
            return redirect(next_url)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": _qr_svg(device),
            "secret": b32encode(device.bin_key).decode("ascii"),
        },
    )


@page(policy.SIGNED_IN)
def devices(request: HttpRequest) -> HttpResponseBase:
    """List the user's second factors; remove an authenticator or renew backup codes."""
    user = policy.acting_user(request)
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        operation = request.POST.get("operation", "")
        confirmation = form.cleaned_data["confirmation"]
        try:
            if operation == "remove":
                device = selectors.authenticator_of_user(
                    user=user, pk=_int(request.POST.get("device"))
                )
                if device is None:
                    raise MeesaqError(_("That authenticator no longer exists."), code="missing")
                confirmed_by = services.two_factor_device_remove(
                    user=user, device=device, confirmation=confirmation, request=request
                )
                if confirmed_by is not None:
                    django_otp.login(request, confirmed_by)
                messages.success(request, _("The authenticator was removed."))
                return redirect("accounts:devices")
            if operation == "backup_codes":
                codes = services.backup_codes_regenerate(
                    user=user, confirmation=confirmation, request=request
                )
                return render(
                    request,
                    "accounts/backup_codes.html",
                    {"codes": codes, "next": reverse("accounts:devices"), "first_time": False},
                )
            raise MeesaqError(_("Choose what to do."), code="invalid")
        except MeesaqError as error:
            messages.error(request, str(error.message))
            return redirect("accounts:devices")
    return render(
        request,
        "accounts/devices.html",
        {
            "summary": selectors.devices_summary(user=user),
            "form": ConfirmationForm(),
            "required": two_factor_required(user),
        },
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


# --- One's own account ------------------------------------------------------------------------


@page(policy.SIGNED_IN)
def profile(request: HttpRequest) -> HttpResponseBase:
    """Show the user's name, roles and language, and let them change their password."""
    user = policy.acting_user(request)
    form = ChangePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                user=user, new_password=form.cleaned_data["new_password1"], request=request
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "account": user,
            "memberships": selectors.memberships_of(user=user),
            "form": form,
            "devices": selectors.devices_summary(user=user),
            "required": two_factor_required(user),
        },
    )


# --- The one-time set-password link -----------------------------------------------------------


@page(policy.PUBLIC)
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponseBase:
    """Let a new (or reset) user choose a password through their one-time link."""
    user = selectors.user_from_link_uid(uidb64)
    if user is None or not set_password_tokens.check_token(user, token):
        # Like Django's own reset page: a plain explanation, whatever made the link fail.
        return render(request, "accounts/set_password.html", {"invalid": True})
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_set_with_link(
                user=user,
                token=token,
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your password is set. You can sign in now."))
            return redirect("accounts:login")
    return render(request, "accounts/set_password.html", {"form": form, "account": user})
