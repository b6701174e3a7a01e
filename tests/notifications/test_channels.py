from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings

from meesaq.notifications.channels import (
    ConsoleSmsGateway,
    HttpSmsGateway,
    SmsError,
    mask_number,
    sms_gateway,
)
from meesaq.notifications.services import render_template
from meesaq.notifications.tasks import send_email_task, send_sms_task


class FakeGateway(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], str]] = []
    answer = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeGateway.received.append((body, self.headers["Authorization"]))
        self.send_response(FakeGateway.answer)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def gateway_url() -> Iterator[str]:
    FakeGateway.received = []
    FakeGateway.answer = 200
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_the_http_gateway_posts_json_with_the_bearer_key(gateway_url: str) -> None:
    HttpSmsGateway(url=gateway_url, key="secret").send(to="+923001234567", text="hello")
    assert FakeGateway.received == [({"to": "+923001234567", "text": "hello"}, "Bearer secret")]


def test_the_http_gateway_raises_on_a_refusal_so_the_job_retries(gateway_url: str) -> None:
    FakeGateway.answer = 503
    with pytest.raises(SmsError, match="503"):
        HttpSmsGateway(url=gateway_url, key="k").send(to="+923001234567", text="hello")


def test_the_http_gateway_raises_when_nobody_answers() -> None:
    with pytest.raises(SmsError, match="could not be reached"):
        HttpSmsGateway(url="http://127.0.0.1:9/", key="k", timeout=2).send(to="1", text="x")


def test_the_gateway_is_chosen_by_setting(gateway_url: str) -> None:
    with override_settings(MEESAQ_SMS_BACKEND="http", MEESAQ_SMS_API_URL=gateway_url):
        assert isinstance(sms_gateway(), HttpSmsGateway)
    with override_settings(MEESAQ_SMS_BACKEND="console"):
        assert isinstance(sms_gateway(), ConsoleSmsGateway)


def test_the_console_gateway_logs_a_masked_number_and_writes_the_outbox(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with override_settings(VAR_DIR=tmp_path), caplog.at_level("INFO"):
        ConsoleSmsGateway().send(to="+923001234567", text="secret words")
    assert "+923001234567" not in caplog.text
    assert "secret words" not in caplog.text
    assert mask_number("+923001234567") in caplog.text
    line = json.loads((tmp_path / "outbox" / "sms.log").read_text())
    assert line == {"to": "+923001234567", "text": "secret words"}


@pytest.mark.django_db
def test_sms_and_email_tasks_send_through_the_channels(tmp_path: Path) -> None:
    with override_settings(VAR_DIR=tmp_path):
        send_sms_task.call(to="+923001234567", text="x")
    send_email_task.call(to=["a@example.org"], subject="S", text="T")
    assert (tmp_path / "outbox" / "sms.log").exists()
    assert [m.subject for m in mail.outbox] == ["S"]


@pytest.mark.django_db
def test_templates_are_seeded_in_both_languages() -> None:
    params = {"reference": "LHR-1", "status": "closed"}
    en = render_template(event="case.status_changed", channel="sms", language="en", params=params)
    ur = render_template(event="case.status_changed", channel="sms", language="ur", params=params)
    assert en == "Meesaq: your complaint LHR-1 is now closed."
    assert "LHR-1" in ur
    assert ur != en
