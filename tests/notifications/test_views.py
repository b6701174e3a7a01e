from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meesaq.accounts.models import User
from meesaq.notifications.models import Notification
from meesaq.notifications.services import notify
from tests.personas import World

ClientFor = Callable[[User], Client]


def test_the_list_shows_only_my_notifications_and_the_header_counts_them(
    world: World, client_for: ClientFor
) -> None:
    notify(recipients=[world.supervisor], event="x", text=_("Case %(r)s"), params={"r": "A-1"})
    notify(recipients=[world.outsider], event="x", text=_("Case %(r)s"), params={"r": "B-2"})
    page = client_for(world.supervisor).get(reverse("notifications:list"))
    assert "A-1" in page.content.decode()
    assert "B-2" not in page.content.decode()
    assert "1 unread notification" in page.content.decode()


def test_marking_all_read_clears_the_count(world: World, client_for: ClientFor) -> None:
    notify(recipients=[world.supervisor], event="x", text=_("Case %(r)s"), params={"r": "A-1"})
    client = client_for(world.supervisor)
    client.post(reverse("notifications:list"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "0 unread notifications" in client.get(reverse("notifications:list")).content.decode()


def test_one_cannot_mark_someone_elses_notification(world: World, client_for: ClientFor) -> None:
    (other,) = notify(recipients=[world.outsider], event="x", text=_("Case"))
    client_for(world.supervisor).post(reverse("notifications:list"), {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_anonymous_is_redirected_to_sign_in(client: Client) -> None:
    assert client.get(reverse("notifications:list")).status_code == 302
