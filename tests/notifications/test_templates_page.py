"""Administrators edit the message templates, with only the placeholders each event gives."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from meesaq.accounts.models import User
from meesaq.audit.models import AuditEvent
from meesaq.notifications.models import MessageTemplate
from tests.accounts.helpers import SIGN_IN
from tests.personas import World

ClientFor = Callable[[User], Client]


def _sms_template() -> MessageTemplate:
    return MessageTemplate.objects.get(event="case.status_changed", channel="sms")


def _edit_url(template: MessageTemplate) -> str:
    return reverse("notifications:template_edit", kwargs={"template_id": template.pk})


def test_an_administrator_sees_every_template(world: World, client_for: ClientFor) -> None:
    page = client_for(world.administrator).get(reverse("notifications:templates"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "case.status_changed" in body
    assert _edit_url(_sms_template()) in body


def test_an_administrator_changes_a_template_and_it_is_audited(
    world: World, client_for: ClientFor
) -> None:
    template = _sms_template()
    response = client_for(world.administrator).post(
        _edit_url(template),
        {
            "text_en": "Meesaq: complaint {reference} is {status}.",
            "text_ur": "{reference} {status}",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.text_en == "Meesaq: complaint {reference} is {status}."
    assert template.text_ur == "{reference} {status}"
    event = AuditEvent.objects.get(action="notifications.template_changed")
    assert event.object_id == str(template.pk)
    assert event.detail == {
        "event": "case.status_changed",
        "channel": "sms",
        "changed": "text_en,text_ur",
    }


def test_a_placeholder_the_event_does_not_give_is_refused_and_the_form_kept(
    world: World, client_for: ClientFor
) -> None:
    template = _sms_template()
    before = template.text_en
    response = client_for(world.administrator).post(
        _edit_url(template),
        {"text_en": "Dear {name}, complaint {reference}", "text_ur": "{reference}"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "This message may only use {reference}, {status}; remove {name}." in body
    assert "Dear {name}, complaint {reference}" in body
    template.refresh_from_db()
    assert template.text_en == before
    assert not AuditEvent.objects.filter(action="notifications.template_changed").exists()


def test_an_in_app_template_may_not_use_the_status_and_braces_must_be_plain_names(
    world: World, client_for: ClientFor
) -> None:
    template = MessageTemplate.objects.get(event="deadline.overdue", channel="in_app")
    client = client_for(world.administrator)
    refused = client.post(_edit_url(template), {"text_en": "{status}", "text_ur": "{reference}"})
    assert "remove {status}" in refused.content.decode()
    odd = client.post(
        _edit_url(template), {"text_en": "{reference.__class__}", "text_ur": "{reference"}
    )
    assert "Write placeholders as a name in braces" in odd.content.decode()
    template.refresh_from_db()
    assert template.text_en == "Case {reference} is overdue."


def test_other_roles_get_404_on_the_template_pages(world: World, client_for: ClientFor) -> None:
    template = _sms_template()
    for user in (world.supervisor, world.auditor, world.outsider):
        client = client_for(user)
        assert client.get(reverse("notifications:templates")).status_code == 404
        assert client.get(_edit_url(template)).status_code == 404
        response = client.post(_edit_url(template), {"text_en": "x", "text_ur": "y"})
        assert response.status_code == 404
    template.refresh_from_db()
    assert template.text_en != "x"


def test_a_missing_template_is_404(world: World, client_for: ClientFor) -> None:
    url = reverse("notifications:template_edit", kwargs={"template_id": 999999})
    assert client_for(world.administrator).get(url).status_code == 404


def test_anonymous_is_redirected_to_sign_in_from_the_template_pages(
    world: World, client: Client
) -> None:
    for url in (reverse("notifications:templates"), _edit_url(_sms_template())):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(SIGN_IN)
