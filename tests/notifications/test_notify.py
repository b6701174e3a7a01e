"""In-app notifications are written in both languages for each active recipient once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meesaq.notifications.models import Notification
from meesaq.notifications.services import notify
from tests.personas import World


def test_each_active_recipient_gets_one_notification_in_both_languages(world: World) -> None:
    world.analyst.is_active = False
    world.analyst.save()
    notify(
        recipients=[world.supervisor, world.supervisor, world.analyst],
        event="cases.urgent",
        text=_("Urgent case %(reference)s needs attention."),
        params={"reference": "PB-LHR-2026-000001"},
    )
    (row,) = Notification.objects.all()
    assert row.recipient == world.supervisor
    assert row.text_en == "Urgent case PB-LHR-2026-000001 needs attention."
    assert row.text_ur != ""
