"""The appendices agree with the chapters (no build needed).

* every toc chapter with an "Interview corner" shows its own questions file, and every questions
  file belongs to a toc chapter;
* every question's ``section`` is a MyST label of its chapter; ids are unique book-wide;
* the question bank page renders every question of every toc chapter, in toc order;
* the quizzes are valid (one right option, explanations), point at existing sections, and all
  appear on the quiz page;
* the cheat sheet has a row for every optimizer of optlib;
* the errata page links to every chapter section that holds an "Erratum" box;
* every {ref} on the appendix pages names an existing label; the glossary is complete enough.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

import optlib
from optbook import questions as qbank
from optbook import quiz as qz
from optbook.colab import MARKER as SETUP_MARKER

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"
QUESTIONS = CHAPTERS / "questions"
QUIZZES = CHAPTERS / "quiz"
APPENDICES = ("appendix_cheatsheet", "appendix_questions", "appendix_quiz", "appendix_bughunt",
              "appendix_errata", "appendix_glossary")

LABEL = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$", re.M)
REF = re.compile(r"\{ref\}`(?:[^`<]*<)?([A-Za-z0-9_.:-]+)>?`")
INTERVIEW_CALL = re.compile(r"""interview\(\s*["']([^"']+)["']""")


def _toc_chapters() -> list[str]:
    """Stems of the numbered chapter notebooks listed in _toc.yml, in toc order."""
    return [Path(d).name for d in qbank.toc_docnames(ROOT)
            if re.match(r"chapters/\d\d_", d) and (ROOT / f"{d}.ipynb").is_file()]


@cache
def _cells(path: Path) -> tuple[tuple[str, str], ...]:
    """(cell_type, source) of a notebook, or one markdown 'cell' for a .md page."""
    if path.suffix == ".md":
        return (("markdown", path.read_text(encoding="utf-8")),)
    nb = json.loads(path.read_text(encoding="utf-8"))
    return tuple((c["cell_type"], "".join(c["source"])) for c in nb["cells"])


def _markdown(path: Path) -> str:
    return "\n".join(src for kind, src in _cells(path) if kind == "markdown")


def _code(path: Path) -> str:
    return "\n".join(src for kind, src in _cells(path) if kind == "code")


def _labels(path: Path) -> set[str]:
    return set(LABEL.findall(_markdown(path)))


def _page(stem: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (CHAPTERS / f"{stem}{suffix}").is_file():
            return CHAPTERS / f"{stem}{suffix}"
    raise FileNotFoundError(stem)


def _all_labels() -> set[str]:
    labels: set[str] = set()
    for path in [*CHAPTERS.glob("*.ipynb"), *CHAPTERS.glob("*.md")]:
        labels |= _labels(path)
    return labels


def _question_files() -> list[Path]:
    return sorted(QUESTIONS.glob("*.yml"))


def _all_questions() -> list[qbank.Question]:
    return [q for path in _question_files() for q in qbank.load_questions(path.stem, QUESTIONS)]


# --- the chapters' interview corners and the questions files -----------------------------------


@pytest.mark.parametrize("stem", _toc_chapters())
def test_interview_corner_shows_its_own_questions(stem):
    path = CHAPTERS / f"{stem}.ipynb"
    if "## Interview corner" not in _markdown(path):
        pytest.skip(f"{stem} has no interview corner")
    calls = INTERVIEW_CALL.findall(_code(path))
    assert calls == [stem], f"{stem}: the interview corner calls interview({calls}), " \
                            f"expected exactly interview({stem!r})"
    assert (QUESTIONS / f"{stem}.yml").is_file(), f"{stem}: no chapters/questions/{stem}.yml"


def test_every_questions_file_belongs_to_a_toc_chapter():
    toc = set(_toc_chapters())
    orphans = [p.name for p in _question_files() if p.stem not in toc]
    assert not orphans, f"questions files without a chapter in _toc.yml: {orphans}"


@pytest.mark.parametrize("path", _question_files(), ids=lambda p: p.stem)
def test_question_sections_are_labels_of_their_chapter(path):
    notebook = CHAPTERS / f"{path.stem}.ipynb"
    assert notebook.is_file(), f"{path.name}: no chapter notebook {notebook.name}"
    labels = _labels(notebook)
    missing = {q.id: q.section for q in qbank.load_questions(path.stem, QUESTIONS)
               if q.section not in labels}
    assert not missing, f"{path.name}: sections that {notebook.name} does not define: {missing}"


def test_question_ids_are_unique_book_wide():
    seen: dict[str, str] = {}
    doubled = []
    for q in _all_questions():
        if q.id in seen:
            doubled.append(f"{q.id} ({seen[q.id]} and {q.chapter})")
        seen[q.id] = q.chapter
    assert not doubled, f"question ids used twice: {doubled}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_answers_are_not_written_into_the_pages():
    # single source: a question and its answer live in the YAML file only; a page that holds the
    # opening of an answer (the distinctive part: a question may double as a section heading)
    # has a second copy of it
    pages = [*CHAPTERS.glob("*.ipynb"), *CHAPTERS.glob("*.md")]
    texts = {p.name: _squash(_markdown(p) + _code(p)) for p in pages}
    copies = [f"{q.id} in {name}" for q in _all_questions() for name, text in texts.items()
              if len(_squash(q.answer)) >= 80 and _squash(q.answer)[:80] in text]
    assert not copies, f"answers copied into a page instead of rendered from YAML: {copies}"


# --- the question bank -------------------------------------------------------------------------


def test_bank_chapters_are_the_toc_chapters_with_questions_in_toc_order():
    expected = [s for s in _toc_chapters() if (QUESTIONS / f"{s}.yml").is_file()]
    assert qbank.bank_chapters(ROOT, QUESTIONS) == expected


def test_bank_page_renders_the_whole_book():
    code = _code(_page("appendix_questions"))
    # no chapter list of its own: the page takes every toc chapter, so new chapters appear
    assert re.search(r"^question_bank_page\(\)\s*$", code, re.M), (
        "appendix_questions must call question_bank_page() without arguments")
    assert re.search(r"^question_counts\(\)\s*$", code, re.M)
    chapters = qbank.bank_chapters(ROOT, QUESTIONS)
    text = str(qbank.question_bank_page(chapters, QUESTIONS))
    questions = [q for c in chapters for q in qbank.load_questions(c, QUESTIONS)]
    assert text.count(":::::{div} optlib-q ") == len(questions)
    assert text.count("::::{dropdown} Answer") == len(questions)
    for q in questions:
        assert q.question in text and f"{{ref}}`{q.section}`" in text, q.id
    headings = [text.index(f"### {qbank.chapter_title(c, QUESTIONS)}\n") for c in chapters]
    assert headings == sorted(headings), "the bank's chapters are not in toc order"


# --- the quizzes -------------------------------------------------------------------------------


def _quiz_names() -> list[str]:
    return qz.quiz_names(QUIZZES)


def test_there_is_a_quiz_for_each_part():
    assert len(_quiz_names()) >= 2


@pytest.mark.parametrize("name", _quiz_names())
def test_quiz_is_valid(name):
    quiz = qz.load_quiz(name, QUIZZES)   # raises on a malformed question
    assert len(quiz.questions) >= 4, f"{name}: a handful of questions, please"
    for q in quiz.questions:
        assert sum(o.correct for o in q.options) == 1, q.id
        assert all(o.explain.strip() for o in q.options), q.id
        assert len({o.text for o in q.options}) == len(q.options), f"{q.id}: repeated option"
        # plain Unicode: MathJax does not typeset the quiz
        for text in [q.question, *(o.text for o in q.options), *(o.explain for o in q.options)]:
            assert "$" not in text and "\\" not in text, f"{q.id}: TeX in quiz text: {text!r}"


@pytest.mark.parametrize("name", _quiz_names())
def test_quiz_sections_are_labels_of_its_chapters(name):
    quiz = qz.load_quiz(name, QUIZZES)
    labels: set[str] = set()
    for chapter in quiz.chapters:
        path = CHAPTERS / f"{chapter}.ipynb"
        assert path.is_file(), f"{name}: unknown chapter {chapter}"
        labels |= _labels(path)
    missing = {q.id: q.section for q in quiz.questions if q.section not in labels}
    assert not missing, f"{name}: sections not defined in {quiz.chapters}: {missing}"


def test_quiz_ids_are_unique_across_quizzes():
    ids = [q.id for n in _quiz_names() for q in qz.load_quiz(n, QUIZZES).questions]
    assert len(ids) == len(set(ids))


def test_quiz_page_shows_every_quiz_in_order():
    code = _code(_page("appendix_quiz"))
    shown = re.findall(r"""^quiz\(\s*["']([^"']+)["']\s*\)\s*$""", code, re.M)
    reviewed = re.findall(r"""^quiz_review\(\s*["']([^"']+)["']\s*\)\s*$""", code, re.M)
    assert shown == _quiz_names(), f"quiz page shows {shown}, quiz files are {_quiz_names()}"
    assert reviewed == shown


# --- the cheat sheet, the bug hunt, the errata, the glossary -----------------------------------


def test_cheat_sheet_has_a_row_for_every_optimizer(monkeypatch):
    monkeypatch.chdir(CHAPTERS)   # where the book runs the notebook
    # the first code cell after the hidden set-up cell (optbook.colab) makes the table
    first = next(src for kind, src in _cells(_page("appendix_cheatsheet"))
                 if kind == "code" and not src.startswith(SETUP_MARKER))
    namespace: dict = {}
    exec(compile(first, "appendix_cheatsheet", "exec"), namespace)  # noqa: S102 - our own page
    classes = [type(row["opt"]) for row in namespace["ROWS"]]
    assert sorted(c.__name__ for c in classes) == sorted(c.__name__ for c in optlib.ALL)
    # the State column is computed from each optimizer's own state, not typed
    for row in namespace["ROWS"]:
        state = row["opt"].init(optlib.optimizers.base.as_point([0.0, 0.0, 0.0]))
        arrays = [v for v in state if hasattr(v, "shape") and v.shape == (3,)]
        assert namespace["memory"][row["name"]] == len(arrays), row["name"]
    # two tables, the notes' methods and the ones after Adam, together every row once
    notes = {cls.__name__ for cls in optlib.NOTES}
    for name, table in (("notes_table", notes), ("after_adam_table", None)):
        shown = [row["name"] for row in namespace["ROWS"]
                 if (row["optimizer"] in notes) == (table is notes)]
        assert all(f"**{n}**" in namespace[name] or f"`{n} <" in namespace[name]
                   for n in shown), (name, shown)
    assert f"| {namespace['memory']['Adam']}: " in namespace["notes_table"]


def test_cheat_sheet_cells_hold_no_pipe():
    # a "|" (say |g| in math) would end a Markdown table cell and shift the row's columns:
    # write \lvert g\rvert
    data = yaml.safe_load((CHAPTERS / "cheatsheet.yml").read_text(encoding="utf-8"))
    for section in ("rows", "rates", "practice"):
        for row in data.get(section) or []:
            for key, value in row.items():
                assert "|" not in str(value), f"cheatsheet.yml {section} {row.get('name', row)}: "\
                                              f"'|' in {key}"


def test_bug_hunt_exercises_have_code_a_test_and_a_hidden_fix():
    text = _markdown(_page("appendix_bughunt"))
    sections = re.split(r"^\((bug-[a-z0-9-]+)\)=\s*$", text, flags=re.M)[1:]
    exercises = dict(zip(sections[::2], sections[1::2], strict=True))
    assert len(exercises) >= 9
    for label, body in exercises.items():
        assert "```python" in body, f"{label}: no faulty code"
        assert "**A test that exposes it.**" in body and "{glue:text}" in body, (
            f"{label}: no test with computed numbers")
        assert ":class: dropdown" in body, f"{label}: the fix is not hidden"


def test_bug_hunt_runs_no_faulty_optimizer():
    # faulty code lives in markdown only: no code cell defines an update function or a class
    code = _code(_page("appendix_bughunt"))
    assert not re.search(r"^class ", code, re.M)
    defined = re.findall(r"^def (\w+)", code, re.M)
    assert defined == ["adam_step"], f"unexpected functions in code cells: {defined}"


def _erratum_sections(path: Path) -> list[str]:
    """The label of the section holding each 'Erratum'/'Errata' box of a chapter."""
    found, label = [], None
    for kind, src in _cells(path):
        if kind != "markdown":
            continue
        # labels and boxes in the order they occur within the cell
        for match in re.finditer(r"^\(([A-Za-z0-9_.:-]+)\)=\s*$|\{admonition\} Errat", src, re.M):
            if match.group(1):
                label = match.group(1)
            else:
                found.append(label)
    return found


@pytest.mark.parametrize("stem", _toc_chapters())
def test_errata_page_links_every_erratum_box(stem):
    boxes = _erratum_sections(CHAPTERS / f"{stem}.ipynb")
    if not boxes:
        pytest.skip(f"{stem} has no erratum box")
    linked = set(REF.findall(_markdown(_page("appendix_errata"))))
    missing = sorted({b for b in boxes if b not in linked})
    assert not missing, f"appendix_errata does not link the erratum sections {missing} of {stem}"


@pytest.mark.parametrize("typo", ["反向", "方向", "损伤函数", "损失函数", "no_gard", "gard",
                                  '"eta"', '"rac"', "个参数", "各参数", "Delta\\theta",
                                  "hyperparams['t'] + 1"])
def test_errata_page_names_the_known_typos(typo):
    assert typo in _markdown(_page("appendix_errata"))


@pytest.mark.parametrize("stem", APPENDICES)
def test_appendix_refs_resolve(stem):
    labels = _all_labels()
    refs = set(REF.findall(_markdown(_page(stem))))
    missing = sorted(refs - labels)
    assert not missing, f"{stem}: {{ref}} targets that no page defines: {missing}"


def test_appendix_labels_are_unique_in_the_book():
    counts: dict[str, int] = {}
    for path in [*CHAPTERS.glob("*.ipynb"), *CHAPTERS.glob("*.md")]:
        for label in LABEL.findall(_markdown(path)):
            counts[label] = counts.get(label, 0) + 1
    doubled = [label for stem in APPENDICES for label in _labels(_page(stem)) if counts[label] > 1]
    assert not doubled, f"labels defined twice: {doubled}"


def test_glossary_is_bilingual_and_linked():
    text = _markdown(_page("appendix_glossary"))
    body = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    entries = [e for e in re.split(r"\n\s*\n", body) if e.strip() and not e.strip().startswith(":")]
    assert len(entries) >= 40, f"only {len(entries)} glossary entries"
    cjk = re.compile(r"[\u4e00-\u9fff]")
    english_only = {"AdaDelta", "AdaGrad", "AdamW"}   # names without a Chinese form
    for entry in entries:
        terms = [line for line in entry.splitlines() if line and not line.startswith(" ")]
        definition = "\n".join(line for line in entry.splitlines() if line.startswith(" "))
        assert terms and definition, f"malformed entry: {entry[:60]!r}"
        if terms[0] not in english_only:
            assert any(cjk.search(t) for t in terms[1:]), f"{terms[0]}: no Chinese term"
        assert "{ref}`" in definition or "{doc}`" in definition, f"{terms[0]}: no link"
    for term in ["梯度", "学习率", "鞍点", "峡谷", "动量", "指数加权移动平均", "偏差修正"]:
        assert f"\n{term}\n" in body, f"glossary lacks {term}"


def test_quiz_and_question_yaml_parse_as_plain_yaml():
    # the files are data, read by optbook.questions; a YAML error would fail the build much later
    for path in [*_question_files(), *sorted(QUIZZES.glob("*.yml"))]:
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path.name


def test_right_answers_are_not_always_in_the_same_place():
    positions = [[o.correct for o in qz.shuffled_options(q)].index(True)
                 for n in _quiz_names() for q in qz.load_quiz(n, QUIZZES).questions]
    counts = [positions.count(k) for k in range(4)]
    assert max(counts) <= 0.5 * len(positions), f"right answers by position A-D: {counts}"
