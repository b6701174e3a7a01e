"""Administrators edit the bilingual taxonomy; nobody else can; codes never change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import AffectedGroup, Category, Outcome
from meesaq.cases.services.taxonomy import taxonomy_term_save
from meesaq.core.errors import MeesaqError
from tests.personas import World


@pytest.mark.django_db
def test_the_spec_taxonomy_is_seeded_in_both_languages() -> None:
    assert Category.objects.count() == 14
    assert AffectedGroup.objects.filter(kind="faith").count() == 8
    assert AffectedGroup.objects.filter(kind="vulnerable").count() == 5
    assert Outcome.objects.count() == 5
    assert not Category.objects.filter(label_ur="").exists()
    with translation.override("ur"):
        assert Category.objects.get(code="abduction").label == "اغوا"
    assert Category.objects.get(code="abduction").label == "Abduction"


def test_an_administrator_adds_and_edits_a_term(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.administrator)
    assert client.get(reverse("cases:taxonomy")).status_code == 200
    response = client.post(
        reverse("cases:taxonomy_add", kwargs={"kind": "categories"}),
        {"code": "desecration", "label_en": "Desecration", "label_ur": "بے حرمتی", "order": 20},
    )
    assert response.status_code == 302
    term = Category.objects.get(code="desecration")
    assert term.label_ur == "بے حرمتی"
    assert term.is_active is False  # an unticked box switches it off
    client.post(
        reverse("cases:taxonomy_edit", kwargs={"kind": "categories", "code": "desecration"}),
        {
            "label_en": "Desecration of sacred texts",
            "label_ur": "بے حرمتی",
            "order": 20,
            "is_active": "on",
        },
    )
    term.refresh_from_db()
    assert term.label_en == "Desecration of sacred texts"
    assert term.is_active
    assert AuditEvent.objects.filter(action="cases.taxonomy_created").count() == 1
    assert AuditEvent.objects.filter(action="cases.taxonomy_updated").count() == 1


def test_a_duplicate_code_is_refused_with_the_form_kept(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.administrator).post(
        reverse("cases:taxonomy_add", kwargs={"kind": "outcomes"}),
        {"code": "unresolved", "label_en": "Again", "order": 1},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert b"Again" in response.content
    assert Outcome.objects.filter(code="unresolved").count() == 1


def test_the_code_of_a_term_cannot_change(world: World) -> None:
    term = Category.objects.get(code="abduction")
    term.code = "kidnapping"
    with pytest.raises(MeesaqError) as error:
        taxonomy_term_save(actor=world.administrator, term=term)
    assert error.value.code == "code_locked"


def test_only_administrators_reach_the_taxonomy(
    world: World, client_for: Callable[..., Client]
) -> None:
    for persona, user in world.personas().items():
        if persona == "administrator":
            continue
        assert client_for(user).get(reverse("cases:taxonomy")).status_code == 404, persona
    with pytest.raises(MeesaqError):
        taxonomy_term_save(actor=world.supervisor, term=Category(code="x", label_en="X"))
    assert Client().get(reverse("cases:taxonomy")).status_code == 302


def test_an_unknown_taxonomy_answers_404(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.administrator)
    assert client.get("/en/cases/taxonomy/nothing/new/").status_code == 404
    assert client.get("/en/cases/taxonomy/categories/no-such-code/").status_code == 404
