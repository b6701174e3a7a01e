"""User management for administrators: list, create, and change users and their roles."""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.accounts import selectors, services
from meesaq.accounts.forms import (
    MembershipForm,
    MembershipFormSet,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    show_error,
)
from meesaq.accounts.models import User
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Organisation

ACTIVE_FILTER = {"yes": True, "no": False}


@page("users.manage")
def user_list(request: HttpRequest) -> HttpResponseBase:
    """List the users, filtered by organisation, role and status, a page at a time."""
    admin = policy.acting_user(request)
    form = UserFilterForm(request.GET or None, organisations=policy.scoped(admin, Organisation))
    organisation_id: int | None = None
    role = ""
    active: bool | None = None
    if form.is_bound and form.is_valid():
        organisation = form.cleaned_data.get("organisation")
        organisation_id = organisation.pk if organisation is not None else None
        role = form.cleaned_data.get("role") or ""
        active = ACTIVE_FILTER.get(form.cleaned_data.get("active") or "")
    users = selectors.user_list_for_admin(
        user=admin, organisation_id=organisation_id, role=role, active=active
    )
    page_obj = Paginator(users, selectors.USERS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "accounts/user_list.html",
        {"form": form, "page_obj": page_obj, "filter_query": urlencode(filters)},
    )


@page("users.manage")
def user_create(request: HttpRequest) -> HttpResponseBase:
    """Create a user with their roles, and show their one-time set-password link once."""
    admin = policy.acting_user(request)
    organisations = selectors.organisations_for_memberships(user=admin)
    form = UserCreateForm(request.POST or None)
    formset = MembershipFormSet(
        request.POST or None, prefix="m", form_kwargs={"organisations": organisations}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        memberships = [
            (row.cleaned_data["organisation"], row.cleaned_data["role"])
            for row in formset.forms
            if row.has_changed() and row.cleaned_data
        ]
        try:
            created = services.user_create(
                actor=admin,
                username=form.cleaned_data["username"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                email=form.cleaned_data["email"],
                memberships=memberships,
                request=request,
            )
        except MeesaqError as error:
            show_error(form, error)
        else:
            return render(
                request,
                "accounts/user_link.html",
                {"account": created.user, "link": created.link, "created": True},
            )
    return render(request, "accounts/user_create.html", {"form": form, "formset": formset})


# Changes that need nothing but the user: the service and what to tell the administrator.
SIMPLE_OPERATIONS: dict[str, tuple[Callable[..., object], Promise]] = {
    "deactivate": (
        services.user_deactivate,
        gettext_lazy("The user was deactivated and signed out everywhere."),
    ),
    "reactivate": (services.user_reactivate, gettext_lazy("The user can sign in again.")),
    "reset_two_factor": (
        services.user_two_factor_reset,
        gettext_lazy(
            "The user's second factors were removed; they set up a new one at next sign-in."
        ),
    ),
}


def _apply_change(
    request: HttpRequest,
    *,
    admin: User,
    account: User,
    operation: str,
    edit_form: UserEditForm,
    membership_form: MembershipForm,
) -> str | None:
    """Apply one change through its service; return what to tell the administrator.

    None means a form has errors to show and nothing was changed.
    """
    if operation in SIMPLE_OPERATIONS:
        service, done = SIMPLE_OPERATIONS[operation]
        service(actor=admin, user=account, request=request)
        return str(done)
    if operation == "remove_membership":
        membership = selectors.membership_of_user(
            user=account, pk=_int(request.POST.get("membership"))
        )
        if membership is None:
            raise MeesaqError(_("That role no longer exists."), code="missing")
        services.membership_remove(actor=admin, membership=membership, request=request)
        return _("The role was removed.")
    if operation == "update":
        if not edit_form.is_valid():
            return None
        services.user_update(
            actor=admin,
            user=account,
            first_name=edit_form.cleaned_data["first_name"],
            last_name=edit_form.cleaned_data["last_name"],
            email=edit_form.cleaned_data["email"],
            request=request,
        )
        return _("The user's details were saved.")
    if operation == "add_membership":
        if not membership_form.is_valid():
            return None
        services.membership_add(
            actor=admin,
            user=account,
            organisation=membership_form.cleaned_data["organisation"],
            role=membership_form.cleaned_data["role"],
            request=request,
        )
        return _("The role was added.")
    raise MeesaqError(_("Choose what to do."), code="invalid")


@page("users.manage")
def user_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Show one user and apply one change to them (each a POST through a service)."""
    admin = policy.acting_user(request)
    account = selectors.user_get_for_admin(user=admin, pk=pk)
    organisations = selectors.organisations_for_memberships(user=admin)
    operation = request.POST.get("operation", "") if request.method == "POST" else ""
    # The edit form works on its own copy, so a refused edit does not change the page's heading;
    # only the form that was sent shows its errors, the other starts afresh.
    edit_form = UserEditForm(
        request.POST if operation == "update" else None, instance=copy(account)
    )
    membership_form = MembershipForm(
        request.POST if operation == "add_membership" else None, organisations=organisations
    )
    if operation == "issue_link":
        link = services.user_set_password_link(actor=admin, user=account, request=request)
        return render(
            request, "accounts/user_link.html", {"account": account, "link": link, "created": False}
        )
    if operation:
        try:
            done = _apply_change(
                request,
                admin=admin,
                account=account,
                operation=operation,
                edit_form=edit_form,
                membership_form=membership_form,
            )
        except MeesaqError as error:
            if operation not in {"update", "add_membership"}:
                messages.error(request, str(error.message))
                return redirect("accounts:user_detail", pk=account.pk)
            show_error(edit_form if operation == "update" else membership_form, error)
        else:
            if done is not None:
                messages.success(request, done)
                return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "memberships": selectors.memberships_of(user=account),
            "devices": selectors.devices_summary(user=account),
            "edit_form": edit_form,
            "membership_form": membership_form,
            "is_self": account.pk == admin.pk,
        },
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
