"""Measure the compressed weight of the portal's and the staff's pages, with CSS, JS and fonts.

Usage (against a running site, e.g. `make run` or `meesaq serve`):
    .venv/bin/python bench/page_weight.py --base http://127.0.0.1:8000 [--limit 61440] \
        [--staff-user USER --staff-password PASSWORD [--case REFERENCE]]

Walks the portal as a complainant does (lodges one anonymous complaint in Lahore, then tracks
it), in English and Urdu. For each page it fetches the HTML and every stylesheet, script, font
and image the page links, and reports:

- served: bytes on the wire as Meesaq serves them (static files come gzip-compressed from
  whitenoise; HTML comes as is, since compressing HTML is the reverse proxy's job), and
- gzip: the same with the HTML gzip-compressed too (a proxy with gzip on).

With a staff account it then signs in and weighs the staff's main pages (case list, a case,
the intake form, the dashboard) in both languages, against --staff-limit (150 KB). Exits 1 if
any page's gzip weight passes its limit. Standard library only.
"""

from __future__ import annotations

import argparse
import gzip
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass

LIMIT = 60 * 1024
STAFF_LIMIT = 150 * 1024
ASSET = re.compile(r"""<(?:link[^>]+href|script[^>]+src|img[^>]+src)=["']([^"']+)["']""", re.I)
FONT = re.compile(r"""url\(["']?([^"')]+\.(?:woff2?|ttf|otf))["']?\)""", re.I)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Weight:
    """One page's weight."""

    name: str
    html: int
    html_gzip: int
    assets: int

    @property
    def served(self) -> int:
        """Return the bytes as Meesaq alone serves them."""
        return self.html + self.assets

    @property
    def gzipped(self) -> int:
        """Return the bytes with the HTML compressed by a proxy."""
        return self.html_gzip + self.assets


class Browser:
    """A cookie-keeping client that fetches pages and their assets."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.assets: dict[str, int] = {}
        self.last = ""

    def fetch(self, url: str, data: dict[str, str] | None = None) -> tuple[bytes, int, str]:
        """Return the body, the bytes on the wire and the final address."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310  # the base address is the operator's
            url if url.startswith("http") else self.base + url,
            data=body,
            headers={"Accept-Encoding": "gzip", "Referer": self.last or self.base},
        )
        with self.opener.open(request) as response:
            raw = response.read()
            final = response.geturl()
            wire = len(raw)
            if response.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
        self.last = final
        return raw, wire, final

    def asset_bytes(self, html: str) -> int:
        """Return the wire bytes of the page's assets (and fonts inside its stylesheets)."""
        total = 0
        for link in ASSET.findall(html):
            if link.startswith(("data:", "#")) or "/static/" not in link:
                continue
            if link not in self.assets:
                body, wire, _final = self.fetch(link)
                self.assets[link] = wire
                if link.endswith(".css"):
                    for font in FONT.findall(body.decode("utf-8", "replace")):
                        font_url = urllib.parse.urljoin(link, font)
                        self.assets[link] += self.fetch(font_url)[1]
            total += self.assets[link]
        return total

    def page(self, name: str, path: str, data: dict[str, str] | None = None) -> tuple[Weight, str]:
        """Fetch a page (posting the form data with the page's CSRF token) and weigh it."""
        if data is not None:
            token = CSRF.search(self.fetch(path)[0].decode())
            data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        body, wire, _final = self.fetch(path, data)
        html = body.decode("utf-8")
        return Weight(name, wire, len(gzip.compress(body, 6)), self.asset_bytes(html)), html


def walk(base: str, language: str) -> list[Weight]:
    """Weigh every portal page in one language."""
    client = Browser(base)
    prefix = f"/{language}"
    weights = []
    for name, path in (("landing", "/report/"), ("track", "/track/")):
        weights.append(client.page(name, prefix + path)[0])
    steps = [
        ("what", {"category": "threats"}),
        ("where", {"district": "PK617"}),
        ("place", {"tehsil": "", "place": "Youhanabad"}),
        ("when", {"incident_on": ""}),
        ("who", {"groups": "christian"}),
        ("story", {"narrative": "Two men threatened us at the church gate on Sunday."}),
        ("danger", {}),
        ("contact", {"contact": "anonymous"}),
    ]
    for step, answer in steps:
        weights.append(client.page(f"step {step}", f"{prefix}/report/{step}/")[0])
        client.page(step, f"{prefix}/report/{step}/", answer)
    weights.append(client.page("check", f"{prefix}/report/check/")[0])
    done, html = client.page("done", f"{prefix}/report/check/", {"website": ""})
    weights.append(done)
    code = re.search(r'ticket-code">([^<]+)<', html)
    pin = re.search(r'ticket-pin">([^<]+)<', html)
    if code and pin:
        status, _html = client.page(
            "status", f"{prefix}/track/", {"code": code.group(1), "pin": pin.group(1)}
        )
        weights.append(status)
    return weights


def walk_staff(base: str, username: str, password: str, reference: str) -> list[Weight]:
    """Sign in and weigh the staff's main pages in Urdu and English (a fresh cache each)."""
    weights = []
    for language in ("ur", "en"):
        client = Browser(base)
        sign_in = f"/{language}/account/sign-in/"
        client.page("sign-in", sign_in, {"username": username, "password": password})
        pages = [
            ("case list", "/cases/"),
            ("intake form", "/cases/new/"),
            ("dashboard", "/reports/"),
        ]
        if reference:
            pages.insert(1, ("case page", f"/cases/{reference}/"))
        weights += [
            Weight(f"{language} staff {name}", *_weighed(client, f"/{language}{path}"))
            for name, path in pages
        ]
    return weights


def _weighed(client: Browser, path: str) -> tuple[int, int, int]:
    weight = client.page("", path)[0]
    return weight.html, weight.html_gzip, weight.assets


def main() -> int:
    """Print a table of page weights; exit 1 if any page is over its limit."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--limit", type=int, default=LIMIT)
    parser.add_argument("--staff-limit", type=int, default=STAFF_LIMIT)
    parser.add_argument("--staff-user", default="")
    parser.add_argument("--staff-password", default="")
    parser.add_argument("--case", default="", help="a case reference the staff user may open")
    args = parser.parse_args()
    over = []
    print("| language | page | HTML | HTML gzip | CSS/JS/fonts (gzip) | served | total gzip |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for language in ("ur", "en"):
        for weight in walk(args.base, language):
            print(
                f"| {language} | {weight.name} | {weight.html} | {weight.html_gzip} | "
                f"{weight.assets} | {weight.served} | {weight.gzipped} |"
            )
            if weight.gzipped > args.limit:
                over.append(f"{language} {weight.name}")
    if args.staff_user:
        for weight in walk_staff(args.base, args.staff_user, args.staff_password, args.case):
            language, name = weight.name.split(" ", 1)
            print(
                f"| {language} | {name} | {weight.html} | {weight.html_gzip} | "
                f"{weight.assets} | {weight.served} | {weight.gzipped} |"
            )
            if weight.gzipped > args.staff_limit:
                over.append(weight.name)
    if over:
        print(f"over {args.limit} bytes: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
