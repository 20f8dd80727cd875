"""Fixtures for the checks on the built book in _build/html.

Run directly (`pytest tests/built`) these skip when no book has been built. `make test` sets
OPTBOOK_REQUIRE_BUILD=1 right after its strict build, and then a missing build is a failure.
OPTBOOK_HTML=/path/to/_build/html checks a book built elsewhere (e.g. with --path-output).

The browser tests use headless Chromium and its driver: Debian's ``chromium`` and
``chromium-driver`` (which `make test` installs), or any Chrome and chromedriver named by
OPTBOOK_CHROME and OPTBOOK_CHROMEDRIVER. Without them the browser tests skip, except when the
environment variable CI is set: there a missing browser is a failure.
"""

import functools
import gzip
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("OPTBOOK_HTML") or ROOT / "_build" / "html").resolve()
#: axe-core, installed from npm by `make test` (``npm ci`` in tests/built, pinned in
#: tests/built/package.json and package-lock.json).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


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


#: What a static host such as GitHub Pages sends gzip-compressed (when the browser accepts it).
GZIP_SUFFIXES = {".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".xml", ".inv"}


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime: float) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built book as a static host does: text files gzip-compressed on request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:
        path = self.translate_path(self.path)
        wanted = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wanted and os.path.isfile(path) and Path(path).suffix in GZIP_SUFFIXES):
            super().do_GET()
            return
        body = _gzipped(path, os.path.getmtime(path))
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def base_url(html_dir: Path):
    """The built book served on 127.0.0.1 (a free port) for the whole session, text files
    gzip-compressed as GitHub Pages sends them."""
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The text of axe-core's ``axe.min.js``, or skip (fail under CI) when npm did not run."""
    if AXE.is_file():
        return AXE.read_text(encoding="utf-8")
    message = f"axe-core is not installed ({AXE}): run `npm ci --prefix tests/built`"
    if os.environ.get("CI") or os.environ.get("OPTBOOK_REQUIRE_BUILD"):
        pytest.fail(message)
    pytest.skip(message)
