"""Every form that changes something refuses a post without the CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.access.test_url_walk import _case_sample, all_routes
from tests.personas import World, sign_in
from tests.properties.test_form_fuzz import _target

pytestmark = pytest.mark.django_db

# Called by machines with their own signatures, not by browsers with a session.
SIGNED_HOOKS = {"portal-inbound"}


def test_every_page_refuses_a_post_without_the_csrf_token(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    case_sample = _case_sample(world)
    accepted = []
    checked = 0
    for route in all_routes():
        if route.name in SIGNED_HOOKS or route.name.startswith("api-v1:"):
            continue
        target = _target(route, world, case_sample)
        url, persona = target if target else (reverse(route.name), "")
        client = Client(enforce_csrf_checks=True)
        if persona:
            sign_in(client, world.personas()[persona])
        response = client.post(url, {"anything": "x"})
        checked += 1
        if response.status_code != 403:
            accepted.append(f"{route.name} as {persona or 'anonymous'}: {response.status_code}")
    with capsys.disabled():
        print(f"\ncsrf: {checked} pages posted to without a token")
    assert accepted == []
