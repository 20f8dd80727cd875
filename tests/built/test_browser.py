"""The built book in a real browser, with the network cut off: it must read offline.

Each page of _toc.yml is served from the built HTML on 127.0.0.1 (an http.server thread on a
free port) and opened in headless Chromium driven by Selenium. Chromium resolves no host name
but localhost, so a script, style sheet, font or image that a page would fetch from a CDN
fails to load, and these tests report it. For every page they check:

* no request left localhost, and none failed or answered with an error status (read from
  Chromium's performance log: the network events of the page);
* no error in the browser console (SEVERE entries of the browser log);
* the math was typeset by MathJax: every ``.math`` element holds MathJax output, MathJax
  reported no error, and no raw ``$$``, ``\\(`` or ``\\[`` is left in the visible text;
* every image loaded (``complete`` and a non-zero ``naturalWidth``);
* every kernel-free figure (optbook.webfig) draws something new when a slider moves, and the
  other figures of the page do not change; the time of each redraw is measured in the page
  with ``performance.now()`` (median under 50 ms);
* a live explorer (optbook.explorer) shows its "needs a running kernel" note and its still;
* the page loads at most 3 MB in all, as a static host that gzips text sends it (the test
  server does the same; ``page_weight.txt`` lists sent and unpacked sizes per page);
* the book's own elements (optbook's figures, notes, quizzes, filters) have a text/background
  contrast of at least 4.5:1 in the light and in the dark colour mode;
* nothing in the main column is wider than the column at 1280 px (test_phone.py lists what
  is at 390 px);
* the text of every matplotlib figure measures at least 11 px as displayed;
* axe-core (from npm, tests/built/package.json) finds no serious or critical violation in the
  book's own markup (``axe.json`` keeps every finding, the theme's marked as such).

A screenshot of each page goes to ``_build/screenshots/`` (next to the html folder), with
``timings.json``, the measured slider redraw times.

Chromium comes from Debian's ``chromium`` and ``chromium-driver`` packages; `make test`
installs them when missing. Without them these tests are skipped, except when the
environment variable CI is set: then a missing browser is a failure.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[2]
CHECKS_JS = (Path(__file__).resolve().parent / "reader_checks.js").read_text(encoding="utf-8")
DOCNAMES = list(parse_toc_yaml(ROOT / "_toc.yml"))
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PAGE_TIMEOUT = 60          # seconds for a page (and MathJax) to finish
SLIDER_BUDGET_MS = 50      # a kernel-free figure must redraw within this
# bytes a page may load in total (HTML, scripts, styles, fonts, images), as sent by a static
# host that gzips text (GitHub Pages does; the test server does the same)
MAX_PAGE_WEIGHT = 3_000_000
MIN_CONTRAST_NOTE = "WCAG AA: 4.5:1, or 3:1 for large text"

CHROME_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    "--window-size=1280,1400",
    # every host name but localhost resolves to nothing: no request can leave the machine
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost, EXCLUDE 127.0.0.1',
]


# -- fixtures: server, browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(launch_browser):
    driver = launch_browser(CHROME_FLAGS, logs=("browser", "performance"), timeout=PAGE_TIMEOUT)
    # no cache: every page is measured as a first visit loads it (its full weight)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.get("about:blank")        # whatever the browser does at start-up is not a page's
    time.sleep(0.5)
    return driver


@pytest.fixture(scope="module")
def shots_dir(html_dir: Path) -> Path:
    folder = html_dir.parent / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def timings(shots_dir: Path):
    measured: dict[str, list[float]] = {}
    yield measured
    (shots_dir / "timings.json").write_text(json.dumps(measured, indent=1) + "\n")


# -- loading a page and reading what happened ---------------------------------------------------

_WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
const hasMath = document.querySelector('.math') !== null;
if (!hasMath) { done({hasMath: false}); return; }
const start = Date.now();
(function poll() {
  const mj = window.MathJax;
  if (mj && mj.startup && mj.startup.promise) {
    mj.startup.promise.then(() => done({hasMath: true, typeset: true}),
                            (e) => done({hasMath: true, typeset: false, error: String(e)}));
  } else if (Date.now() - start > 20000) {
    done({hasMath: true, typeset: false, error: 'MathJax did not start'});
  } else { setTimeout(poll, 50); }
})();
"""

_PAGE_FACTS = """
const visible = document.body.cloneNode(true);
visible.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight')
       .forEach(n => n.remove());
const text = visible.textContent;
const maths = Array.from(document.querySelectorAll('.math'));
return {
  mathCount: maths.length,
  mathUntypeset: maths.filter(m => !m.querySelector('mjx-container'))
                      .map(m => m.textContent.slice(0, 80)),
  mathErrors: Array.from(document.querySelectorAll('mjx-merror'))
                   .map(m => m.textContent.slice(0, 80)),
  rawMath: ['$$', '\\\\(', '\\\\[', '\\\\begin{'].filter(s => text.includes(s)),
  images: Array.from(document.images).map(i => ({src: i.currentSrc || i.src,
                                                  ok: i.complete && i.naturalWidth > 0})),
  resources: performance.getEntriesByType('resource').map(r => r.name),
  webfigs: Array.from(document.querySelectorAll('.optlib-webfig')).map(f => f.id),
  explorers: Array.from(document.querySelectorAll('.optlib-explorer-static'))
                  .map(e => e.textContent.slice(0, 200)),
};
"""


def _network(entries: list[dict]) -> tuple[list[str], list[str]]:
    """Requested URLs, and the failures (failed loads, error statuses) of a performance log."""
    requested, failures, urls = [], [], {}
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            requested.append(params["request"]["url"])
            urls[params.get("requestId")] = params["request"]["url"]
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            url = urls.get(params.get("requestId"), f"request {params.get('requestId')}")
            failures.append(f"{params.get('errorText')} ({params.get('type')}): {url}")
        elif method == "Network.responseReceived":
            status = params["response"].get("status", 0)
            # the browser asks for /favicon.ico on its own; the book sets no favicon
            if status >= 400 and not params["response"]["url"].endswith("/favicon.ico"):
                failures.append(f"HTTP {status}: {params['response']['url']}")
    return requested, failures


def _outside(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome", "chrome-extension"):
        return False
    return parsed.hostname not in LOCAL_HOSTS


def _screenshot(driver, path: Path, max_height: int = 9000) -> None:
    """The whole page (up to ``max_height`` px) as the reader's browser lays it out.

    The window is made as tall as the page for the shot and then restored; capturing beyond
    the viewport instead shifts the book theme's sticky sidebars on some pages.
    """
    original = driver.get_window_size()
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")),
                 max_height)
    driver.set_window_size(original["width"], max(height, original["height"]))
    try:
        time.sleep(0.2)
        driver.save_screenshot(str(path))
    finally:
        driver.set_window_size(original["width"], original["height"])


@pytest.fixture(scope="module")
def visit(browser, base_url, shots_dir):
    """Open a page, wait for it and for MathJax, and return what happened (cached per page)."""
    seen: dict[str, dict] = {}

    def _visit(docname: str) -> dict:
        if docname in seen:
            return seen[docname]
        browser.get_log("performance")            # drop what earlier pages left
        browser.get_log("browser")
        browser.get(f"{base_url}/{docname}.html")
        mathjax = browser.execute_async_script(_WAIT_FOR_MATHJAX)
        # scroll through the page so that anything loaded on view is loaded, then settle
        browser.execute_script("window.scrollTo(0, document.body.scrollHeight);")
        time.sleep(0.3)
        browser.execute_script("window.scrollTo(0, 0);")
        time.sleep(0.2)
        facts = browser.execute_script(_PAGE_FACTS)
        facts["weight"] = browser.execute_script(CHECKS_JS + "return CHECKS.weight();")
        facts["overflow"] = browser.execute_script(CHECKS_JS + "return CHECKS.overflow();")
        facts["pictures"] = browser.execute_script(CHECKS_JS + "return CHECKS.images();")
        facts["contrast"] = {}
        for mode in ("dark", "light"):
            browser.execute_script(CHECKS_JS + "CHECKS.setMode(arguments[0]);", mode)
            time.sleep(0.05)
            facts["contrast"][mode] = browser.execute_script(
                CHECKS_JS + "return CHECKS.contrast();")
        requested, failures = _network(browser.get_log("performance"))
        console = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        _screenshot(browser, shots_dir / f"{docname.replace('/', '__')}.png")
        seen[docname] = dict(facts, mathjax=mathjax, requested=requested, failures=failures,
                             console=console)
        return seen[docname]

    return _visit


# -- the checks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("docname", DOCNAMES)
def test_no_request_leaves_localhost_or_fails(visit, docname):
    page = visit(docname)
    outside = sorted({u for u in page["requested"] + page["resources"] if _outside(u)})
    assert not outside, f"{docname}: requests outside localhost (a CDN?): {outside}"
    assert not page["failures"], f"{docname}: failed requests: {page['failures']}"
    assert page["requested"], f"{docname}: the performance log recorded no request at all"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_no_console_errors(visit, docname):
    errors = [e["message"][:300] for e in visit(docname)["console"]
              if "/favicon.ico " not in e["message"]]  # asked for by the browser, not the page
    assert not errors, f"{docname}: errors in the browser console: {errors}"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_math_is_typeset_by_mathjax(visit, docname):
    page = visit(docname)
    if page["mathCount"]:
        assert page["mathjax"].get("typeset"), f"{docname}: MathJax failed: {page['mathjax']}"
    assert not page["mathUntypeset"], f"{docname}: math left untypeset: {page['mathUntypeset']}"
    assert not page["mathErrors"], f"{docname}: MathJax errors: {page['mathErrors']}"
    assert not page["rawMath"], f"{docname}: raw TeX delimiters in the text: {page['rawMath']}"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_every_image_loaded(visit, docname):
    broken = [i["src"][:120] for i in visit(docname)["images"] if not i["ok"]]
    assert not broken, f"{docname}: images that did not load: {broken}"


_MOVE_SLIDER = """
const [figId, index] = [arguments[0], arguments[1]];
const root = document.getElementById(figId);
const canvases = Array.from(root.querySelectorAll('canvas'));
const before = canvases.map(c => c.toDataURL());
const others = Array.from(document.querySelectorAll('.optlib-webfig canvas'))
                    .filter(c => !root.contains(c));
const othersBefore = others.map(c => c.toDataURL());
const input = root.querySelectorAll('input[type=range]')[index];
const readoutBefore = root.querySelector('.owf-readout').textContent;
const old = Number(input.value), max = Number(input.max);
input.value = String(old === max ? 0 : Math.min(max, old + Math.max(1, Math.round(max / 3))));
const t0 = performance.now();
input.dispatchEvent(new Event('input', {bubbles: true}));
const ms = performance.now() - t0;
const after = canvases.map(c => c.toDataURL());
return {ms: ms, changed: before.map((b, i) => b !== after[i]), moved: input.value !== String(old),
        othersChanged: others.filter((c, i) => c.toDataURL() !== othersBefore[i]).length,
        readoutChanged: root.querySelector('.owf-readout').textContent !== readoutBefore,
        drawMs: Number(root.getAttribute('data-draw-ms'))};
"""


@pytest.mark.parametrize("docname", DOCNAMES)
def test_kernel_free_figures_redraw_when_a_slider_moves(visit, browser, base_url, timings,
                                                        docname):
    page = visit(docname)
    if not page["webfigs"]:
        pytest.skip(f"{docname} has no kernel-free figure")
    assert len(set(page["webfigs"])) == len(page["webfigs"]), "figure ids are not unique"
    if not browser.current_url.endswith(f"/{docname}.html"):
        browser.get(f"{base_url}/{docname}.html")
    browser.get_log("browser")
    for fig_id in page["webfigs"]:
        ready = browser.execute_script(
            "return document.getElementById(arguments[0]).getAttribute('data-ready');", fig_id)
        assert ready == "1", f"{docname}: figure {fig_id} did not start"
        count = browser.execute_script(
            "return document.getElementById(arguments[0])"
            ".querySelectorAll('input[type=range]').length;", fig_id)
        assert count >= 1, f"{docname}: figure {fig_id} has no slider"
        for index in range(count):
            for _ in range(5):
                result = browser.execute_script(_MOVE_SLIDER, fig_id, index)
                assert result["moved"]
                # a panel may look the same when the change is too small to see (AdaGrad's δ
                # between 1e-7 and 1e-4 does not move the path by a pixel); one must change
                assert any(result["changed"]), (
                    f"{docname}: moving slider {index} of {fig_id} did not redraw: {result}")
                assert result["readoutChanged"]
                assert result["othersChanged"] == 0, (
                    f"{docname}: moving a slider of {fig_id} redrew another figure")
                timings.setdefault(docname, []).append(round(result["ms"], 3))
    ms = sorted(timings[docname])
    median = ms[len(ms) // 2]
    assert median < SLIDER_BUDGET_MS, f"{docname}: slider redraw median {median:.1f} ms"
    # nothing the moves did may have logged an error
    errors = [e["message"][:300] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"{docname}: console errors after moving sliders: {errors}"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_live_explorer_says_it_needs_a_kernel(visit, docname):
    page = visit(docname)
    if not page["explorers"]:
        pytest.skip(f"{docname} has no live explorer")
    for text in page["explorers"]:
        assert "needs a running kernel" in text
    stills = [i for i in page["images"] if i["src"].startswith("data:image/png")]
    assert stills and all(i["ok"] for i in stills)


# -- the reader's experience: weight, contrast, clipping, figures, accessibility -------------


@pytest.fixture(scope="module")
def weights(shots_dir: Path):
    measured: dict[str, tuple[int, int, int]] = {}
    yield measured
    if measured:
        lines = [f"{'page':32s} {'sent kB':>8s} {'unpacked kB':>12s} {'requests':>9s}"]
        lines += [f"{d:32s} {b / 1e3:8.0f} {u / 1e3:12.0f} {n:9d}"
                  for d, (b, u, n) in measured.items()]
        (shots_dir / "page_weight.txt").write_text("\n".join(lines) + "\n")
        print("\nPage weight (everything a page loads; sent = gzip as a static host sends "
              "text, unpacked = as the browser holds it):\n" + "\n".join(lines))


@pytest.mark.parametrize("docname", DOCNAMES)
def test_page_weight_is_at_most_3_mb(visit, weights, docname):
    items = visit(docname)["weight"]
    total = sum(i["bytes"] for i in items)
    weights[docname] = (total, sum(i["unpacked"] for i in items), len(items))
    biggest = sorted(items, key=lambda i: -i["bytes"])[:5]
    assert total <= MAX_PAGE_WEIGHT, (
        f"{docname} loads {total / 1e6:.2f} MB (limit {MAX_PAGE_WEIGHT / 1e6:.0f} MB); "
        f"largest: {[(i['name'].rsplit('/', 1)[-1][:50], i['bytes']) for i in biggest]}")


@pytest.mark.parametrize("docname", DOCNAMES)
def test_book_elements_have_contrast_in_both_modes(visit, docname):
    page = visit(docname)
    low = [dict(c, mode=mode) for mode, items in page["contrast"].items() for c in items
           if c["ratio"] < c["need"]]
    assert not low, f"{docname}: text below the contrast needed ({MIN_CONTRAST_NOTE}): {low[:6]}"


@pytest.mark.parametrize("docname", DOCNAMES)
def test_nothing_in_the_main_column_overflows_at_1280px(visit, docname):
    over = visit(docname)["overflow"]
    assert not over, f"{docname}: content wider than the column at 1280 px: {over[:6]}"


def _png_dpi(path: Path) -> float | None:
    """The resolution a PNG records (its pHYs chunk), in dots per inch, or None."""
    data = path.read_bytes()
    at = data.find(b"pHYs")
    if at < 0:
        return None
    per_metre = int.from_bytes(data[at + 4:at + 8], "big")
    unit = data[at + 12]
    return per_metre * 0.0254 if unit == 1 else None


@pytest.mark.parametrize("docname", DOCNAMES)
def test_figure_text_is_legible_as_displayed(visit, html_dir, docname):
    """Text of a matplotlib figure in the book's style, as displayed at 1280 px, is ≥ 11 px.

    The smallest text of the style (:data:`optbook.figures.SMALLEST_FONT_PT`) measures
    ``pt / 72 · dpi`` pixels in the PNG (its dpi read from the PNG itself), and the page shows
    the PNG at ``shown / natural`` of its size.
    """
    from optbook.figures import MIN_TEXT_PX, SMALLEST_FONT_PT

    small = []
    for img in visit(docname)["pictures"]:
        if "_images/" not in img["src"] or not img["natural"]:
            continue
        path = html_dir / "_images" / img["src"].rsplit("_images/", 1)[1]
        dpi = _png_dpi(path) if path.suffix == ".png" else None
        if dpi is None:
            continue
        text_px = SMALLEST_FONT_PT / 72 * dpi * img["shown"] / img["natural"]
        if text_px < MIN_TEXT_PX:
            small.append((path.name[:12], round(text_px, 1), f"{img['natural']}->"
                          f"{img['shown']:.0f}px at {dpi:.0f} dpi"))
    assert not small, f"{docname}: figure text under {MIN_TEXT_PX} px as displayed: {small}"


_AXE_RUN = """
const done = arguments[arguments.length - 1];
const THEME = '.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, ' +
  '#pst-search-dialog, .bd-footer, .bd-footer-article, .prev-next-footer, #pst-back-to-top, ' +
  '.pst-navbar-icon, .search-button-field, #pst-skip-link, .bd-footer-content';
// MathJax's output (thousands of elements) is left out: it is not the book's markup
axe.run({exclude: [['mjx-container']]}, {resultTypes: ['violations']})
.then(r => done(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => {
    let el = null;
    try { el = document.querySelector(n.target[0]); } catch (e) {}
    return {target: String(n.target[0]).slice(0, 100), html: n.html.slice(0, 140),
            theme: !!(el && el.closest(THEME))};
  })}))), e => done({error: String(e)}));
"""


@pytest.fixture(scope="module")
def axe_results(browser, base_url, axe_source, shots_dir):
    found: dict[str, list] = {}
    yield found
    if found:
        (shots_dir / "axe.json").write_text(json.dumps(found, indent=1) + "\n")


@pytest.mark.parametrize("docname", DOCNAMES)
def test_no_serious_accessibility_violation_from_the_book(visit, browser, base_url, axe_source,
                                                          axe_results, docname):
    visit(docname)
    if not browser.current_url.endswith(f"/{docname}.html"):
        browser.get(f"{base_url}/{docname}.html")
    browser.execute_script(axe_source)
    result = browser.execute_async_script(_AXE_RUN)
    assert not isinstance(result, dict), result
    axe_results[docname] = result
    own = [(v["id"], v["impact"], n["target"]) for v in result
           if v["impact"] in ("serious", "critical") for n in v["nodes"] if not n["theme"]]
    assert not own, f"{docname}: serious or critical axe-core violations (book markup): {own[:8]}"
