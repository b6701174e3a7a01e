"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from meesaq.accounts.models import User
from tests.personas import World, build_world, sign_in

# Examples are never judged by how long they take (a busy CI machine is slow, not wrong), and
# a failing example is printed so it can be replayed.
hypothesis_settings.register_profile("meesaq", deadline=None, print_blob=True)
hypothesis_settings.load_profile("meesaq")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Load the real administrative units once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_places", verbosity=0)
    yield


@pytest.fixture(autouse=True)
def english_by_default() -> Iterator[None]:
    """Start every test in English: a request to an /ur/ page leaves Urdu active in the thread."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def world(db: None) -> World:
    """Return the organisations and one user per persona."""
    return build_world()


@pytest.fixture
def client_for(client: Client) -> Callable[[User], Client]:
    """Return a function that signs a user in (second factor given) and returns the client."""

    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


def pytest_report_header() -> str:
    """Say which database the run uses, so a log shows that the PostgreSQL run was real."""
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"
