"""Take screenshots of every public portal step in English and Urdu at phone and desktop widths.

Usage (against a running `make run`, no sign-in needed):
    .venv/bin/python scripts/portal_screenshots.py --base http://127.0.0.1:8000
Lodges one complaint per language and viewport from Lahore (anonymous), then tracks it.
Writes var/screenshots/portal-<lang>-<width>-<nn>-<step>.png.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scripts.screenshots import WIDTHS, browser
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

STORY = "Two men threatened my brother at the church gate on Sunday and said they would come back."


def shot(driver: webdriver.Chrome, out: Path, name: str, width: int, height: int) -> None:
    """Save the whole page."""
    full = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(width, max(height, int(full) + 100))
    driver.save_screenshot(str(out / f"{name}.png"))
    driver.set_window_size(width, height)
    print(out / f"{name}.png")


def submit(driver: webdriver.Chrome) -> None:
    """Press the form's main button and wait for the next page."""
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "main form.portal-form button[type=submit]").click()

    def gone(_driver: webdriver.Chrome) -> bool:
        try:
            page.is_enabled()
        except WebDriverException:  # stale, or no longer in the document
            return True
        return False

    WebDriverWait(driver, 20).until(gone)


def walk(
    driver: webdriver.Chrome,
    *,
    base: str,
    language: str,
    prefix: str,
    out: Path,
    size: tuple[int, int],
) -> None:
    """Go through every step, screenshot each, send, and track."""
    width, height = size
    driver.get(f"{base}/{language}/report/")
    shot(driver, out, f"{prefix}-00-landing", width, height)
    driver.get(f"{base}/{language}/report/what/")
    submit(driver)  # nothing chosen: the error summary
    shot(driver, out, f"{prefix}-01-what-error", width, height)
    driver.find_element(By.CSS_SELECTOR, "input[value=threats]").click()
    shot(driver, out, f"{prefix}-01-what", width, height)
    submit(driver)
    Select(driver.find_element(By.NAME, "district")).select_by_value("PK617")
    shot(driver, out, f"{prefix}-02-where", width, height)
    submit(driver)
    driver.find_element(By.NAME, "place").send_keys("Youhanabad")
    shot(driver, out, f"{prefix}-03-place", width, height)
    submit(driver)
    shot(driver, out, f"{prefix}-04-when", width, height)
    submit(driver)
    driver.find_element(By.CSS_SELECTOR, "input[value=christian]").click()
    shot(driver, out, f"{prefix}-05-who", width, height)
    submit(driver)
    driver.find_element(By.NAME, "narrative").send_keys(STORY)
    shot(driver, out, f"{prefix}-06-story", width, height)
    submit(driver)
    shot(driver, out, f"{prefix}-07-danger", width, height)
    submit(driver)
    driver.find_element(By.CSS_SELECTOR, "input[value=anonymous]").click()
    shot(driver, out, f"{prefix}-08-contact", width, height)
    submit(driver)
    shot(driver, out, f"{prefix}-09-check", width, height)
    submit(driver)
    shot(driver, out, f"{prefix}-10-done", width, height)
    code = driver.find_element(By.CSS_SELECTOR, ".ticket-code").text
    pin = driver.find_element(By.CSS_SELECTOR, ".ticket-pin").text
    driver.get(f"{base}/{language}/track/")
    shot(driver, out, f"{prefix}-11-track", width, height)
    driver.find_element(By.NAME, "code").send_keys(code)
    driver.find_element(By.NAME, "pin").send_keys(pin)
    submit(driver)
    shot(driver, out, f"{prefix}-12-status", width, height)


def main() -> None:
    """Walk the portal in both languages at both widths."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for label, size in WIDTHS.items():
        for language in ("en", "ur"):
            driver = browser(*size)
            try:
                walk(
                    driver,
                    base=args.base,
                    language=language,
                    prefix=f"portal-{language}-{label}",
                    out=out,
                    size=size,
                )
            finally:
                driver.quit()


if __name__ == "__main__":
    main()
