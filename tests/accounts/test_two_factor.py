"""Two-factor sign-in: who must give it, the code page, backup codes and setting up an app."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.orgs.models import Membership
from tests.accounts.helpers import (
    HOME,
    PROFILE,
    SETUP,
    TWO_FACTOR,
    current_code,
    events,
    password_sign_in,
)
from tests.personas import PASSWORD, World

ClientFor = Callable[[User], Client]
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "persona",
    [
        "intake_officer",
        "case_officer",
        "supervisor",
        "provincial_officer",
        "partner_caseworker",
        "programme_coordinator",
        "administrator",
    ],
)
def test_roles_that_see_identities_are_held_at_the_code_page_until_they_give_it(
    world: World, persona: str
) -> None:
    user = world.personas()[persona]
    client = Client()
    response = client.post(
        "/en/account/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)
    for page in (HOME, PROFILE, "/en/account/devices/"):
        blocked = client.get(page)
        assert blocked.status_code == 302
        assert blocked["Location"] == "/en/account/two-factor/"


@pytest.mark.parametrize("persona", ["analyst", "auditor"])
def test_analysts_and_auditors_need_no_second_factor(world: World, persona: str) -> None:
    user = world.personas()[persona]
    client = password_sign_in(user.username, PASSWORD)
    assert client.get(HOME).status_code == 200
    assert client.get(PROFILE).status_code == 200


def test_demo_accounts_need_no_second_factor(world: World) -> None:
    demo = User.objects.create_user(username="demo-intake", password=PASSWORD, is_demo=True)
    Membership.objects.create(user=demo, organisation=world.lahore_centre, role=Role.INTAKE_OFFICER)
    client = password_sign_in("demo-intake", PASSWORD)
    response = client.get(HOME)
    assert response.status_code == 200
    assert b"Demo account" in response.content


def test_the_code_from_the_authenticator_lets_the_officer_in(world: World) -> None:
    device = TOTPDevice.objects.get(user=world.case_officer)
    with time_machine.travel(START, tick=False):
        client = password_sign_in("caseofficer", PASSWORD)
        page = client.get(TWO_FACTOR)
        assert page.status_code == 200
        assert b'name="code"' in page.content
        response = client.post(TWO_FACTOR, {"code": current_code(device), "next": PROFILE})
        assert response.status_code == 302
        assert response["Location"] == PROFILE
        assert client.get(HOME).status_code == 200
    [event] = events("auth.two_factor_passed")
    assert event.detail == {"method": "totp"}
    assert event.actor_id == world.case_officer.pk


def test_the_sign_in_form_carries_the_wanted_page_through_the_second_factor(
    world: World,
) -> None:
    device = TOTPDevice.objects.get(user=world.supervisor)
    with time_machine.travel(START, tick=False):
        client = Client()
        response = client.post(
            "/en/account/sign-in/?next=/en/account/profile/",
            {"username": "supervisor", "password": PASSWORD, "next": PROFILE},
        )
        assert response["Location"] == "/en/account/two-factor/?next=%2Fen%2Faccount%2Fprofile%2F"
        response = client.post(response["Location"], {"code": current_code(device)})
    assert response["Location"] == PROFILE


def test_a_wrong_code_is_refused_and_audited(world: World) -> None:
    device = TOTPDevice.objects.get(user=world.case_officer)
    with time_machine.travel(START, tick=False) as traveller:
        client = password_sign_in("caseofficer", PASSWORD)
        right = current_code(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        response = client.post(TWO_FACTOR, {"code": wrong})
        assert response.status_code == 200
        assert b"That code is not right" in response.content
        assert client.get(HOME).status_code == 302
        # Straight after a failure the device waits a moment before it checks again.
        response = client.post(TWO_FACTOR, {"code": right})
        assert b"Too many wrong codes" in response.content
        traveller.shift(timedelta(seconds=2))
        response = client.post(TWO_FACTOR, {"code": current_code(device)})
        assert response.status_code == 302
    assert [e.detail["throttled"] for e in events("auth.two_factor_failed")] == [False, True]


def test_a_code_cannot_be_used_twice(world: World) -> None:
    device = TOTPDevice.objects.get(user=world.case_officer)
    with time_machine.travel(START, tick=False):
        code = current_code(device)
        first = password_sign_in("caseofficer", PASSWORD)
        assert first.post(TWO_FACTOR, {"code": code}).status_code == 302
        second = password_sign_in("caseofficer", PASSWORD)
        response = second.post(TWO_FACTOR, {"code": code})
    assert response.status_code == 200
    assert second.get(HOME).status_code == 302


def test_a_backup_code_works_once(world: World) -> None:
    device = StaticDevice.objects.create(user=world.intake_officer, name="backup")
    device.token_set.create(token="abcd2345")
    device.token_set.create(token="wxyz6789")
    client = password_sign_in("intake", PASSWORD)
    response = client.post(TWO_FACTOR, {"code": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200
    assert events("auth.two_factor_passed")[-1].detail == {"method": "backup_code"}
    again = password_sign_in("intake", PASSWORD)
    with time_machine.travel(datetime.now(tz=UTC) + timedelta(seconds=5)):
        refused = again.post(TWO_FACTOR, {"code": "abcd2345"})
    assert refused.status_code == 200
    assert again.get(HOME).status_code == 302
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["wxyz6789"]


def test_the_code_page_sends_users_without_a_device_to_set_one_up(world: World) -> None:
    TOTPDevice.objects.filter(user=world.intake_officer).delete()
    client = password_sign_in("intake", PASSWORD)
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


def test_setting_up_an_authenticator_shows_a_qr_code_and_the_key_then_backup_codes(
    world: World,
) -> None:
    TOTPDevice.objects.filter(user=world.intake_officer).delete()
    with time_machine.travel(START, tick=False):
        client = password_sign_in("intake", PASSWORD)
        page = client.get(SETUP)
        assert page.status_code == 200
        device = TOTPDevice.objects.get(user=world.intake_officer, confirmed=False)
        assert b"<svg" in page.content
        assert b"data:" not in page.content
        assert b32encode(device.bin_key) in page.content
        # Reloading the page keeps the same key, so a scan made earlier still works.
        client.get(SETUP)
        assert TOTPDevice.objects.filter(user=world.intake_officer).count() == 1
        response = client.post(SETUP, {"code": current_code(device), "name": "my phone"})
        assert response.status_code == 200
        assert b"Your backup codes" in response.content
        codes = list(StaticToken.objects.filter(device__user=world.intake_officer))
        assert len(codes) == 10
        for token in codes:
            assert token.token.encode() in response.content
        assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert device.name == "my phone"
    [event] = events("auth.two_factor_device_added")
    assert event.detail == {"device_id": device.pk, "backup_codes_created": True}


def test_setting_up_refuses_a_wrong_code(world: World) -> None:
    TOTPDevice.objects.filter(user=world.intake_officer).delete()
    with time_machine.travel(START, tick=False):
        client = password_sign_in("intake", PASSWORD)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=world.intake_officer)
        wrong = f"{(int(current_code(device)) + 7) % 1_000_000:06d}"
        response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert b"That code is not right" in response.content
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME).status_code == 302


def test_with_only_a_password_nobody_can_add_an_authenticator_to_an_account_that_has_one(
    world: World,
) -> None:
    client = password_sign_in("intake", PASSWORD)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=world.intake_officer, confirmed=False).count() == 0


def test_a_verified_user_on_the_code_page_goes_straight_on(
    world: World, client_for: ClientFor
) -> None:
    response = client_for(world.case_officer).get(TWO_FACTOR)
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_the_code_page_sends_visitors_to_sign_in(client: Client, db: None) -> None:
    for page in (TWO_FACTOR, SETUP):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/account/sign-in/")


def test_the_code_page_ignores_a_next_address_on_another_site(world: World) -> None:
    device = TOTPDevice.objects.get(user=world.case_officer)
    with time_machine.travel(START, tick=False):
        client = password_sign_in("caseofficer", PASSWORD)
        response = client.post(
            TWO_FACTOR, {"code": current_code(device), "next": "https://evil.example/"}
        )
    assert response["Location"] == HOME
