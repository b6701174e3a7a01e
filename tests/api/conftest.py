"""Helpers for API tests: a token per persona and a client that sends it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from meesaq.accounts.models import User
from meesaq.api.services import token_create


@pytest.fixture(autouse=True)
def fresh_throttle() -> Iterator[None]:
    """Start each test with no calls counted against the rate limit."""
    cache.clear()
    yield
    cache.clear()


class ApiClient:
    """A test client that calls the API with a bearer token."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.secret = secret

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}", **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self._headers(headers))

    def post(
        self, path: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            json.dumps(body or {}),
            content_type="application/json",
            headers=self._headers(headers),
        )


def make_token(user: User, *, read_only: bool = False) -> str:
    """Return a fresh token secret for the user."""
    return token_create(
        user=user, name="test", days=30, read_only=read_only, second_factor_given=True
    ).secret


@pytest.fixture
def api_for() -> Callable[..., ApiClient]:
    """Return a function that gives an API client acting as a user."""

    def make(user: User, *, read_only: bool = False) -> ApiClient:
        return ApiClient(make_token(user, read_only=read_only))

    return make
