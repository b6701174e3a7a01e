"""The page where users manage their own second factors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.accounts.models import User
from tests.accounts.helpers import DEVICES, HOME, SETUP, current_code, events
from tests.personas import PASSWORD, World

ClientFor = Callable[[User], Client]
START = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def test_the_devices_page_lists_authenticators_and_backup_codes_left(
    world: World, client_for: ClientFor
) -> None:
    backup = StaticDevice.objects.create(user=world.case_officer, name="backup")
    backup.token_set.create(token="aaaa2222")
    backup.token_set.create(token="bbbb3333")
    response = client_for(world.case_officer).get(DEVICES)
    assert response.status_code == 200
    assert b"phone" in response.content
    assert b"You have 2 unused backup codes." in response.content
    assert b"aaaa2222" not in response.content


def test_the_devices_page_sends_visitors_to_sign_in(client: Client, db: None) -> None:
    response = client.get(DEVICES)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/sign-in/")


def test_a_verified_user_can_add_a_second_authenticator_and_keeps_the_backup_codes(
    world: World, client_for: ClientFor
) -> None:
    backup = StaticDevice.objects.create(user=world.case_officer, name="backup")
    backup.token_set.create(token="aaaa2222")
    client = client_for(world.case_officer)
    with time_machine.travel(START, tick=False):
        assert client.get(SETUP).status_code == 200
        new = TOTPDevice.objects.get(user=world.case_officer, confirmed=False)
        response = client.post(SETUP, {"code": current_code(new), "name": "tablet"})
    assert response.status_code == 302
    assert response["Location"] == DEVICES
    assert TOTPDevice.objects.filter(user=world.case_officer, confirmed=True).count() == 2
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["aaaa2222"]
    assert events("auth.two_factor_device_added")[-1].detail["backup_codes_created"] is False


def test_removing_an_authenticator_needs_the_password_or_a_code(
    world: World, client_for: ClientFor
) -> None:
    spare = TOTPDevice.objects.create(user=world.case_officer, name="old phone", confirmed=True)
    client = client_for(world.case_officer)
    response = client.post(
        DEVICES, {"operation": "remove", "device": spare.pk, "confirmation": "not my password"}
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(pk=spare.pk).exists()
    assert b"Enter your password or a current code" in client.get(DEVICES).content
    assert events("auth.two_factor_device_removed") == []

    client.post(DEVICES, {"operation": "remove", "device": spare.pk, "confirmation": PASSWORD})
    assert not TOTPDevice.objects.filter(pk=spare.pk).exists()
    [event] = events("auth.two_factor_device_removed")
    assert event.detail == {"device_id": spare.pk}
    assert client.get(HOME).status_code == 200


def test_a_current_code_from_another_authenticator_confirms_a_removal(
    world: World, client_for: ClientFor
) -> None:
    kept = TOTPDevice.objects.get(user=world.case_officer)
    spare = TOTPDevice.objects.create(user=world.case_officer, name="old phone", confirmed=True)
    client = client_for(world.case_officer)
    with time_machine.travel(START, tick=False):
        client.post(
            DEVICES,
            {"operation": "remove", "device": spare.pk, "confirmation": current_code(kept)},
        )
    assert list(TOTPDevice.objects.filter(user=world.case_officer)) == [kept]


def test_the_last_authenticator_stays_when_the_role_requires_two_factor(
    world: World, client_for: ClientFor
) -> None:
    only = TOTPDevice.objects.get(user=world.case_officer)
    client = client_for(world.case_officer)
    client.post(DEVICES, {"operation": "remove", "device": only.pk, "confirmation": PASSWORD})
    assert TOTPDevice.objects.filter(pk=only.pk).exists()
    assert b"cannot be removed" in client.get(DEVICES).content


def test_an_analyst_may_remove_their_only_authenticator(
    world: World, client_for: ClientFor
) -> None:
    only = TOTPDevice.objects.get(user=world.analyst)
    client = client_for(world.analyst)
    client.post(DEVICES, {"operation": "remove", "device": only.pk, "confirmation": PASSWORD})
    assert not TOTPDevice.objects.filter(pk=only.pk).exists()


def test_nobody_can_remove_another_users_authenticator(world: World, client_for: ClientFor) -> None:
    theirs = TOTPDevice.objects.get(user=world.analyst)
    client = client_for(world.outsider)
    client.post(DEVICES, {"operation": "remove", "device": theirs.pk, "confirmation": PASSWORD})
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()
    assert events("auth.two_factor_device_removed") == []


def test_new_backup_codes_replace_the_old_ones_and_are_shown_once(
    world: World, client_for: ClientFor
) -> None:
    old = StaticDevice.objects.create(user=world.case_officer, name="backup")
    old.token_set.create(token="aaaa2222")
    client = client_for(world.case_officer)
    response = client.post(DEVICES, {"operation": "backup_codes", "confirmation": PASSWORD})
    assert response.status_code == 200
    codes = list(
        StaticToken.objects.filter(device__user=world.case_officer).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert "aaaa2222" not in codes
    assert all(code.encode() in response.content for code in codes)
    assert codes[0].encode() not in client.get(DEVICES).content
    [event] = events("auth.backup_codes_generated")
    assert event.detail == {"count": 10}


def test_new_backup_codes_need_the_password_or_a_code(world: World, client_for: ClientFor) -> None:
    client = client_for(world.case_officer)
    client.post(DEVICES, {"operation": "backup_codes", "confirmation": "guess"})
    assert not StaticToken.objects.filter(device__user=world.case_officer).exists()
    assert events("auth.backup_codes_generated") == []
