"""Fuzzed form posts to every page: whatever is sent, no page answers with a server error.

For each URL, the persona that may use it posts bodies built from the page's own field names
(and some foreign ones) filled with generated values: Urdu and Latin text, control characters,
NUL bytes, huge and negative numbers, odd dates. A refusal (200 with the form's errors, 302,
400, 404, 405, or 503 from an inbound hook with no secret configured) is fine; a 500 fails the
test and names the page and the body.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access.test_url_walk import (
    SAMPLE_KWARGS,
    Route,
    _case_sample,
    _expected_allowed,
    _is_case_route,
    all_routes,
)
from tests.personas import World, sign_in

FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"")
# Posting these ends the session or changes the language; they are checked by their own tests.
SKIPPED = {"accounts:logout", "accounts:logout_everywhere", "set_language"}
PREFERENCE = (
    "administrator",
    "supervisor",
    "case_officer",
    "intake_officer",
    "provincial_officer",
    "partner_caseworker",
    "programme_coordinator",
    "analyst",
    "auditor",
)

values = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنوہھءیے۰۱۲۳۴۵۶۷۸۹ ", max_size=30),
    st.sampled_from(["\x00", "0", "-1", "1e309", "99999999999999999999", "2026-02-30", "", "on"]),
    st.integers().map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(["x" * 5000, "ب" * 3000, "<script>alert(1)</script>", "' OR 1=1 --"]),
)


def _target(route: Route, world: World, case_sample: dict[str, str]) -> tuple[str, str] | None:
    if route.name in SKIPPED:
        return None
    if _is_case_route(route):
        kwargs = {name: case_sample[name] for name in route.params}
    else:
        kwargs = SAMPLE_KWARGS[route.name](world) if route.params else {}
    for persona in PREFERENCE:
        if _expected_allowed(route, persona, world, kwargs.get("reference")):
            return reverse(route.name, kwargs=kwargs), persona
    return None


@pytest.mark.django_db
def test_no_page_answers_a_fuzzed_post_with_a_server_error(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    case_sample = _case_sample(world)
    targets: list[tuple[str, str, list[str]]] = []
    for route in all_routes():
        target = _target(route, world, case_sample)
        if target is None:
            continue
        url, persona = target
        page = sign_in(Client(), world.personas()[persona]).get(url)
        # Downloads (exports) stream and hold no form.
        html = "" if page.streaming else page.content.decode(errors="replace")
        names = sorted(set(FIELD.findall(html)) - {"csrfmiddlewaretoken"})
        targets.append((url, persona, names))
    assert len(targets) > 20

    posted = sum(fuzz(world, url, persona, names) for url, persona, names in targets)
    with capsys.disabled():
        print(f"\nform fuzz: {posted} generated bodies posted to {len(targets)} pages")


def fuzz(world: World, url: str, persona: str, names: list[str]) -> int:
    """Post generated bodies to one page as one persona; return how many."""
    posted: list[int] = []
    keys = st.sampled_from([*names, "unexpected"])

    @settings(
        max_examples=8,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=st.dictionaries(keys, values, max_size=len(names) + 1))
    def post(body: dict[str, str]) -> None:
        client = sign_in(Client(raise_request_exception=False), world.personas()[persona])
        response = client.post(url, body)
        posted.append(response.status_code)
        # 500 is an unhandled error; a deliberate 503 (a gateway hook not configured) is not.
        assert response.status_code != 500, f"{url} as {persona} with {body!r}"

    post()
    return len(posted)
