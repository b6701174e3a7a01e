"""The API tokens page: made after two-factor only, shown once, listed, revoked by its owner."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from meesaq.api.models import ApiToken
from meesaq.audit.models import AuditEvent
from tests.api.conftest import make_token
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_then_listed_by_its_prefix_only(
    world: World, client_for: Callable[..., Client]
) -> None:
    page = client_for(world.partner_caseworker)
    made = page.post("/en/api/tokens/", {"name": "Legal aid system", "days": "90"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    found = re.search(r"mq_[A-Za-z0-9_-]{40,}", made.content.decode())
    assert found is not None
    secret = found.group(0)
    assert secret.startswith(token.prefix)
    again = page.get("/en/api/tokens/").content.decode()
    assert secret not in again
    assert token.prefix in again
    assert AuditEvent.objects.filter(action="api.token_created").exists()


def test_a_session_without_the_second_factor_cannot_make_a_token(world: World) -> None:
    # An analyst's role needs no second factor, so the session never gave one.
    client = Client()
    client.force_login(world.analyst)
    response = client.post("/en/api/tokens/", {"name": "x", "days": "30"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert b"second factor" in response.content


def test_only_the_owner_revokes_a_token(world: World, client_for: Callable[..., Client]) -> None:
    make_token(world.case_officer)
    token = ApiToken.objects.get()
    client_for(world.outsider).post(f"/en/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None
    client_for(world.case_officer).post(f"/en/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_bad_lifetime_is_refused_on_the_form(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.case_officer).post("/en/api/tokens/", {"name": "x", "days": "9999"})
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_the_tokens_page_needs_a_sign_in() -> None:
    response = Client().get("/en/api/tokens/")
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]
