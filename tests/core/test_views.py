"""Health check, error pages, security headers and the home page shell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.fixtures import Settings

from meesaq.accounts.models import User
from tests.personas import World


@pytest.mark.django_db
def test_healthz_says_the_process_is_alive_without_touching_the_database(
    client: Client, django_assert_num_queries: Callable[..., Any]
) -> None:
    for url in ("/healthz", "/en/healthz"):
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_queue_and_storage(client: Client) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == body["database"] == body["task_queue"] == body["storage"] == "ok"
    assert body["oldest_waiting_job_seconds"] is None


@pytest.mark.django_db
def test_readyz_reports_the_age_of_the_oldest_waiting_job(client: Client) -> None:
    from django_tasks_db.models import DBTaskResult

    from meesaq.core.tasks import tick

    with time_machine.travel("2026-12-01 08:00Z", tick=False):
        assert tick(), "no periodic job was enqueued"
    with time_machine.travel("2026-12-01 08:10Z", tick=False):
        response = client.get("/readyz")

    assert DBTaskResult.objects.exists()
    assert response.json()["oldest_waiting_job_seconds"] == 600
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_answers_503_when_uploads_cannot_be_written(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the upload folder should be")
    settings.MEDIA_ROOT = blocker / "files"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["storage"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "text"),
    [("en", "ltr", "Page not found"), ("ur", "rtl", "صفحہ نہیں ملا")],
)
def test_missing_pages_answer_404_in_the_users_language(
    client: Client, language: str, direction: str, text: str
) -> None:
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert text in body
    assert "Traceback" not in body


@pytest.mark.django_db
def test_server_errors_show_a_plain_page_without_a_trace(world: World) -> None:
    from meesaq.core import views

    request_client = Client(raise_request_exception=False)
    with override_settings(DEBUG=False):
        response = views.server_error(request_client.get("/en/healthz").wsgi_request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Traceback" not in response.content


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_security_headers(
    client: Client,
) -> None:
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_http_only_and_same_site(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.analyst)
    response = client.get("/en/")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    login_page = Client().get(reverse("accounts:login"))
    csrf = login_page.cookies["csrftoken"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_shell_is_right_to_left_in_urdu_with_the_users_menu(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.auditor)
    english = client.get("/en/").content.decode()
    urdu = client.get("/ur/").content.decode()
    assert '<html lang="en" dir="ltr">' in english
    assert '<html lang="ur" dir="rtl">' in urdu
    assert "/en/audit/" in english
    assert "/ur/audit/" in urdu
    assert "/en/account/users/" not in english


@pytest.mark.django_db
def test_the_menu_shows_only_what_the_role_may_open(
    world: World, client_for: Callable[..., Client]
) -> None:
    body = client_for(world.intake_officer).get("/en/").content.decode()
    assert "/en/audit/" not in body
    assert "/en/access/break-glass/" not in body
    admin_body = client_for(world.administrator).get("/en/").content.decode()
    assert "/en/account/users/" in admin_body
    assert "/en/audit/" not in admin_body


@pytest.mark.django_db
def test_a_user_without_a_role_sees_an_empty_state(client_for: Callable[..., Client]) -> None:
    lonely = User.objects.create_user(username="lonely", password="x" * 20)
    body = client_for(lonely).get("/en/").content.decode()
    assert "You have no role in any organisation yet" in body


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/en/cases/", "/en/cases/"),
        ("0", "/fallback/"),
        ("home", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("/\\evil.example/", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_a_next_address_is_followed_only_when_it_is_a_path_here(
    rf: Any, candidate: str, expected: str
) -> None:
    from meesaq.core.redirects import safe_next

    request = rf.post("/", {"next": candidate})

    assert safe_next(request, "/fallback/") == expected
