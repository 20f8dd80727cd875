"""Fixtures for the checks on the built book in _build/html.

Run directly (`pytest tests/built`) these skip when no book has been built. `make test` sets
OPTBOOK_REQUIRE_BUILD=1 right after its strict build, and then a missing build is a failure.
OPTBOOK_HTML=/path/to/_build/html checks a book built elsewhere (e.g. with --path-output).

The browser tests use headless Chromium and its driver: Debian's ``chromium`` and
``chromium-driver`` (which `make test` installs), or any Chrome and chromedriver named by
OPTBOOK_CHROME and OPTBOOK_CHROMEDRIVER. Without them the browser tests skip, except when the
environment variable CI is set: there a missing browser is a failure.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("OPTBOOK_HTML") or ROOT / "_build" / "html").resolve()


@pytest.fixture(scope="session")
def html_dir() -> Path:
    if not (HTML / "index.html").is_file():
        message = f"no built book in {HTML}: run `make book` first"
        if os.environ.get("OPTBOOK_REQUIRE_BUILD"):
            pytest.fail(message)
        pytest.skip(message)
    return HTML


@pytest.fixture(scope="session")
def toc_docnames() -> list[str]:
    return list(parse_toc_yaml(ROOT / "_toc.yml"))


@pytest.fixture(scope="session")
def browser_paths() -> tuple[str, str]:
    """``(browser, driver)`` executables for Selenium, or skip (fail under CI) without them."""
    browser = os.environ.get("OPTBOOK_CHROME") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    driver = os.environ.get("OPTBOOK_CHROMEDRIVER") or shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    message = ("headless Chromium is not installed (Debian packages chromium and "
               "chromium-driver, which `make test` installs; or set OPTBOOK_CHROME and "
               "OPTBOOK_CHROMEDRIVER)")
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def launch_browser(browser_paths: tuple[str, str]):
    """A function that starts headless Chromium under Selenium, with its own empty profile.

    ``launch(flags, logs, timeout)`` takes the command-line flags, the log types to record
    (``goog:loggingPrefs``) and the page/script timeout in seconds; every browser it started
    is closed, and its profile removed, at the end of the session.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver_path = browser_paths
    started: list[tuple[object, str]] = []

    def launch(flags: list[str], logs: tuple[str, ...] = ("browser",), timeout: float = 60):
        profile = tempfile.mkdtemp(prefix="optbook-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in [*flags, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {kind: "ALL" for kind in logs})
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        started.append((driver, profile))
        driver.set_page_load_timeout(timeout)
        driver.set_script_timeout(timeout)
        return driver

    yield launch
    for driver, profile in started:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
