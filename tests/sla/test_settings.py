"""The administrators' deadline settings: rules and overrides, escalation, holidays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from meesaq.audit.models import AuditEvent
from meesaq.cases.models import Category, Priority
from meesaq.core.errors import MeesaqError
from meesaq.sla import services
from meesaq.sla.calendar import KARACHI
from meesaq.sla.models import CaseDeadlines, DeadlineRule, Holiday, SlaSettings
from meesaq.sla.rules import durations_for
from meesaq.sla.tasks import recompute_deadlines
from tests.cases.factories import make_case
from tests.personas import World

SETTINGS = "/en/deadlines/settings/"
ADD_RULE = "/en/deadlines/settings/rules/add/"
DURATIONS = {
    "first_contact_hours": 4,
    "first_action_hours": 12,
    "stage_days": 3,
    "resolution_days": 9,
    "referral_ack_hours": 24,
}


def _default(priority: str) -> DeadlineRule:
    return DeadlineRule.objects.get(category__isnull=True, priority=priority)


def _edit_url(rule: DeadlineRule) -> str:
    return f"/en/deadlines/settings/rules/{rule.pk}/"


def _settings_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form": "settings",
        "settings-weekend": ["5", "6"],
        "settings-office_opens": "09:00",
        "settings-office_closes": "17:00",
        "settings-division_after_days": "2",
        "settings-province_after_days": "5",
    }
    data.update({f"settings-{name}": value for name, value in changes.items()})
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for url in (SETTINGS, ADD_RULE, _edit_url(_default(Priority.URGENT))):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/account/sign-in/")


def test_everyone_but_administrators_gets_404(
    world: World, client_for: Callable[..., Client]
) -> None:
    rule = _default(Priority.URGENT)
    holiday = Holiday.objects.create(date=date(2031, 1, 2), name_en="Local day")
    for user in (world.supervisor, world.provincial_officer, world.analyst, world.outsider):
        client = client_for(user)
        assert client.get(SETTINGS).status_code == 404
        assert client.post(SETTINGS, _settings_post(weekend=["4"])).status_code == 404
        assert client.get(ADD_RULE).status_code == 404
        assert client.get(_edit_url(rule)).status_code == 404
        assert client.post(_edit_url(rule), DURATIONS).status_code == 404
        delete = f"/en/deadlines/settings/holidays/{holiday.pk}/delete/"
        assert client.post(delete).status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert SlaSettings.current().weekend_days == "5,6"
    assert _default(Priority.URGENT).first_action_hours == 24


def test_the_page_shows_rules_settings_and_public_holidays(
    world: World, client_for: Callable[..., Client]
) -> None:
    with time_machine.travel(datetime(2025, 6, 1, 10, tzinfo=KARACHI), tick=False):
        page = client_for(world.administrator).get(SETTINGS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Independence Day" in html
    assert "2026-08-14" in html  # next year's holidays too
    assert _edit_url(_default(Priority.NORMAL)) in html
    assert "/delete/" not in html  # no override yet, and the defaults cannot be deleted


def test_an_administrator_changes_a_default_rule(
    world: World, client_for: Callable[..., Client]
) -> None:
    rule = _default(Priority.HIGH)
    response = client_for(world.administrator).post(_edit_url(rule), DURATIONS)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.first_action_hours == 12
    assert rule.resolution_days == 9
    event = AuditEvent.objects.get(action="sla.rule_changed")
    assert event.actor_id == world.administrator.pk


def test_a_zero_duration_keeps_the_form_with_the_error(
    world: World, client_for: Callable[..., Client]
) -> None:
    rule = _default(Priority.HIGH)
    response = client_for(world.administrator).post(
        _edit_url(rule), {**DURATIONS, "stage_days": "0"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html
    assert 'value="0"' in html
    assert 'value="12"' in html
    rule.refresh_from_db()
    assert rule.stage_days == 10


def test_the_service_refuses_durations_that_are_not_positive(world: World) -> None:
    with pytest.raises(MeesaqError) as refused:
        services.deadline_rule_save(
            actor=world.administrator,
            rule=_default(Priority.URGENT),
            durations={**DURATIONS, "resolution_days": 0},
        )
    assert "resolution_days" in refused.value.fields


def test_a_category_override_wins_over_the_priority_default(
    world: World, client_for: Callable[..., Client]
) -> None:
    threats = Category.objects.get(code="threats")
    client = client_for(world.administrator)
    response = client.post(ADD_RULE, {"category": threats.pk, "priority": "urgent", **DURATIONS})
    assert response.status_code == 302
    threatened = make_case(organisation=world.lahore_centre, priority=Priority.URGENT)
    other = make_case(
        organisation=world.lahore_centre,
        priority=Priority.URGENT,
        category=Category.objects.get(code="abduction"),
    )
    assert durations_for(threatened).first_action_hours == 12
    assert durations_for(threatened).referral_ack_hours == 24
    assert durations_for(other).first_action_hours == 24
    assert AuditEvent.objects.filter(action="sla.rule_added").count() == 1
    # The same override twice is refused on the form.
    again = client.post(ADD_RULE, {"category": threats.pk, "priority": "urgent", **DURATIONS})
    assert again.status_code == 200
    assert "exists already" in again.content.decode()
    assert DeadlineRule.objects.filter(category=threats).count() == 1


def test_overrides_can_be_deleted_but_defaults_cannot(
    world: World, client_for: Callable[..., Client]
) -> None:
    threats = Category.objects.get(code="threats")
    override = services.deadline_rule_save(
        actor=world.administrator,
        rule=None,
        category=threats,
        priority=Priority.NORMAL,
        durations=DURATIONS,
    )
    client = client_for(world.administrator)
    assert (
        f"/en/deadlines/settings/rules/{override.pk}/delete/"
        in client.get(SETTINGS).content.decode()
    )
    default = _default(Priority.NORMAL)
    response = client.post(f"/en/deadlines/settings/rules/{default.pk}/delete/", follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert DeadlineRule.objects.filter(pk=default.pk).exists()
    client.post(f"/en/deadlines/settings/rules/{override.pk}/delete/")
    assert not DeadlineRule.objects.filter(pk=override.pk).exists()
    assert AuditEvent.objects.filter(action="sla.rule_deleted").count() == 1


def test_an_administrator_saves_the_escalation_settings(
    world: World, client_for: Callable[..., Client]
) -> None:
    response = client_for(world.administrator).post(
        SETTINGS,
        _settings_post(weekend=["4", "5"], office_opens="08:30", division_after_days="3"),
    )
    assert response.status_code == 302
    row = SlaSettings.current()
    assert row.weekend == frozenset({4, 5})
    assert row.office_opens.strftime("%H:%M") == "08:30"
    assert row.division_after_days == 3
    assert AuditEvent.objects.filter(action="sla.settings_changed").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"office_opens": "18:00"}, "must close after it opens"),
        ({"weekend": [str(day) for day in range(7)]}, "at least one working day"),
        ({"province_after_days": "1"}, "give more days"),
        ({"division_after_days": "0"}, "greater than or equal to 1"),
    ],
)
def test_invalid_settings_keep_the_form_with_the_error(
    world: World, client_for: Callable[..., Client], changes: dict[str, Any], message: str
) -> None:
    response = client_for(world.administrator).post(SETTINGS, _settings_post(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "field-error" in html
    assert SlaSettings.current().weekend_days == "5,6"
    assert SlaSettings.current().office_opens.strftime("%H:%M") == "09:00"


def test_the_service_refuses_weekdays_outside_the_week(world: World) -> None:
    row = SlaSettings.current()
    with pytest.raises(MeesaqError) as refused:
        services.sla_settings_save(
            actor=world.administrator,
            weekend={5, 7},
            office_opens=row.office_opens,
            office_closes=row.office_closes,
            division_after_days=2,
            province_after_days=5,
        )
    assert "weekend" in refused.value.fields


def test_a_holiday_added_by_an_administrator_moves_a_due_date(
    world: World,
    client_for: Callable[..., Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # Wednesday 8 January 2025, 10:00: an urgent case's first action is due the next working
    # day at the same time (24 h = one working day), Thursday 9 January.
    with time_machine.travel(datetime(2025, 1, 8, 10, tzinfo=KARACHI), tick=False):
        case = make_case(organisation=world.lahore_centre, priority=Priority.URGENT)
        services.deadlines_refresh(case)
        assert CaseDeadlines.objects.get(case=case).first_action_due == datetime(
            2025, 1, 9, 10, tzinfo=KARACHI
        )
        client = client_for(world.administrator)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                SETTINGS,
                {
                    "form": "holiday",
                    "holiday-date": "2025-01-09",
                    "holiday-name_en": "Local holiday",
                    "holiday-name_ur": "مقامی تعطیل",
                },
            )
        assert response.status_code == 302
        assert DBTaskResult.objects.filter(task_path=recompute_deadlines.module_path).exists()
        assert recompute_deadlines.call() == {"cases": 1}
        assert CaseDeadlines.objects.get(case=case).first_action_due == datetime(
            2025, 1, 10, 10, tzinfo=KARACHI
        )
        assert "Local holiday" in client.get(SETTINGS).content.decode()
        holiday = Holiday.objects.get(date=date(2025, 1, 9))
        client.post(f"/en/deadlines/settings/holidays/{holiday.pk}/delete/")
    assert holiday.name_ur == "مقامی تعطیل"
    assert AuditEvent.objects.filter(action="sla.holiday_added").exists()
    assert not Holiday.objects.exists()
    assert AuditEvent.objects.filter(action="sla.holiday_deleted").exists()


def test_a_holiday_needs_a_date_and_an_english_name_and_is_added_once(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.administrator)
    response = client.post(
        SETTINGS, {"form": "holiday", "holiday-date": "", "holiday-name_en": "Kept name"}
    )
    assert response.status_code == 200
    assert 'value="Kept name"' in response.content.decode()
    Holiday.objects.create(date=date(2030, 5, 2), name_en="First")
    response = client.post(
        SETTINGS, {"form": "holiday", "holiday-date": "2030-05-02", "holiday-name_en": "Again"}
    )
    assert "already a holiday" in response.content.decode()
    assert Holiday.objects.count() == 1


def test_deleting_a_holiday_answers_405_to_a_get(
    world: World, client_for: Callable[..., Client]
) -> None:
    holiday = Holiday.objects.create(date=date(2030, 5, 2), name_en="First")
    response = client_for(world.administrator).get(
        f"/en/deadlines/settings/holidays/{holiday.pk}/delete/"
    )
    assert response.status_code == 405
    assert Holiday.objects.filter(pk=holiday.pk).exists()
