"""Walk every URL the project defines as every persona; fail on any view without an access rule.

A new URL must (1) guard its view with ``meesaq.access.decorators.page(action)`` and (2), if it
takes arguments, get sample arguments in ``SAMPLE_KWARGS`` below; object-level URLs also declare
which personas reach the sample object in ``OBJECT_AUDIENCE``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from meesaq.access import policy
from meesaq.access.decorators import declared_rule
from meesaq.accounts.tokens import set_password_tokens
from meesaq.notifications.models import MessageTemplate
from meesaq.sla.models import DeadlineRule, Holiday
from tests.personas import World
from tests.testapp.models import ProtectedRecord


@dataclass(frozen=True)
class Route:
    """One named URL pattern and the view behind it."""

    name: str
    view: Callable[..., Any]
    params: tuple[str, ...]


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            params = tuple(entry.pattern.regex.groupindex)
            yield Route(f"{namespace}{entry.name}", entry.callback, params)


# The REST API answers with its own auth and error shape; tests/access/test_api_matrix.py walks
# its operations.
API_NAMESPACE = "api-v1:"


def all_routes() -> list[Route]:
    """Return every named route, once (the i18n prefix repeats nothing)."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.name.startswith(API_NAMESPACE):
            continue
        seen.setdefault(route.name, route)
    return sorted(seen.values(), key=lambda route: route.name)


def _protected_record(world: World) -> ProtectedRecord:
    return ProtectedRecord.objects.create(
        organisation=world.lahore_centre,
        jurisdiction=world.lahore_centre.jurisdiction,
        title="walk sample",
    )


def _referral_sample(world: World) -> dict[str, str]:
    from meesaq.referrals.services import referral_create
    from tests.cases.factories import make_case

    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    referral = referral_create(
        actor=world.case_officer,
        case=case,
        to_organisation=world.lahore_ngo,
        reason="walk sample",
        shared_fields=["title"],
    )
    return {"referral_id": str(referral.pk)}


def _transfer_sample(world: World) -> dict[str, str]:
    from meesaq.referrals.services import transfer_request
    from tests.cases.factories import make_case

    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    transfer = transfer_request(
        actor=world.supervisor, case=case, to_organisation=world.faisalabad_centre, reason="walk"
    )
    return {"transfer_id": str(transfer.pk)}


def _saved_report_sample(world: World) -> dict[str, str]:
    from meesaq.reports.builder import saved_report_create

    report = saved_report_create(
        actor=world.analyst, name="walk", shared=True, definition={"rows": "status"}
    )
    return {"report_id": str(report.pk)}


def _periodic_report_sample(world: World) -> dict[str, str]:
    from meesaq.reports.models import PeriodicReport

    report = PeriodicReport.objects.create(
        month=date(2026, 1, 1),
        place=world.lahore_centre.jurisdiction,
        jurisdiction_path=world.lahore_centre.jurisdiction.path,
        language="en",
        pdf=b"%PDF-",
        xlsx=b"",
        generated_at=world.lahore_centre.created_at,
    )
    return {"report_id": str(report.pk), "fmt": "pdf"}


def _default_rule() -> DeadlineRule:
    rule = DeadlineRule.objects.filter(category__isnull=True).order_by("pk").first()
    assert rule is not None
    return rule


def _routing_rule() -> Any:
    from meesaq.portal.models import RoutingRule

    rule = RoutingRule.objects.order_by("pk").first()
    assert rule is not None  # seeded by the portal's migration
    return rule


def _webhook_sample(world: World) -> dict[str, str]:
    from meesaq.webhooks.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(
        organisation=world.lahore_ngo,
        url="https://partner.example/hook",
        events=["referral.created"],
        secret="whsec_walk",
    )
    return {"endpoint_id": str(endpoint.pk)}


def _import_sample(world: World) -> dict[str, str]:
    from meesaq.imports.models import ImportRun, RunStatus

    run = ImportRun.objects.create(
        created_by=world.case_officer,
        organisation=world.lahore_centre,
        file_name="walk.csv",
        status=RunStatus.INVALID,
    )
    return {"run_id": str(run.pk)}


# Sample arguments for URLs that take them: each gets the world and returns the kwargs.
SAMPLE_KWARGS: dict[str, Callable[[World], dict[str, str]]] = {
    "access:break_glass_request": lambda w: {
        "object_type": "testapp.protectedrecord",
        "object_id": str(_protected_record(w).pk),
    },
    "orgs:detail": lambda w: {"pk": str(w.lahore_centre.pk)},
    "orgs:edit": lambda w: {"pk": str(w.lahore_centre.pk)},
    "geo:detail": lambda w: {"pcode": "PK617"},
    "geo:edit": lambda w: {"pcode": "PK617"},
    "accounts:user_detail": lambda w: {"pk": str(w.intake_officer.pk)},
    "cases:taxonomy_add": lambda w: {"kind": "categories"},
    "notifications:template_edit": lambda w: {
        "template_id": str(
            MessageTemplate.objects.get(event="case.status_changed", channel="sms").pk
        )
    },
    "sla:rule_edit": lambda w: {"rule_id": str(_default_rule().pk)},
    "sla:rule_delete": lambda w: {"rule_id": str(_default_rule().pk)},
    "sla:holiday_delete": lambda w: {
        "holiday_id": str(
            Holiday.objects.get_or_create(date=date(2031, 1, 2), defaults={"name_en": "walk"})[0].pk
        )
    },
    "reports:builder_export": lambda w: {"fmt": "csv"},
    "reports:open_data_download": lambda w: {"fmt": "csv"},
    "reports:saved_open": _saved_report_sample,
    "reports:saved_delete": _saved_report_sample,
    "reports:periodic_download": _periodic_report_sample,
    "referrals:detail": _referral_sample,
    "referrals:step": _referral_sample,
    "referrals:onward": _referral_sample,
    "referrals:transfer_decide": _transfer_sample,
    "cases:taxonomy_edit": lambda w: {"kind": "categories", "code": "threats"},
    "portal:report_step": lambda w: {"step": "what"},
    "portal:routing_delete": lambda w: {"rule_id": str(_routing_rule().pk)},
    # A user's own token (POST-only; someone else's token is "no such token").
    "api:token_revoke": lambda w: {"token_id": "1"},
    # Administrators only ("webhooks.manage").
    "webhooks:detail": _webhook_sample,
    "webhooks:disable": _webhook_sample,
    # An import is seen only by the user who uploaded it (here the case officer).
    "imports:detail": _import_sample,
    "imports:start": _import_sample,
    "accounts:set_password": lambda w: {
        "uidb64": urlsafe_base64_encode(force_bytes(w.intake_officer.pk)),
        "token": set_password_tokens.make_token(w.intake_officer),
    },
}

# Object-level pages: the personas that reach the sample object (everyone else gets 404).
OBJECT_AUDIENCE: dict[str, set[str]] = {
    "imports:detail": {"case_officer"},
    "imports:start": {"case_officer"},
    # Only provincial officers can see the record without its identity and so break the glass.
    "access:break_glass_request": {"provincial_officer"},
    # Correcting identity needs both sight of it and the right to act on the case.
    "cases:person_edit": {"case_officer", "supervisor"},
    # The refer and transfer forms: referring is case work, transferring a supervisor's call.
    "referrals:create": {"case_officer", "supervisor", "provincial_officer"},
    "referrals:transfer_request": {"supervisor", "provincial_officer"},
    # Files often identify people: downloads need sight of the case's identities.
    "cases:attachment_download": {"intake_officer", "case_officer", "supervisor"},
    # A referral is seen by the referring organisation's case roles, supervisors in reach and
    # the receiving organisation (here the NGO's partner caseworker).
    **{
        name: {
            "intake_officer",
            "case_officer",
            "supervisor",
            "provincial_officer",
            "partner_caseworker",
        }
        for name in ("referrals:detail", "referrals:step", "referrals:onward")
    },
    # A saved report shared with the provincial department: its analyst (the owner) and the
    # department's provincial officer; only the owner may delete it.
    "reports:saved_open": {"analyst", "provincial_officer"},
    "reports:saved_delete": {"analyst"},
    # A monthly report of Lahore: those whose figures cover Lahore's whole jurisdiction.
    "reports:periodic_download": {"supervisor", "provincial_officer", "analyst"},
    # A transfer is seen by both sides: Lahore's case roles and Faisalabad's supervisor.
    "referrals:transfer_decide": {
        "intake_officer",
        "case_officer",
        "supervisor",
        "provincial_officer",
        "outsider",
    },
}

# Pages that answer signed-in visitors with something other than 200 by design.
NOT_GET_PAGES = {"accounts:logout", "accounts:logout_everywhere", "set_language"}


def test_every_view_declares_an_access_rule() -> None:
    missing = [route.name for route in all_routes() if declared_rule(route.view) is None]
    assert missing == [], f"views without an access rule (use access.decorators.page): {missing}"


# Case pages take the case's reference, and sometimes one of its parts: the walk uses a Lahore
# case with a person, an action and an attachment, and expects exactly the personas who can see
# that case (and whom the page's rule allows) to get through; everyone else gets 404.
CASE_PARAMS = {"reference", "person_id", "action_id", "attachment_id"}


def _case_sample(world: World) -> dict[str, str]:
    from meesaq.cases.models import ActionKind, Attachment, CaseAction
    from tests.cases.factories import add_person, make_case

    case = make_case(organisation=world.lahore_centre, recorded_by=world.intake_officer)
    person = add_person(case)
    action = CaseAction.objects.create(
        case=case,
        kind=ActionKind.NOTE,
        occurred_on=case.received_at.date(),
        author=world.case_officer,
        note="called back",
    )
    attachment = Attachment.objects.create(
        case=case,
        uploaded_by=world.intake_officer,
        original_name="letter.pdf",
        content_type="application/pdf",
        size=0,
        sha256="0" * 64,
        storage_name="walk-sample",
    )
    return {
        "reference": case.reference,
        "person_id": str(person.pk),
        "action_id": str(action.pk),
        "attachment_id": str(attachment.pk),
    }


def _is_case_route(route: Route) -> bool:
    return "reference" in route.params and set(route.params) <= CASE_PARAMS


def test_every_url_with_arguments_has_sample_arguments() -> None:
    missing = [
        r.name
        for r in all_routes()
        if r.params and r.name not in SAMPLE_KWARGS and not _is_case_route(r)
    ]
    assert missing == [], f"declare sample arguments in SAMPLE_KWARGS for: {missing}"


def _expected_allowed(route: Route, persona: str, world: World, case_ref: str | None) -> bool:
    if route.name in OBJECT_AUDIENCE:
        return persona in OBJECT_AUDIENCE[route.name]
    rule = declared_rule(route.view)
    assert rule is not None
    user = world.personas()[persona]
    if _is_case_route(route) and case_ref is not None:
        from meesaq.cases.models import Case

        if not policy.scoped(user, Case).filter(reference=case_ref).exists():
            return False
    return policy.may(user, rule)


@pytest.mark.django_db
def test_every_url_answers_every_persona_as_its_rule_says(
    world: World, client_for: Callable[..., Client], capsys: pytest.CaptureFixture[str]
) -> None:
    routes = all_routes()
    failures: list[str] = []
    checked = 0
    case_sample: dict[str, str] = {}
    for route in routes:
        if _is_case_route(route):
            case_sample = case_sample or _case_sample(world)
            kwargs = {name: case_sample[name] for name in route.params}
        else:
            kwargs = SAMPLE_KWARGS[route.name](world) if route.params else {}
        url = reverse(route.name, kwargs=kwargs)
        rule = declared_rule(route.view)
        anonymous = Client().get(url)
        checked += 1
        if rule != policy.PUBLIC and route.name not in NOT_GET_PAGES:
            location = anonymous.get("Location", "")
            if anonymous.status_code != 302 or "/account/sign-in/" not in location:
                failures.append(f"{route.name} anonymous: {anonymous.status_code} {location}")
        for persona, user in world.personas().items():
            response = client_for(user).get(url)
            checked += 1
            allowed = _expected_allowed(route, persona, world, kwargs.get("reference"))
            if route.name in NOT_GET_PAGES:
                ok = response.status_code in {302, 405}
            elif allowed:
                # 405: a POST-only action, reached by someone allowed to use it.
                ok = response.status_code in {200, 302, 405}
            else:
                ok = response.status_code == 404
            if not ok:
                failures.append(
                    f"{route.name} as {persona}: got {response.status_code}, "
                    f"expected {'allowed' if allowed else '404'}"
                )
    with capsys.disabled():
        print(
            f"\naccess walk: {len(routes)} URLs x {len(world.personas()) + 1} personas = {checked}"
        )
    assert failures == [], "\n".join(failures)
