"""Logs are JSON lines that carry no personal data: no typed usernames, no exception text."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from meesaq.core.logging import JsonFormatter


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(JsonFormatter().format(record))


@pytest.fixture
def every_log_line() -> Iterator[Collect]:
    """Collect what every configured logger lets through, at the levels Meesaq configures."""
    handler = Collect()
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in ("axes", "django.request"))]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.mark.django_db
def test_failed_sign_ins_log_neither_the_typed_name_nor_the_password(
    client: Client, every_log_line: Collect
) -> None:
    for _ in range(6):
        client.post(
            reverse("accounts:login"),
            {"username": "shamim.masih.typed", "password": "secret-typed-pass"},
        )
    text = "\n".join(every_log_line.lines)
    assert "shamim.masih.typed" not in text
    assert "secret-typed-pass" not in text
    assert "127.0.0.1" not in text  # the client's address is personal data too


def test_exceptions_are_logged_by_type_only() -> None:
    try:
        raise ValueError("CNIC 00101-1234567-1 of Sunita Kumari")
    except ValueError:
        record = logging.getLogger("meesaq").makeRecord(
            "meesaq", logging.ERROR, __file__, 1, "import failed", (), exc_info=sys.exc_info()
        )
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["exception"] == "ValueError"
    assert entry["message"] == "import failed"
    assert "Sunita" not in line
    assert "00101" not in line
