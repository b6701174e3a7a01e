"""Tokens and sessions: 401 in the one error shape, read-only scope, expiry, revocation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from meesaq.api.models import ApiToken
from meesaq.api.services import token_create, token_digest, token_revoke
from meesaq.core.errors import MeesaqError
from tests.api.conftest import ApiClient, make_token
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_a_call_without_credentials_gets_401_in_the_error_shape() -> None:
    response = Client().get("/api/v1/cases")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert set(response.json()) == {"error", "detail", "fields"}
    assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_gets_401_with_the_message_in_urdu() -> None:
    response = Client().get(
        "/api/v1/cases", headers={"Authorization": "Bearer mq_nope", "Accept-Language": "ur"}
    )
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert (
        response.json()["detail"] != "Send a valid API token (Authorization: Bearer …) or sign in."
    )


def test_the_token_is_stored_only_as_its_hash(world: World) -> None:
    made = token_create(
        user=world.case_officer, name="ngo", days=30, read_only=False, second_factor_given=True
    )
    stored = ApiToken.objects.get()
    assert stored.digest == token_digest(made.secret)
    assert made.secret not in {stored.digest, stored.prefix, stored.name}


def test_a_token_cannot_be_made_without_the_second_factor(world: World) -> None:
    with pytest.raises(MeesaqError) as refused:
        token_create(
            user=world.case_officer, name="x", days=30, read_only=False, second_factor_given=False
        )
    assert refused.value.code == "second_factor_required"
    assert not ApiToken.objects.exists()


def test_a_read_only_token_reads_but_cannot_write(
    world: World, api_for: Callable[..., ApiClient]
) -> None:
    reader = api_for(world.case_officer, read_only=True)
    assert reader.get("/cases").status_code == 200
    refused = reader.post("/cases", {"title": "x"})
    assert refused.status_code == 403
    assert refused.json()["error"] == "token_read_only"


def test_an_expired_or_revoked_token_no_longer_works(world: World) -> None:
    secret = make_token(world.case_officer)
    client = ApiClient(secret)
    assert client.get("/cases").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert client.get("/cases").status_code == 401
    token_revoke(user=world.case_officer, token_id=ApiToken.objects.get().pk)
    assert client.get("/cases").status_code == 401


def test_using_a_token_notes_when_it_was_last_used(world: World) -> None:
    client = ApiClient(make_token(world.case_officer))
    client.get("/cases")
    assert ApiToken.objects.get().last_used_at is not None


def test_a_token_acts_exactly_as_its_user(world: World, api_for: Callable[..., ApiClient]) -> None:
    # An analyst sees no case on the pages, so not through the API either.
    assert api_for(world.analyst).get("/cases").status_code == 404


def test_a_signed_in_session_reads_and_needs_csrf_to_write(
    world: World, client_for: Callable[..., Client]
) -> None:
    session = client_for(world.case_officer)
    assert session.get("/api/v1/cases").status_code == 200
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = session.cookies
    refused = checked.post("/api/v1/cases", "{}", content_type="application/json")
    assert refused.status_code in {401, 403}
    assert "error" in refused.json()


@override_settings(MEESAQ_API_RATE="3/m")
def test_too_many_calls_get_429_in_the_error_shape(world: World) -> None:
    client = ApiClient(make_token(world.case_officer))
    codes = [client.get("/cases").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/cases").json()["error"] == "throttled"
