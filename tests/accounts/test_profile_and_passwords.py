"""One's own account page, password rules, changing a password, and the one-time link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import (
    get_password_validators,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from meesaq.accounts import services
from meesaq.accounts.models import User
from meesaq.accounts.tokens import set_password_tokens, uid_for
from meesaq.core.errors import MeesaqError
from tests.accounts.helpers import HOME, PROFILE, SIGN_IN, events, password_sign_in
from tests.personas import PASSWORD, World

ClientFor = Callable[[User], Client]
NEW_PASSWORD = "a long river under the moon"


def link_for(user: User) -> str:
    """Return a set-password link as an administrator would issue it."""
    with translation.override("en"):
        return reverse(
            "accounts:set_password",
            kwargs={"uidb64": uid_for(user.pk), "token": set_password_tokens.make_token(user)},
        )


def test_the_profile_shows_name_roles_and_two_factor_state(
    world: World, client_for: ClientFor
) -> None:
    world.case_officer.first_name = "Nadia"
    world.case_officer.save()
    response = client_for(world.case_officer).get(PROFILE)
    assert response.status_code == 200
    assert b"Nadia" in response.content
    assert b"Case officer" in response.content
    assert b"Lhr Police Centre" in response.content
    assert b"1 authenticator app." in response.content
    assert b"/en/account/devices/" in response.content
    assert b"/en/account/sign-out-everywhere/" in response.content
    assert b"English" in response.content


def test_the_profile_sends_visitors_to_sign_in(client: Client, db: None) -> None:
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    world: World, client_for: ClientFor
) -> None:
    here = client_for(world.case_officer)
    elsewhere = client_for(world.case_officer)
    response = here.post(
        PROFILE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert here.get(HOME).status_code == 200
    assert elsewhere.get(HOME).status_code == 302
    world.case_officer.refresh_from_db()
    assert world.case_officer.check_password(NEW_PASSWORD)
    [event] = events("auth.password_changed")
    assert event.actor_id == world.case_officer.pk
    assert event.detail == {}


def test_changing_the_password_needs_the_old_one(world: World, client_for: ClientFor) -> None:
    client = client_for(world.analyst)
    response = client.post(
        PROFILE,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    world.analyst.refresh_from_db()
    assert world.analyst.check_password(PASSWORD)
    assert events("auth.password_changed") == []


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short pw 1", b"This password is too short. It must contain at least 12 characters."),
        ("123456789012345", b"This password is entirely numeric."),
        ("password1234", b"This password is too common."),
        ("analyst20261", b"The password is too similar to the username."),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(
    world: World, client_for: ClientFor, weak: str, message: bytes
) -> None:
    client = client_for(world.analyst)
    response = client.post(
        PROFILE, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert message in response.content
    world.analyst.refresh_from_db()
    assert world.analyst.check_password(PASSWORD)


MEESAQ_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "meesaq.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "meesaq.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "meesaq.accounts.validators.CommonPasswordValidator"},
    {"NAME": "meesaq.accounts.validators.NumericPasswordValidator"},
]


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short pw 1", "This password is too short. It must contain at least 12 characters."),
        ("123456789012345", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
        ("analyst20261", "The password is too similar to the username."),
    ],
)
def test_meesaqs_own_validators_refuse_the_same_passwords_in_words_it_can_translate(
    world: World, weak: str, message: str
) -> None:
    validators = get_password_validators(MEESAQ_VALIDATORS)
    with pytest.raises(ValidationError) as refused:
        validate_password(weak, world.analyst, password_validators=validators)
    assert message in refused.value.messages
    validate_password(NEW_PASSWORD, world.analyst, password_validators=validators)
    assert "at least 12 characters" in " ".join(password_validators_help_texts(validators))


def test_the_password_change_service_applies_the_rules(world: World) -> None:
    with pytest.raises(MeesaqError) as refused:
        services.user_password_change(user=world.analyst, new_password="short")
    assert refused.value.code == "weak_password"


def test_a_set_password_link_works_once(world: World) -> None:
    user = User.objects.create_user(username="newcomer")
    link = link_for(user)
    client = Client()
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    [event] = events("auth.password_set")
    assert event.actor_id == user.pk
    again = client.get(link)
    assert b"This link no longer works" in again.content
    assert b'name="new_password1"' not in again.content
    refused = client.post(
        link,
        {"new_password1": "another long phrase here", "new_password2": "another long phrase here"},
    )
    assert b"This link no longer works" in refused.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_link_token_dies_when_the_password_changes_because_the_hash_covers_it(
    world: World,
) -> None:
    user = User.objects.create_user(username="newcomer")
    token = set_password_tokens.make_token(user)
    assert set_password_tokens.check_token(user, token)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert not set_password_tokens.check_token(user, token)


def test_a_set_password_link_expires(world: World) -> None:
    user = User.objects.create_user(username="newcomer")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        link = link_for(user)
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT - 60))
        assert b'name="new_password1"' in Client().get(link).content
        traveller.shift(timedelta(seconds=120))
        assert b"This link no longer works" in Client().get(link).content


def test_the_set_password_page_applies_the_password_rules(world: World) -> None:
    user = User.objects.create_user(username="newcomer")
    link = link_for(user)
    response = Client().post(
        link, {"new_password1": "newcomer1234", "new_password2": "newcomer1234"}
    )
    assert response.status_code == 200
    assert b"too similar to the username" in response.content
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_broken_link_says_it_no_longer_works(db: None) -> None:
    response = Client().get("/en/account/set-password/zzzz/abc-def/")
    assert response.status_code == 200
    assert b"This link no longer works" in response.content


def test_after_setting_a_password_the_user_can_sign_in(world: World) -> None:
    user = User.objects.create_user(username="newcomer")
    Client().post(link_for(user), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client = password_sign_in("newcomer", NEW_PASSWORD)
    assert client.get(HOME).status_code == 200
