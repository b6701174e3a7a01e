"""The organisation pages: a directory for all staff, changes for administrators only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from meesaq.audit.models import AuditEvent
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Organisation, OrganisationKind
from tests.personas import World, make_organisation

ClientFor = Callable[..., Client]


def test_the_list_is_open_to_every_persona(world: World, client_for: ClientFor) -> None:
    for persona, user in world.personas().items():
        response = client_for(user).get("/en/organisations/")
        assert response.status_code == 200, persona
        assert b"Lhr Police Centre" in response.content


def test_visitors_are_sent_to_sign_in(world: World, client: Client) -> None:
    for url in (
        "/en/organisations/",
        f"/en/organisations/{world.lahore_centre.pk}/",
        "/en/organisations/new/",
        f"/en/organisations/{world.lahore_centre.pk}/edit/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/sign-in/" in response["Location"]


def test_the_list_filters_by_kind_place_and_text(world: World, client_for: ClientFor) -> None:
    client = client_for(world.intake_officer)
    response = client.get("/en/organisations/", {"kind": "police_centre", "place": "PK617"})
    assert [o.code for o in response.context["page_obj"].object_list] == ["lhr-police-centre"]
    response = client.get("/en/organisations/", {"q": "community"})
    assert [o.code for o in response.context["page_obj"].object_list] == ["lhr-community-centre"]


def test_the_list_pages_in_a_fixed_number_of_queries(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    lahore = AdminUnit.objects.get(pcode="PK617")
    Organisation.objects.bulk_create(
        Organisation(
            code=f"ngo-{number}",
            name_en=f"NGO {number:02d}",
            kind=OrganisationKind.CIVIL_SOCIETY,
            jurisdiction=lahore,
            parent=world.punjab_department,
        )
        for number in range(40)
    )
    client = client_for(world.supervisor)
    with django_assert_max_num_queries(12):
        response = client.get("/en/organisations/", {"page": "2", "place": "PK6"})
    page = response.context["page_obj"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 46, 21)
    assert b'href="?page=1&amp;place=PK6"' in response.content


def test_the_detail_page_is_open_to_every_persona(world: World, client_for: ClientFor) -> None:
    for persona, user in world.personas().items():
        response = client_for(user).get(f"/en/organisations/{world.lahore_centre.pk}/")
        assert response.status_code == 200, persona


def test_members_show_only_to_administrators_and_supervisors_in_scope(
    world: World, client_for: ClientFor
) -> None:
    url = f"/en/organisations/{world.lahore_centre.pk}/"
    for persona, user in world.personas().items():
        response = client_for(user).get(url)
        sees = persona in {"administrator", "supervisor", "provincial_officer"}
        assert (b"caseofficer" in response.content) is sees, persona
        assert (response.context["members"] is not None) is sees, persona


def test_the_detail_page_runs_in_a_fixed_number_of_queries(
    world: World, client_for: ClientFor, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.administrator)
    with django_assert_max_num_queries(14):
        response = client.get(f"/en/organisations/{world.lahore_centre.pk}/")
    assert [p.pcode for p in response.context["places"]][-1] == "PK617"


def test_an_inactive_organisation_is_404_except_for_administrators(
    world: World, client_for: ClientFor
) -> None:
    world.lahore_ngo.is_active = False
    world.lahore_ngo.save()
    url = f"/en/organisations/{world.lahore_ngo.pk}/"
    assert client_for(world.administrator).get(url).status_code == 200
    assert client_for(world.supervisor).get(url).status_code == 404
    assert client_for(world.supervisor).get("/en/organisations/999999/").status_code == 404


@pytest.mark.parametrize("page", ["new/", "{pk}/edit/"])
def test_changes_are_for_administrators_only(
    world: World, client_for: ClientFor, page: str
) -> None:
    url = "/en/organisations/" + page.format(pk=world.lahore_centre.pk)
    for persona, user in world.personas().items():
        expected = 200 if persona == "administrator" else 404
        assert client_for(user).get(url).status_code == expected, persona
        if persona != "administrator":
            assert client_for(user).post(url, {"status": "deactivate"}).status_code == 404


def test_an_administrator_adds_an_organisation_with_a_typed_pcode(
    world: World, client_for: ClientFor
) -> None:
    response = client_for(world.administrator).post(
        "/en/organisations/new/",
        {
            "name_en": "Model Town Community Centre",
            "name_ur": "",
            "code": "lhr-model-town-cc",
            "kind": "community_centre",
            "place": "PK6",
            "place_pcode": "pk61701",
            "parent": str(world.lahore_community_centre.pk),
        },
    )
    created = Organisation.objects.get(code="lhr-model-town-cc")
    assert response.status_code == 302
    assert response["Location"] == f"/en/organisations/{created.pk}/"
    assert (created.jurisdiction_id, created.parent) == ("PK61701", world.lahore_community_centre)


def test_a_refused_organisation_shows_why_and_writes_nothing(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    count = Organisation.objects.count()
    data = {"name_en": "Copy", "code": "fsd-police-centre", "kind": "police_centre"}
    response = client.post("/en/organisations/new/", {**data, "place": "PK608"})
    assert response.context["form"].errors["code"] == [
        "The short code fsd-police-centre is already used by another organisation."
    ]
    response = client.post("/en/organisations/new/", {**data, "place_pcode": "PK999"})
    assert response.context["form"].errors["place_pcode"] == ["No place has this P-code."]
    response = client.post("/en/organisations/new/", {**data, "code": "fresh"})
    assert "place" in response.context["form"].errors
    assert Organisation.objects.count() == count


def test_an_administrator_edits_an_organisation_and_is_warned_about_placement(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    url = f"/en/organisations/{world.faisalabad_centre.pk}/edit/"
    form = client.get(url).context["form"]
    assert form.initial["place"] == "PK608"
    response = client.post(
        url,
        {
            "name_en": "Faisalabad Meesaq Centre",
            "code": "fsd-police-centre",
            "kind": "police_centre",
            "place": "PK608",
            "parent": str(world.lahore_centre.pk),
        },
        follow=True,
    )
    world.faisalabad_centre.refresh_from_db()
    assert world.faisalabad_centre.name_en == "Faisalabad Meesaq Centre"
    assert "outside the jurisdiction of its parent" in response.content.decode()


def test_an_organisation_at_a_tehsil_keeps_its_pcode_in_the_form(
    world: World, client_for: ClientFor
) -> None:
    clinic = make_organisation("tehsil-clinic", OrganisationKind.CIVIL_SOCIETY, "PK61701")
    form = client_for(world.administrator).get(f"/en/organisations/{clinic.pk}/edit/")
    assert form.context["form"].initial["place_pcode"] == "PK61701"


def test_an_administrator_deactivates_and_reactivates_an_organisation(
    world: World, client_for: ClientFor
) -> None:
    client = client_for(world.administrator)
    url = f"/en/organisations/{world.lahore_ngo.pk}/edit/"
    assert client.post(url, {"status": "deactivate"}).status_code == 302
    world.lahore_ngo.refresh_from_db()
    assert not world.lahore_ngo.is_active
    assert client.post(url, {"status": "reactivate"}).status_code == 302
    world.lahore_ngo.refresh_from_db()
    assert world.lahore_ngo.is_active
    assert AuditEvent.objects.filter(object_id=str(world.lahore_ngo.pk)).count() == 2


def test_a_refused_deactivation_is_explained_on_the_page(
    world: World, client_for: ClientFor
) -> None:
    world.lahore_centre.parent = world.punjab_department
    world.lahore_centre.save()
    response = client_for(world.administrator).post(
        f"/en/organisations/{world.punjab_department.pk}/edit/", {"status": "deactivate"}
    )
    assert response.status_code == 200
    assert "active sub-organisations" in response.content.decode()
    world.punjab_department.refresh_from_db()
    assert world.punjab_department.is_active
