"""The appendices in the built book: every question rendered, the quizzes, the cheat sheet."""

from pathlib import Path

from bs4 import BeautifulSoup

import optlib
from optbook import questions as qbank
from optbook import quiz as qz

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "chapters" / "questions"
QUIZZES = ROOT / "chapters" / "quiz"


def _soup(html_dir: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((html_dir / f"{docname}.html").read_text(encoding="utf-8"),
                         "html.parser")


def test_bank_shows_every_question_of_every_toc_chapter(html_dir):
    chapters = qbank.bank_chapters(ROOT, QUESTIONS)
    questions = [q for c in chapters for q in qbank.load_questions(c, QUESTIONS)]
    page = _soup(html_dir, "chapters/appendix_questions")
    shown = page.select("div.optlib-q")
    assert len(shown) == len(questions), (
        f"the bank shows {len(shown)} questions, the toc chapters have {len(questions)}")
    for div in shown:
        assert div.select_one("details"), "an answer is not in a dropdown"
        links = div.select("details a.reference.internal")
        assert links, f"an answer has no link to its section: {div.get_text()[:80]}"
        assert any(f"optlib-q-{d}" in div["class"] for d in qbank.DIFFICULTIES)
    # one counts table with a row per chapter plus the totals row
    table = page.select_one("table")
    assert len(table.select("tbody tr")) == len(chapters) + 1
    assert table.select("tbody tr")[-1].get_text(" ", strip=True).endswith(str(len(questions)))


def test_quiz_page_has_every_quiz_with_one_right_option_each(html_dir):
    names = qz.quiz_names(QUIZZES)
    quizzes = [qz.load_quiz(n, QUIZZES) for n in names]
    page = _soup(html_dir, "chapters/appendix_quiz")
    shown = page.select("div.optlib-quiz")
    assert len(shown) == len(names)
    for element, quiz in zip(shown, quizzes, strict=True):
        items = element.select(".oq-item")
        assert [i["data-id"] for i in items] == [q.id for q in quiz.questions]
        for item in items:
            assert len(item.select('button[data-correct="1"]')) == 1
            assert len(item.select(".oq-why")) == len(item.select("button.oq-option"))
    # the inline scripts came through, one per quiz
    scripts = [s for s in page.select("script") if "oq-option" in (s.string or "")]
    assert len(scripts) == len(names)


def test_cheat_sheet_has_one_row_per_optimizer_and_its_print_style(html_dir):
    page = _soup(html_dir, "chapters/appendix_cheatsheet")
    rows = page.select("div.optlib-cheatsheet table tbody tr")
    assert len(rows) == len(optlib.ALL)
    hrefs = [link.get("href", "") for link in page.select('link[rel="stylesheet"]')]
    assert any(h.split("?")[0].endswith("_static/cheatsheet.css") for h in hrefs)
    css = (html_dir / "_static" / "cheatsheet.css").read_text(encoding="utf-8")
    assert "size: A4 landscape" in css and "@media print" in css


def test_glossary_terms(html_dir):
    page = _soup(html_dir, "chapters/appendix_glossary")
    terms = page.select("dl.glossary dt")
    assert len(terms) >= 80          # 40+ entries, each in English and Chinese
    texts = {t.get_text(strip=True).rstrip("¶#") for t in terms}
    for term in ("gradient", "梯度", "saddle point", "鞍点", "bias correction", "偏差修正"):
        assert term in texts
