"""The places pages: administrators browse, search, add units and fix names; others get 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from meesaq.audit.models import AuditEvent
from meesaq.geo.models import AdminUnit, Level
from tests.geo.helpers import division
from tests.personas import World

ClientFor = Callable[..., Client]
PAGES = ["/en/places/", "/en/places/PK617/", "/en/places/new/", "/en/places/PK617/edit/"]


@pytest.mark.parametrize("url", PAGES)
def test_every_other_persona_gets_404(world: World, client_for: ClientFor, url: str) -> None:
    for persona, user in world.personas().items():
        if persona != "administrator":
            assert client_for(user).get(url).status_code == 404, persona


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_sign_in(db: None, client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_the_tree_starts_with_the_provinces(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.administrator)
    with django_assert_max_num_queries(12):
        response = client.get("/en/places/")
    assert response.status_code == 200
    assert response.context["children"] and len(response.context["children"]) == 7
    assert b"Khyber Pakhtunkhwa" in response.content


def test_a_district_page_shows_breadcrumbs_and_its_tehsils(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.administrator)
    with django_assert_max_num_queries(12):
        response = client.get("/en/places/PK617/")
    assert response.status_code == 200
    assert [u.pcode for u in response.context["ancestors"]] == ["PK6", division("Lahore").pcode]
    assert {u.level for u in response.context["children"]} == {Level.TEHSIL}
    assert b'href="/en/places/new/?parent=PK617"' in response.content


def test_the_list_browses_a_unit_named_in_the_query(world: World, client_for: ClientFor) -> None:
    client = client_for(world.administrator)
    response = client.get("/en/places/", {"unit": "pk6"})
    assert response.context["unit"].pcode == "PK6"
    assert client.get("/en/places/", {"unit": "PK999"}).status_code == 404
    assert client.get("/en/places/PK999/").status_code == 404


def test_search_finds_places_by_name(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).get("/en/places/", {"q": "faisal"})
    assert "PK608" in {unit.pcode for unit in response.context["results"]}


def test_a_tehsil_page_offers_no_place_inside(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).get("/en/places/PK61701/")
    assert b"/en/places/new/?parent=" not in response.content


def test_the_new_place_form_is_prefilled_from_the_parent(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    form = client.get("/en/places/new/", {"parent": "PK617"}).context["form"]
    assert form.initial == {"parent": "PK617", "level": Level.TEHSIL}
    form = client.get("/en/places/new/", {"parent": "PK6"}).context["form"]
    assert form.initial == {"parent": "PK6", "level": Level.DISTRICT}


def test_an_administrator_adds_a_district_through_the_page(
    world: World, client_for: ClientFor
) -> None:
    rawalpindi = division("Rawalpindi")
    response = client_for(world.administrator).post(
        "/en/places/new/",
        {
            "parent": rawalpindi.pcode,
            "level": Level.DISTRICT,
            "pcode": "pk637",
            "name_en": "Murree",
            "name_ur": "مری",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/places/PK637/"
    assert AdminUnit.objects.get(pcode="PK637").parent == rawalpindi


def test_a_taken_pcode_is_shown_next_to_the_field_and_nothing_is_written(
    world: World, client_for: ClientFor
) -> None:
    units = AdminUnit.objects.count()
    response = client_for(world.administrator).post(
        "/en/places/new/",
        {"parent": "PK6", "level": Level.DISTRICT, "pcode": "PK608", "name_en": "Faisalabad"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["pcode"] == [
        "The P-code PK608 is already taken by another place."
    ]
    assert AdminUnit.objects.count() == units
    assert not AuditEvent.objects.filter(action="geo.unit_created").exists()


def test_a_tehsil_cannot_be_chosen_as_a_parent(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).post(
        "/en/places/new/",
        {"parent": "PK61701", "level": Level.TEHSIL, "pcode": "PK6170199", "name_en": "X"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors


def test_an_administrator_adds_an_urdu_name(world: World, client_for: ClientFor) -> None:
    client = client_for(world.administrator)
    form = client.get("/en/places/PK617/edit/").context["form"]
    assert form.fields["name_en"].disabled
    response = client.post("/en/places/PK617/edit/", {"name_en": "Renamed", "name_ur": "لاہور"})
    assert response.status_code == 302
    lahore = AdminUnit.objects.get(pcode="PK617")
    assert (lahore.name_en, lahore.name_ur) == ("Lahore", "لاہور")


def test_the_urdu_page_shows_the_urdu_name(world: World, client_for: ClientFor) -> None:
    response = client_for(world.administrator).get("/ur/places/PK6/")
    assert response.status_code == 200
    assert "<h1>پنجاب" in response.content.decode()
