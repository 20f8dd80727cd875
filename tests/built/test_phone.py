"""The built book as a reader meets it at 390 px (a phone) and at 1280 px: the sidebars open,
text keeps its contrast in both colour modes, and what is too wide for a phone is listed.

Each page is opened once at 390 px in headless Chromium (offline, as in test_browser.py); the
colour mode is switched on the loaded page. The sidebar toggles are tapped (real clicks) at
390 px and at 1280 px. What overflows the main column at 390 px is written to
``_build/screenshots/overflow_390.json`` and printed, not failed: on a phone a long equation
or a wide table may scroll inside its own box. Screenshots of a chapter at both widths and in
both modes go to ``_build/screenshots/reader_*.png``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
CHECKS_JS = (Path(__file__).resolve().parent / "reader_checks.js").read_text(encoding="utf-8")
DOCNAMES = list(parse_toc_yaml(ROOT / "_toc.yml"))
SHOT_PAGE = "chapters/03_momentum"      # the chapter whose screenshots are kept

FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    "--window-size=390,844",
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost, EXCLUDE 127.0.0.1',
]


@pytest.fixture(scope="module")
def phone(launch_browser):
    driver = launch_browser(FLAGS, logs=("browser",), timeout=60)
    driver.get("about:blank")
    _open(driver, "about:blank", 390)
    return driver


@pytest.fixture(scope="module")
def shots(html_dir: Path) -> Path:
    folder = html_dir.parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(driver, url: str, width: int) -> None:
    """Load ``url`` at ``width`` CSS px: a phone (emulated, as Chrome's windows have a minimum
    width of 500 px) or a desktop window."""
    if width < 600:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": False})
    else:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        if driver.get_window_size()["width"] != width:
            driver.set_window_size(width, 1000)
    driver.get(url)
    for _ in range(200):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.05)
    time.sleep(0.2)


@pytest.fixture(scope="module")
def phone_pages(phone, base_url, shots):
    """Per page at 390 px: what overflows, and the contrast of the book's elements per mode."""
    seen: dict[str, dict] = {}

    def _page(docname: str) -> dict:
        if docname in seen:
            return seen[docname]
        _open(phone, f"{base_url}/{docname}.html", 390)
        facts = {"overflow": phone.execute_script(CHECKS_JS + "return CHECKS.overflow();"),
                 "contrast": {}}
        for mode in ("dark", "light"):
            phone.execute_script(CHECKS_JS + "CHECKS.setMode(arguments[0]);", mode)
            time.sleep(0.05)
            facts["contrast"][mode] = phone.execute_script(CHECKS_JS + "return CHECKS.contrast();")
        seen[docname] = facts
        return facts

    yield _page
    report = {d: f["overflow"] for d, f in seen.items() if f["overflow"]}
    (shots / "overflow_390.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    if report:
        lines = [f"{d}: {o['kind']} by {o['by']} px: {o['el']} {o['text']!r}"
                 for d, items in report.items() for o in items]
        print("\nWider than the column at 390 px (scrolls in its own box or sticks out):\n"
              + "\n".join(lines))


@pytest.mark.parametrize("docname", DOCNAMES)
def test_book_elements_have_contrast_on_a_phone(phone_pages, docname):
    page = phone_pages(docname)
    low = [dict(c, mode=mode) for mode, items in page["contrast"].items() for c in items
           if c["ratio"] < c["need"]]
    assert not low, f"{docname}: text below the contrast needed at 390 px: {low[:6]}"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_nothing_sticks_out_of_the_column_on_a_phone(phone_pages, docname):
    # scrolling inside its own box is allowed on a phone (and listed); sticking out is not
    out = [o for o in phone_pages(docname)["overflow"] if o["kind"] != "scrolls"]
    assert not out, f"{docname}: content sticks out of or is cut off in the column: {out[:6]}"


_PANEL_STATE = """
const dialog = document.getElementById(arguments[0] === 'primary'
  ? 'pst-primary-sidebar-modal' : 'pst-secondary-sidebar-modal');
const sidebar = document.getElementById(arguments[0] === 'primary'
  ? 'pst-primary-sidebar' : 'pst-secondary-sidebar');
const shown = el => !!el && el.getClientRects().length > 0 &&
  getComputedStyle(el).visibility !== 'hidden' && el.getBoundingClientRect().width > 50 &&
  el.getBoundingClientRect().right > 0 && el.getBoundingClientRect().left < innerWidth;
const links = el => el ? Array.from(el.querySelectorAll('a')).filter(shown).length : 0;
return {dialogOpen: !!(dialog && dialog.open), dialogShown: shown(dialog),
        dialogLinks: dialog && dialog.open ? links(dialog) : 0,
        sidebarShown: shown(sidebar), sidebarLinks: shown(sidebar) ? links(sidebar) : 0};
"""

_VISIBLE_TOGGLES = """
return Array.from(document.querySelectorAll('.' + arguments[0] + '-toggle'))
  .filter(b => b.getClientRects().length && getComputedStyle(b).visibility !== 'hidden' &&
               b.getBoundingClientRect().width > 0);
"""


def _close(driver) -> None:
    driver.execute_script("document.querySelectorAll('dialog[open]').forEach(d => d.close());")
    time.sleep(0.1)


@pytest.mark.parametrize("width", [390, 1280])
def test_every_sidebar_toggle_opens_its_panel(phone, base_url, shots, width):
    _open(phone, f"{base_url}/{SHOT_PAGE}.html", width)
    assert phone.execute_script("return innerWidth;") == width
    tapped = []
    for side in ("primary", "secondary"):
        for button in phone.execute_script(_VISIBLE_TOGGLES, side):
            before = phone.execute_script(_PANEL_STATE, side)
            button.click()
            time.sleep(0.4)
            after = phone.execute_script(_PANEL_STATE, side)
            if before["sidebarShown"] and not after["dialogOpen"]:
                # a wide screen: the toggle hides the shown sidebar; a second tap brings it back
                assert not after["sidebarShown"], (
                    f"{width} px: the {side} toggle did not hide the sidebar: {after}")
                button.click()
                time.sleep(0.4)
                after = phone.execute_script(_PANEL_STATE, side)
                assert after["sidebarShown"] and after["sidebarLinks"] > 0, (
                    f"{width} px: a second tap on the {side} toggle did not show it: {after}")
            else:
                assert after["dialogOpen"] and after["dialogShown"], (
                    f"{width} px: tapping the {side} toggle opened no panel: {after}")
                assert after["dialogLinks"] > 0, f"{width} px: the {side} panel is empty"
                if width < 600 and side == "primary":
                    phone.save_screenshot(str(shots / f"reader_{width}_sidebar.png"))
                _close(phone)
            tapped.append(side)
    assert "primary" in tapped, f"{width} px: no visible primary sidebar toggle"
    if width < 1200:
        assert "secondary" in tapped, f"{width} px: no visible secondary sidebar toggle"


@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_of_a_chapter_in_both_modes(phone, base_url, shots, width):
    _open(phone, f"{base_url}/{SHOT_PAGE}.html", width)
    fig = phone.execute_script("return document.querySelector('.optlib-webfig') !== null;")
    for mode in ("light", "dark"):
        phone.execute_script(CHECKS_JS + "CHECKS.setMode(arguments[0]);", mode)
        for where, script in (("top", "window.scrollTo(0, 0);"),
                              ("figure", "document.querySelector('.optlib-webfig')"
                                         ".scrollIntoView();")):
            if where == "figure" and not fig:
                continue
            phone.execute_script(script)
            time.sleep(0.3)
            path = shots / f"reader_{width}_{mode}_{where}.png"
            phone.save_screenshot(str(path))
            assert path.stat().st_size > 10_000


def test_live_code_says_what_failed_when_offline(phone, base_url):
    """Offline, thebe cannot be fetched: within a few seconds the page says so and what to do."""
    _open(phone, f"{base_url}/{SHOT_PAGE}.html", 1280)
    assert phone.execute_script("return !!document.querySelector('.btn-launch-thebe');"), (
        "no Live Code button on a chapter page")
    phone.execute_script("document.querySelector('.btn-launch-thebe').click();")
    started = time.monotonic()
    message = ""
    while time.monotonic() - started < 12:
        message = phone.execute_script(
            "const n = document.querySelector('.optbook-live-status');"
            "return n ? n.textContent : '';")
        if message:
            break
        time.sleep(0.2)
    waited = time.monotonic() - started
    assert "Live Code could not start" in message, "no message after 12 s"
    assert "Binder" in message and "Colab" in message, message
    assert waited < 10, f"the reader waited {waited:.1f} s for the message"
    assert phone.execute_script(
        "return document.querySelector('.optbook-live-status').getAttribute('role');") == "alert"


def test_search_snippets_show_no_raw_tex(phone, base_url):
    """Sphinx makes a result's snippet from the page's HTML, where math is still TeX source;
    _static/optbook.js turns it into symbols."""
    _open(phone, f"{base_url}/search.html?q=effective+learning+rate", 1280)
    snippets: list[str] = []
    for _ in range(100):
        snippets = phone.execute_script(
            "return Array.from(document.querySelectorAll('#search-results p.context'))"
            ".map(p => p.textContent);")
        if len(snippets) >= 3:
            break
        time.sleep(0.1)
    assert snippets, "the search found nothing for 'effective learning rate'"
    raw = [s[:120] for s in snippets if any(t in s for t in ("\\(", "\\)", "\\frac", "\\epsilon"))]
    assert not raw, f"search snippets with TeX source: {raw}"
