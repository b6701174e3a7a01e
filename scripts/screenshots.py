"""Take screenshots of pages in English and Urdu at phone and desktop widths.

Usage (against a running `make run`):
    .venv/bin/python scripts/screenshots.py --user admin --password "$PW" /  /organisations/
Writes var/screenshots/<user>-<lang>-<width>-<page>.png. Needs Debian's chromium and
chromium-driver (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}
PHONE_MAX_WIDTH = 600  # narrower screens are emulated as a phone's (touch, mobile viewport)


def browser(width: int, height: int) -> webdriver.Chrome:
    """Start headless Debian chromium with no network chatter."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    # A headless window is never narrower than about 500 px: a phone's width is emulated.
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}}
    )
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def _viewport(driver: webdriver.Chrome, width: int, height: int) -> None:
    """Size the emulated screen (the whole page, for a full-length screenshot)."""
    metrics = {
        "width": width,
        "height": height,
        "deviceScaleFactor": 1,
        "mobile": width < PHONE_MAX_WIDTH,
    }
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def main() -> None:
    """Sign in once per viewport and capture each page in both languages."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        driver = browser(width, height)
        try:
            driver.get(f"{args.base}/en/account/sign-in/")
            driver.find_element(By.NAME, "username").send_keys(args.user)
            driver.find_element(By.NAME, "password").send_keys(args.password)
            driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
            for language in ("en", "ur"):
                for path in args.paths:
                    driver.get(f"{args.base}/{language}{path}")
                    name = path.strip("/").replace("/", "_") or "home"
                    target = out / f"{args.user}-{language}-{label}-{name}.png"
                    full_height = driver.execute_script("return document.body.scrollHeight")
                    _viewport(driver, width, max(height, int(full_height) + 100))
                    driver.save_screenshot(str(target))
                    _viewport(driver, width, height)
                    print(target)
        finally:
            driver.quit()


if __name__ == "__main__":
    main()
