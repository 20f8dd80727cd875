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
