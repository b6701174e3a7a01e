"""Every portal page stays under 60 KB compressed, with the stylesheet it loads."""

from __future__ import annotations

import gzip
import re

from django.contrib.staticfiles import finders
from django.test import Client

from tests.personas import World
from tests.portal.pages import answers

LIMIT = 60 * 1024


def _weight(html: bytes) -> int:
    total = len(gzip.compress(html, 6))
    for link in set(re.findall(rb'href="/static/([^"]+)"', html)):
        path = finders.find(link.decode())
        assert path, link
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), 9))
    return total


def test_each_step_and_page_is_under_the_budget_in_both_languages(world: World) -> None:
    for language in ("ur", "en"):
        client = Client()
        pages = [f"/{language}/report/", f"/{language}/track/"]
        weights = {page: _weight(client.get(page).content) for page in pages}
        for step, data in answers():
            url = f"/{language}/report/{step}/"
            weights[url] = _weight(client.get(url).content)
            client.post(url, data)
        weights["check"] = _weight(client.get(f"/{language}/report/check/").content)
        assert max(weights.values()) < LIMIT, weights
