"""Sign-in, lockout, sign-out, idle sessions and signing out everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.test import Client

from meesaq import settings as meesaq_settings
from meesaq.accounts.models import User
from tests.accounts.helpers import HOME, PROFILE, SIGN_IN, events, password_sign_in
from tests.personas import PASSWORD, World

ClientFor = Callable[[User], Client]


def test_argon2_is_the_password_hasher_of_the_real_settings() -> None:
    assert meesaq_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_stored_passwords_are_argon2_hashes(world: World) -> None:
    world.analyst.refresh_from_db()
    assert identify_hasher(world.analyst.password).algorithm == "argon2"
    assert get_hasher().algorithm == "argon2"
    assert world.analyst.password.startswith("argon2$argon2id$")


def test_the_sign_in_page_shows_the_form(client: Client, db: None) -> None:
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content


def test_an_analyst_signs_in_with_the_password_and_reaches_home(world: World) -> None:
    client = Client()
    response = client.post(SIGN_IN, {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200
    [event] = events("auth.sign_in")
    assert event.actor_id == world.analyst.pk
    assert event.object_id == str(world.analyst.pk)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(world: World) -> None:
    client = Client()
    response = client.post(SIGN_IN, {"username": "analyst", "password": "not the password"})
    assert response.status_code == 200
    assert b"do not match an active account" in response.content
    assert client.get(HOME).status_code == 302


def test_a_failed_sign_in_of_a_known_account_is_audited_against_the_account(
    world: World,
) -> None:
    Client().post(SIGN_IN, {"username": "analyst", "password": "not the password"})
    [event] = events("auth.sign_in_failed")
    assert event.actor_id is None
    assert event.object_type == "accounts.user"
    assert event.object_id == str(world.analyst.pk)
    assert event.detail == {"locked_out": False, "known_account": True}


def test_a_failed_sign_in_of_an_unknown_name_keeps_no_trace_of_the_name(world: World) -> None:
    Client().post(SIGN_IN, {"username": "someone.else", "password": "whatever it is"})
    [event] = events("auth.sign_in_failed")
    assert event.object_type == ""
    assert event.object_id == ""
    assert "someone.else" not in str(event.detail)
    assert event.actor_label == ""


def test_five_failures_lock_the_username_and_say_when_to_try_again(world: World) -> None:
    client = Client()
    responses = [
        client.post(SIGN_IN, {"username": "analyst", "password": f"wrong password {n}"})
        for n in range(5)
    ]
    assert [r.status_code for r in responses[:4]] == [200, 200, 200, 200]
    locked = responses[4]
    assert locked.status_code == 429
    assert b"Sign-in paused" in locked.content
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    assert f"try again in {minutes} minutes".encode() in locked.content
    assert b"analyst" not in locked.content
    assert events("auth.sign_in_failed")[-1].detail["locked_out"] is True


def test_a_locked_out_account_refuses_even_the_right_password(world: World) -> None:
    client = Client()
    for n in range(5):
        client.post(SIGN_IN, {"username": "analyst", "password": f"wrong password {n}"})
    response = client.post(SIGN_IN, {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 429
    assert client.get(HOME).status_code == 302
    assert events("auth.sign_in") == []


def test_the_lockout_ends_after_the_cool_off_time(world: World) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        for n in range(5):
            client.post(SIGN_IN, {"username": "analyst", "password": f"wrong password {n}"})
        traveller.shift(timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
        response = client.post(SIGN_IN, {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302


def test_the_lockout_page_of_an_unknown_name_looks_the_same_as_a_known_one(
    world: World,
) -> None:
    def lock(username: str) -> bytes:
        client = Client()
        for n in range(4):
            client.post(SIGN_IN, {"username": username, "password": f"wrong {n} password"})
        response = client.post(SIGN_IN, {"username": username, "password": "wrong again"})
        assert response.status_code == 429
        return response.content

    known, unknown = lock("analyst"), lock("nobody-here")

    def without_token(page: bytes) -> bytes:
        return b"".join(line for line in page.splitlines() if b"csrf" not in line)

    assert without_token(known) == without_token(unknown)


def test_the_lockout_page_is_translated(world: World) -> None:
    client = Client()
    for n in range(5):
        response = client.post(
            SIGN_IN.replace("/en/", "/ur/"), {"username": "analyst", "password": f"wrong {n}"}
        )
    assert response.status_code == 429
    assert b'lang="ur"' in response.content


def test_sign_out_needs_a_post(world: World, client_for: ClientFor) -> None:
    client = client_for(world.analyst)
    assert client.get("/en/account/sign-out/").status_code == 405
    response = client.post("/en/account/sign-out/")
    assert response.status_code == 302
    assert client.get(HOME).status_code == 302
    assert len(events("auth.sign_out")) == 1


def test_an_idle_session_ends_after_the_idle_timeout(world: World, client_for: ClientFor) -> None:
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(world.analyst)
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get(HOME).status_code == 200
        # Each request restarts the clock, so steady work never signs anyone out.
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get(HOME).status_code == 200
        traveller.shift(idle + timedelta(seconds=1))
        response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_the_idle_clock_is_written_at_most_once_a_minute(
    world: World, client_for: ClientFor
) -> None:
    # Not a session write per page view: within a minute the stored expiry stays put.
    from django.contrib.sessions.models import Session

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(world.analyst)
        assert client.get(HOME).status_code == 200
        key = client.session.session_key

        def expiry() -> datetime:
            return Session.objects.get(session_key=key).expire_date

        first = expiry()
        traveller.shift(timedelta(seconds=30))
        assert client.get(HOME).status_code == 200
        assert expiry() == first
        traveller.shift(timedelta(seconds=31))
        assert client.get(HOME).status_code == 200
        assert expiry() == first + timedelta(seconds=61)


def test_sign_out_everywhere_ends_the_sessions_on_other_devices(
    world: World, client_for: ClientFor
) -> None:
    laptop = client_for(world.case_officer)
    phone = client_for(world.case_officer)
    assert phone.get(HOME).status_code == 200
    response = laptop.post("/en/account/sign-out-everywhere/")
    assert response.status_code == 302
    assert phone.get(HOME).status_code == 302
    assert laptop.get(HOME).status_code == 302
    world.case_officer.refresh_from_db()
    assert world.case_officer.session_generation == 1
    [event] = events("auth.signed_out_everywhere")
    assert event.actor_id == world.case_officer.pk


def test_sign_out_everywhere_needs_a_post(world: World, client_for: ClientFor) -> None:
    client = client_for(world.case_officer)
    assert client.get("/en/account/sign-out-everywhere/").status_code == 405
    assert client.get(PROFILE).status_code == 200


def test_sign_out_everywhere_sends_visitors_to_sign_in(client: Client, db: None) -> None:
    response = client.post("/en/account/sign-out-everywhere/")
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_a_deactivated_user_cannot_sign_in(world: World) -> None:
    world.analyst.is_active = False
    world.analyst.save()
    client = password_sign_in("analyst", PASSWORD)
    assert client.get(HOME).status_code == 302
