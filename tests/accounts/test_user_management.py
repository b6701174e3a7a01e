"""Administrators create users, give and take roles, and issue set-password links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.access.roles import Role
from meesaq.accounts import services
from meesaq.accounts.models import User
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Membership
from tests.accounts.helpers import HOME, SIGN_IN, USERS, events, password_sign_in
from tests.personas import PASSWORD, World

ClientFor = Callable[[User], Client]
NEW = "/en/account/users/new/"
NEW_PASSWORD = "a long river under the moon"


def detail(user: User) -> str:
    return f"/en/account/users/{user.pk}/"


def create_form(world: World, **overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "nadia.khan",
        "first_name": "Nadia",
        "last_name": "Khan",
        "email": "",
        "m-TOTAL_FORMS": "3",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "1",
        "m-MAX_NUM_FORMS": "10",
        "m-0-organisation": str(world.lahore_centre.pk),
        "m-0-role": Role.INTAKE_OFFICER,
        "m-1-organisation": "",
        "m-1-role": "",
        "m-2-organisation": "",
        "m-2-role": "",
    }
    data.update(overrides)
    return data


# --- Who may manage users ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    [
        "intake_officer",
        "case_officer",
        "supervisor",
        "provincial_officer",
        "analyst",
        "partner_caseworker",
        "programme_coordinator",
        "auditor",
        "outsider",
    ],
)
def test_only_administrators_reach_user_management(
    world: World, client_for: ClientFor, persona: str
) -> None:
    client = client_for(world.personas()[persona])
    assert client.get(USERS).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.get(detail(world.analyst)).status_code == 404
    assert client.post(NEW, create_form(world)).status_code == 404
    assert client.post(detail(world.analyst), {"operation": "deactivate"}).status_code == 404
    assert not User.objects.filter(username="nadia.khan").exists()
    world.analyst.refresh_from_db()
    assert world.analyst.is_active


def test_user_management_sends_visitors_to_sign_in(client: Client, db: None) -> None:
    for page in (USERS, NEW, "/en/account/users/1/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)


def test_the_services_refuse_anyone_but_an_administrator(world: World) -> None:
    with pytest.raises(MeesaqError):
        services.user_deactivate(actor=world.supervisor, user=world.analyst)
    with pytest.raises(MeesaqError):
        services.user_create(
            actor=world.supervisor,
            username="x.y",
            first_name="",
            last_name="",
            email="",
            memberships=[(world.lahore_centre, Role.INTAKE_OFFICER)],
        )


def test_a_missing_user_answers_404(world: World, client_for: ClientFor) -> None:
    assert client_for(world.administrator).get("/en/account/users/999999/").status_code == 404


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_users_with_their_roles(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).get(USERS)
    assert response.status_code == 200
    assert b"caseofficer" in response.content
    assert b"Partner caseworker" in response.content


def test_the_list_filters_by_organisation_role_and_status(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    world.intake_officer.is_active = False
    world.intake_officer.save()
    by_org = client.get(USERS, {"organisation": world.lahore_ngo.pk}).context["page_obj"]
    assert [u.username for u in by_org] == ["partner"]
    by_role = client.get(USERS, {"role": Role.SUPERVISOR}).context["page_obj"]
    assert [u.username for u in by_role] == ["outsider", "supervisor"]
    inactive = client.get(USERS, {"active": "no"}).context["page_obj"]
    assert [u.username for u in inactive] == ["intake"]
    both = client.get(
        USERS, {"organisation": str(world.lahore_centre.pk), "role": str(Role.SUPERVISOR)}
    ).context["page_obj"]
    assert [u.username for u in both] == ["supervisor"]


def test_the_list_is_paginated_and_its_queries_do_not_grow_with_users(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        user = User.objects.create_user(username=f"staff{n:02d}")
        Membership.objects.create(user=user, organisation=world.lahore_hr_office, role=Role.ANALYST)
    client = client_for(world.administrator)
    client.get(USERS)
    with django_assert_max_num_queries(12):
        first = client.get(USERS)
    assert len(first.context["page_obj"]) == 25
    second = client.get(USERS, {"page": 2})
    assert len(second.context["page_obj"]) == User.objects.count() - 25
    assert second.context["page_obj"].number == 2


# --- Creating users ----------------------------------------------------------------------------


def test_an_administrator_creates_a_user_with_a_role_and_gets_a_one_time_link(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, create_form(world))
    assert response.status_code == 200
    user = User.objects.get(username="nadia.khan")
    assert not user.has_usable_password()
    assert user.first_name == "Nadia"
    assert list(user.memberships.values_list("organisation_id", "role")) == [
        (world.lahore_centre.pk, Role.INTAKE_OFFICER)
    ]
    link = response.context["link"]
    assert link.startswith("http://testserver/en/account/set-password/")
    assert link.encode() in response.content
    assert mail.outbox == []

    newcomer = Client()
    path = link.removeprefix("http://testserver")
    assert (
        newcomer.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})[
            "Location"
        ]
        == SIGN_IN
    )
    assert b"This link no longer works" in newcomer.get(path).content

    [created] = events("users.created")
    assert created.actor_id == world.administrator.pk
    assert created.object_id == str(user.pk)
    assert "Nadia" not in str(created.detail)
    assert len(events("users.membership_added")) == 1
    assert events("users.set_password_link_issued")[0].detail == {"emailed": False}


def test_a_new_user_with_an_email_address_also_gets_the_link_by_email(
    world: World, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, create_form(world, email="nadia@example.org"))
    assert response.status_code == 200
    [message] = mail.outbox
    assert message.to == ["nadia@example.org"]
    assert response.context["link"] in message.body
    assert "nadia.khan" in message.body


def test_a_new_user_needs_at_least_one_role(world: World, client_for: ClientFor) -> None:
    client = client_for(world.administrator)
    response = client.post(NEW, create_form(world, **{"m-0-organisation": "", "m-0-role": ""}))
    assert response.status_code == 200
    assert not User.objects.filter(username="nadia.khan").exists()
    assert events("users.created") == []


def test_a_taken_username_is_refused(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).post(NEW, create_form(world, username="analyst"))
    assert response.status_code == 200
    assert b"already exists" in response.content
    assert User.objects.filter(username="analyst").count() == 1


# --- Changing users ----------------------------------------------------------------------------


def test_an_administrator_edits_names_and_email(world: World, client_for: ClientFor) -> None:
    client = client_for(world.administrator)
    assert client.get(detail(world.analyst)).status_code == 200
    response = client.post(
        detail(world.analyst),
        {
            "operation": "update",
            "first_name": "Amir",
            "last_name": "Masih",
            "email": "a@example.org",
        },
    )
    assert response.status_code == 302
    world.analyst.refresh_from_db()
    assert (world.analyst.first_name, world.analyst.email) == ("Amir", "a@example.org")
    [event] = events("users.updated")
    assert event.detail == {"fields": "first_name,last_name,email"}


def test_a_bad_email_address_is_shown_next_to_the_field(
    world: World, client_for: ClientFor
) -> None:
    response = client_for(world.administrator).post(
        detail(world.analyst),
        {"operation": "update", "first_name": "", "last_name": "", "email": "not-an-address"},
    )
    assert response.status_code == 200
    assert b"Enter a valid email address." in response.content
    assert events("users.updated") == []


def test_an_administrator_adds_and_removes_a_role(world: World, client_for: ClientFor) -> None:
    client = client_for(world.administrator)
    client.post(
        detail(world.analyst),
        {
            "operation": "add_membership",
            "organisation": world.lahore_hr_office.pk,
            "role": Role.CASE_OFFICER,
        },
    )
    added = Membership.objects.get(user=world.analyst, role=Role.CASE_OFFICER)
    assert added.is_active
    client.post(detail(world.analyst), {"operation": "remove_membership", "membership": added.pk})
    added.refresh_from_db()
    assert not added.is_active
    assert [e.detail["role"] for e in events("users.membership_added")] == [Role.CASE_OFFICER]
    assert [e.detail["role"] for e in events("users.membership_removed")] == [Role.CASE_OFFICER]
    # Giving the role again restores the same row.
    client.post(
        detail(world.analyst),
        {
            "operation": "add_membership",
            "organisation": world.lahore_hr_office.pk,
            "role": Role.CASE_OFFICER,
        },
    )
    added.refresh_from_db()
    assert added.is_active


def test_a_role_the_user_already_holds_is_refused(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).post(
        detail(world.analyst),
        {
            "operation": "add_membership",
            "organisation": world.punjab_department.pk,
            "role": Role.ANALYST,
        },
    )
    assert response.status_code == 200
    assert b"already holds this role" in response.content


def test_an_administrator_cannot_remove_their_own_administrator_role(
    world: World, client_for: ClientFor
) -> None:
    own = Membership.objects.get(user=world.administrator, role=Role.ADMINISTRATOR)
    client = client_for(world.administrator)
    client.post(
        detail(world.administrator), {"operation": "remove_membership", "membership": own.pk}
    )
    own.refresh_from_db()
    assert own.is_active


def test_deactivating_a_user_signs_them_out_and_stops_sign_in(
    world: World, client_for: ClientFor
) -> None:
    analyst_session = client_for(world.analyst)
    client = client_for(world.administrator)
    response = client.post(detail(world.analyst), {"operation": "deactivate"})
    assert response.status_code == 302
    assert analyst_session.get(HOME).status_code == 302
    assert password_sign_in("analyst", PASSWORD).get(HOME).status_code == 302
    client.post(detail(world.analyst), {"operation": "reactivate"})
    assert password_sign_in("analyst", PASSWORD).get(HOME).status_code == 200
    assert len(events("users.deactivated")) == 1
    assert len(events("users.reactivated")) == 1


def test_administrators_cannot_deactivate_themselves(world: World, client_for: ClientFor) -> None:
    client = client_for(world.administrator)
    client.post(detail(world.administrator), {"operation": "deactivate"})
    world.administrator.refresh_from_db()
    assert world.administrator.is_active
    assert b"cannot deactivate your own account" in client.get(detail(world.administrator)).content
    assert events("users.deactivated") == []


def test_a_new_link_stops_the_old_password_and_the_old_link(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    first = client.post(detail(world.analyst), {"operation": "issue_link"}).context["link"]
    second = client.post(detail(world.analyst), {"operation": "issue_link"}).context["link"]
    assert first != second
    assert password_sign_in("analyst", PASSWORD).get(HOME).status_code == 302
    assert (
        b"This link no longer works"
        in Client().get(first.removeprefix("http://testserver")).content
    )
    assert b"new_password1" in Client().get(second.removeprefix("http://testserver")).content
    assert len(events("users.set_password_link_issued")) == 2


def test_resetting_two_factor_removes_every_second_factor(
    world: World, client_for: ClientFor
) -> None:
    StaticDevice.objects.create(user=world.case_officer, name="backup")
    client = client_for(world.administrator)
    client.post(detail(world.case_officer), {"operation": "reset_two_factor"})
    assert not TOTPDevice.objects.filter(user=world.case_officer).exists()
    assert not StaticDevice.objects.filter(user=world.case_officer).exists()
    [event] = events("users.two_factor_reset")
    assert event.object_id == str(world.case_officer.pk)
    # At the next sign-in the officer is sent to set up a new authenticator.
    officer = password_sign_in("caseofficer", PASSWORD)
    response = officer.get("/en/account/two-factor/")
    assert response["Location"].startswith("/en/account/two-factor/setup/")


def test_an_unknown_operation_changes_nothing(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).post(detail(world.analyst), {"operation": "explode"})
    assert response.status_code == 302
    world.analyst.refresh_from_db()
    assert world.analyst.is_active
