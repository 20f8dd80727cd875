"""The appendices in headless Chromium: the quiz answers a click; the cheat sheet prints on one
landscape A4 page.

Skipped without Chromium and chromedriver, except under CI (see the ``browser_paths`` fixture
in tests/built/conftest.py).
"""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import pytest

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--window-size=1280,1400"]


@pytest.fixture(scope="module")
def driver(launch_browser):
    return launch_browser(FLAGS, logs=("browser",), timeout=60)


def _open(driver, html_dir: Path, docname: str) -> None:
    driver.get((html_dir / f"{docname}.html").as_uri())
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.05)


def test_quiz_gives_immediate_feedback(driver, html_dir):
    _open(driver, html_dir, "chapters/appendix_quiz")
    driver.get_log("browser")
    result = driver.execute_script("""
        const item = document.querySelector('.optlib-quiz .oq-item');
        const wrong = item.querySelector('button.oq-option[data-correct="0"]');
        const right = item.querySelector('button.oq-option[data-correct="1"]');
        const feedback = item.querySelector('.oq-feedback');
        const before = feedback.textContent;
        wrong.click();
        const afterWrong = [feedback.textContent, wrong.className, feedback.className];
        right.click();
        const afterRight = [feedback.textContent, right.className, wrong.className];
        const score = item.closest('.optlib-quiz').querySelector('.oq-score').textContent;
        return {before, afterWrong, afterRight, score,
                why: right.parentNode.querySelector('.oq-why').textContent};
    """)
    assert result["before"] == ""
    text, wrong_class, feedback_class = result["afterWrong"]
    assert text.startswith("Not quite. ") and "oq-wrong" in wrong_class
    assert "oq-wrong" in feedback_class
    text, right_class, wrong_class = result["afterRight"]
    assert text == "Right. " + result["why"] and "oq-right" in right_class
    assert "oq-wrong" not in wrong_class              # the earlier mark is cleared
    assert "right at the first try: 0" in result["score"]   # the first try was wrong
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page of a PDF written by Chromium."""
    boxes = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*([\d.\s]+)\]", pdf, re.S)
    if not boxes:   # MediaBox before /Type in the page dictionary
        boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.\s]+)\][^>]*?/Type\s*/Page\b(?!s)", pdf, re.S)
    pages = []
    for box in boxes:
        x0, y0, x1, y1 = (float(v) for v in box.split())
        pages.append((x1 - x0, y1 - y0))
    return pages


def test_cheat_sheet_prints_each_table_on_one_landscape_a4_page(driver, html_dir):
    """The cheat sheet has several tables (the notes' methods, after Adam, rates, practices);
    each starts a new sheet and fits on it, so the print has exactly one A4 landscape page per
    table: a table that spilled over would add a page."""
    _open(driver, html_dir, "chapters/appendix_cheatsheet")
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
          MathJax.startup.promise.then(() => done(true), () => done(false));
        } else { done(true); }
    """)
    tables = driver.execute_script(
        "return document.querySelectorAll('.optlib-cheatsheet table, .optlib-rates table, "
        ".optlib-practice table').length;")
    assert tables >= 2, f"the cheat sheet shows {tables} tables"
    pdf = base64.b64decode(driver.execute_cdp_cmd(
        "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})["data"])
    pages = _pdf_pages(pdf)
    assert len(pages) == tables, f"{tables} tables print on {len(pages)} pages"
    for width, height in pages:
        assert width > height, f"not landscape: {width} x {height} pt"
        # A4 is 841.9 x 595.3 pt
        assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2, (width, height)


def test_bank_difficulty_filter_hides_and_counts(driver, html_dir):
    _open(driver, html_dir, "chapters/appendix_questions")
    result = driver.execute_script("""
        const box = document.querySelector('.optlib-qfilter');
        const visible = () => Array.from(document.querySelectorAll('.optlib-q'))
                                   .filter(q => q.style.display !== 'none').length;
        const total = document.querySelectorAll('.optlib-q').length;
        const hard = document.querySelectorAll('.optlib-q.optlib-q-hard').length;
        const first = box.querySelector('.oqf-count').textContent;
        for (const level of ['easy', 'medium']) {
          const c = box.querySelector(`input[value="${level}"]`);
          c.checked = false; c.dispatchEvent(new Event('change', {bubbles: true}));
        }
        const onlyHard = [visible(), box.querySelector('.oqf-count').textContent];
        // every chapter's own count against the questions shown in its section
        const chapters = Array.from(document.querySelectorAll('.optlib-qcount')).map(c => {
          const section = c.closest('section');
          const shown = Array.from(section.querySelectorAll('.optlib-q'))
                             .filter(q => q.style.display !== 'none').length;
          return {text: c.textContent.trim(), shown, hidden: section.style.display === 'none',
                  hard: section.querySelectorAll('.optlib-q.optlib-q-hard').length};
        });
        return {total, hard, first, onlyHard, chapters};
    """)
    assert result["total"] > 0 and 0 < result["hard"] < result["total"]
    assert result["first"] == f"{result['total']} questions shown"
    assert result["onlyHard"] == [result["hard"], f"{result['hard']} questions shown"]
    assert result["chapters"], "the bank shows no per-chapter counts"
    for chapter in result["chapters"]:
        assert chapter["shown"] == chapter["hard"]
        if chapter["hard"]:
            word = "question" if chapter["hard"] == 1 else "questions"
            assert chapter["text"].endswith(f": {chapter['hard']} {word}."), chapter
        else:
            assert chapter["hidden"], chapter
