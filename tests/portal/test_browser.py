"""The whole portal path in headless Debian chromium, in English and Urdu, with and without
JavaScript: lodge → the centre's queue → track → add information → staff publish a note →
the complainant sees it; and axe-core finds no serious or critical accessibility problem.

Skipped (with the reason) only where chromium or its driver is not installed; `.ci/run`
installs both from Debian, so CI runs these tests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from meesaq.cases.models import Case, CaseAction, Category
from meesaq.geo.models import AdminUnit
from meesaq.portal.models import RoutingRule
from tests.personas import World, build_world, sign_in

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = [
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None or shutil.which(DRIVER) is None,
        reason="headless browser tests need Debian's chromium and chromium-driver "
        "(apt-get install chromium chromium-driver)",
    ),
    pytest.mark.django_db(transaction=True),
]
STORY = "Two men threatened my brother at the church gate on Sunday and said they would return."
ADDED = "They came back last night and broke the window."
PUBLISHED = "An officer will visit your family on Monday morning."
SEEDS = (
    "meesaq.cases.migrations.0002_seed_taxonomy",
    "meesaq.sla.migrations.0002_seed_default_rules",
    "meesaq.notifications.migrations.0003_seed_message_templates",
    "meesaq.portal.migrations.0002_seed_routing_rules",
)


def _restore_reference_data() -> None:
    # A transactional test starts from whatever an earlier one flushed: bring back what it needs.
    if not AdminUnit.objects.filter(pcode="PK617").exists():
        call_command("load_places", verbosity=0)
    if not Category.objects.exists() or not RoutingRule.objects.exists():
        for module in SEEDS:
            import_module(module).seed(apps, None)


@pytest.fixture
def browser_world() -> World:
    """Return the personas, with places, the taxonomy and the routing rules in place."""
    _restore_reference_data()
    return build_world()


def _driver(*, javascript: bool) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=360,780",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    browser = webdriver.Chrome(options=options, service=Service(DRIVER))
    browser.implicitly_wait(5)
    return browser


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def driver(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Start headless chromium with JavaScript on or off."""
    browser = _driver(javascript=request.param)
    browser.javascript = request.param
    try:
        yield browser
    finally:
        browser.quit()


def _left(driver: Any, selector: str) -> None:
    """Press a button and wait until the browser has left the page it was on."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()

    def gone(_driver: Any) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:  # stale, or no longer in the document
            return True
        return False

    WebDriverWait(driver, 30).until(gone)


class Walk:
    """A person using the portal in one browser, checking each page with axe when it can."""

    def __init__(self, driver: Any, base: str, language: str) -> None:
        self.driver, self.base, self.language = driver, base, language
        self.problems: list[str] = []

    def open(self, path: str) -> None:
        self.driver.get(f"{self.base}/{self.language}{path}")
        self.check()

    def submit(self, selector: str = "main form.portal-form button[type=submit]") -> None:
        _left(self.driver, selector)
        self.check()

    def find(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def check(self) -> None:
        """Record axe's serious and critical violations on this page (JavaScript runs only)."""
        html = self.driver.find_element("tag name", "html")
        assert html.get_attribute("lang") == self.language
        assert html.get_attribute("dir") == ("rtl" if self.language == "ur" else "ltr")
        if not self.driver.javascript:
            return
        from axe_selenium_python import Axe  # type: ignore[import-untyped]  # ships no types

        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        for violation in results["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                self.problems.append(
                    f"{self.driver.current_url}: {violation['id']} ({violation['impact']}) "
                    + "; ".join(node["target"][0] for node in violation["nodes"][:3])
                )

    def lodge(self) -> tuple[str, str]:
        from selenium.webdriver.support.ui import Select

        self.open("/report/")
        self.open("/report/what/")
        self.submit()  # nothing chosen: the error summary
        assert self.find(".error-summary")
        self.find("input[value=threats]").click()
        self.submit()
        Select(self.find("select[name=district]")).select_by_value("PK617")
        self.submit()
        self.find("input[name=place]").send_keys("Youhanabad")
        self.submit()
        self.submit()  # the date is not known
        self.find("input[value=christian]").click()
        self.submit()
        self.find("textarea[name=narrative]").send_keys(STORY)
        self.submit()
        self.submit()  # nobody in danger now
        self.find("input[value=anonymous]").click()
        self.submit()
        assert STORY in self.find(".summary").text
        self.submit()
        return self.find(".ticket-code").text, self.find(".ticket-pin").text

    def track(self, code: str, pin: str) -> None:
        self.open("/track/")
        self.find("input[name=code]").send_keys(code)
        self.find("input[name=pin]").send_keys(pin)
        self.submit()

    def add_information(self) -> None:
        self.find("textarea[name=text]").send_keys(ADDED)
        self.submit()


def _staff_session(driver: Any, base: str, user: Any) -> None:
    client = sign_in(Client(), user)
    driver.get(f"{base}/healthz")
    driver.add_cookie(
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "path": "/"}
    )


@pytest.mark.parametrize("language", ["ur", "en"])
def test_lodge_track_add_and_see_a_published_note(
    live_server: Any, driver: Any, browser_world: World, language: str
) -> None:
    from selenium.webdriver.common.by import By

    walk = Walk(driver, live_server.url, language)
    code, pin = walk.lodge()
    case = Case.objects.get()
    assert case.organisation == browser_world.lahore_centre
    assert case.status == "received"

    walk.track(code, pin)
    assert "No notes yet" in driver.page_source or "ابھی کوئی نوٹ نہیں" in driver.page_source
    walk.add_information()
    assert CaseAction.objects.get(case=case, from_complainant=True).note == ADDED

    # The centre's staff: the complaint is in their queue; they publish a note.
    staff = _driver(javascript=driver.javascript)
    try:
        _staff_session(staff, live_server.url, browser_world.case_officer)
        staff.get(f"{live_server.url}/en/cases/")
        assert case.reference in staff.page_source
        staff.get(f"{live_server.url}/en/cases/{case.reference}/")
        assert ADDED in staff.page_source
        staff.find_element(By.CSS_SELECTOR, ".case-timeline details summary").click()
        staff.find_element(By.ID, "id_action_note").send_keys(PUBLISHED)
        staff.find_element(By.ID, "id_action_public").click()
        _left(staff, "form[action$='/actions/add/'] button[type=submit]")
        published = CaseAction.objects.filter(case=case, public=True)
        assert [entry.note for entry in published] == [PUBLISHED]
    finally:
        staff.quit()

    walk.open("/track/status/")
    page = driver.page_source
    assert PUBLISHED in page
    for internal in (case.reference, browser_world.case_officer.username, STORY):
        assert internal not in page
    assert walk.problems == [], "\n".join(walk.problems)
