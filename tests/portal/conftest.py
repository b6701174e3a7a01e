"""Fixtures of the portal tests: a media folder, uploads, and lodging a complaint by service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings

from meesaq.cases.models import Category
from meesaq.geo.models import AdminUnit
from meesaq.portal import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A Windows program: what a "photo.jpg" from an attacker really is.
PROGRAM = b"MZ\x90\x00" + b"\x00" * 64
STORY = "Shamim Masih was threatened at the church gate on Sunday by two men."


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    """Store uploaded files in a temporary folder."""
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    """Return an uploaded file as a browser sends it."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def fake_request(address: str = "203.0.113.7") -> Any:
    """Return a request from a client address, for services that throttle by address."""
    return RequestFactory().post("/", REMOTE_ADDR=address)


def lodge(**overrides: Any) -> services.Lodged:
    """Lodge a complaint from Lahore through the service, with sensible answers."""
    answers: dict[str, Any] = {
        "district": AdminUnit.objects.get(pcode="PK617"),
        "tehsil": None,
        "place": "Youhanabad",
        "category": Category.objects.get(code="threats"),
        "groups": [],
        "incident_on": None,
        "narrative": STORY,
        "anonymous": True,
        "request": fake_request(),
    }
    answers.update(overrides)
    return services.complaint_lodge(**answers)
