"""Walking the portal's pages as a complainant does, with a test client."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

STORY = "Two men threatened Shamim Masih at the church gate on Sunday."


def answers(**overrides: Any) -> list[tuple[str, dict[str, Any]]]:
    """Return each step's posted answers for a complaint from Lahore."""
    steps: dict[str, dict[str, Any]] = {
        "what": {"category": "threats"},
        "where": {"district": "PK617"},
        "place": {"tehsil": "", "place": "Youhanabad"},
        "when": {"incident_on": ""},
        "who": {"groups": ["christian"]},
        "story": {"narrative": STORY},
        "danger": {},
        "contact": {"contact": "anonymous"},
    }
    steps.update(overrides)
    return list(steps.items())


def lodge_through_pages(
    client: Client, language: str = "en", files: list[Any] | None = None, **overrides: Any
) -> tuple[str, str]:
    """Answer every step, send, and return the code and PIN shown once."""
    for step, data in answers(**overrides):
        response = client.post(f"/{language}/report/{step}/", data)
        assert response.status_code == 302, (step, response.status_code)
    final: dict[str, Any] = {"website": ""}
    if files:
        final["attachments"] = files
    response = client.post(f"/{language}/report/check/", final)
    assert response.status_code == 302, response.content[:2000]
    assert response["Location"] == f"/{language}/report/done/"
    page = client.get(f"/{language}/report/done/").content.decode()
    code = re.search(r'ticket-code">([^<]+)<', page)
    pin = re.search(r'ticket-pin">([^<]+)<', page)
    assert code and pin
    return code.group(1), pin.group(1)


def track_through_pages(client: Client, code: str, pin: str, language: str = "en") -> str:
    """Open the status page with the code and PIN and return its HTML."""
    response = client.post(f"/{language}/track/", {"code": code, "pin": pin})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.get(f"/{language}/track/status/").content.decode()
