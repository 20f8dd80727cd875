"""Helpers for the book's pages: interview questions kept in one place.

Each chapter's interview questions live in ``chapters/questions/<chapter>.yml``;
the chapter shows them with :func:`interview` and the question bank appendix
shows all of them with :func:`question_bank`, so no question exists in two
copies. A question file looks like::

    chapter: 03_momentum
    title: Momentum
    questions:
      - id: momentum-effective-step
        difficulty: easy            # easy | medium | hard
        topic: momentum
        section: momentum-ewa       # a MyST label in the chapter the answer points to
        question: |
          What is the effective learning rate of momentum in a long valley?
        answer: |
          About $\\epsilon/(1-\\alpha)$ ...

The output is MyST Markdown (a ``text/markdown`` display), which the book renders
with dropdowns; in a live notebook it shows as plain Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIFFICULTIES = ("easy", "medium", "hard")
REQUIRED = ("id", "difficulty", "topic", "section", "question", "answer")


def questions_dir(start: str | Path | None = None) -> Path:
    """Find ``chapters/questions`` from ``start`` (default: the working directory) upwards."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "questions", folder / "chapters" / "questions"):
            if candidate.is_dir():
                return candidate
    raise FileNotFoundError(f"no chapters/questions folder above {here}")


@dataclass(frozen=True)
class Question:
    """One interview question with its answer and where the book explains it."""

    id: str
    chapter: str
    difficulty: str
    topic: str
    section: str
    question: str
    answer: str


def load_questions(chapter: str, folder: str | Path | None = None) -> list[Question]:
    """Read and validate ``<folder>/<chapter>.yml``."""
    import yaml

    path = (Path(folder) if folder else questions_dir()) / f"{chapter}.yml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("chapter") != chapter:
        raise ValueError(f"{path}: 'chapter' must be {chapter!r}, got {data.get('chapter')!r}")
    out = []
    for i, item in enumerate(data.get("questions") or []):
        missing = [k for k in REQUIRED if not str(item.get(k, "")).strip()]
        if missing:
            raise ValueError(f"{path}: question {i} lacks {', '.join(missing)}")
        if item["difficulty"] not in DIFFICULTIES:
            raise ValueError(f"{path}: question {item['id']!r} has difficulty "
                             f"{item['difficulty']!r}; use one of {DIFFICULTIES}")
        out.append(Question(chapter=chapter, **{k: str(item[k]).strip() for k in REQUIRED}))
    ids = [q.id for q in out]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: question ids repeat: {sorted(ids)}")
    return out


def chapter_title(chapter: str, folder: str | Path | None = None) -> str:
    """The ``title`` field of a question file."""
    import yaml

    path = (Path(folder) if folder else questions_dir()) / f"{chapter}.yml"
    return str(yaml.safe_load(path.read_text(encoding="utf-8")).get("title", chapter))


class Markdown:
    """A ``text/markdown`` display whose text is MyST Markdown."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


def _render(q: Question, number: str, link: bool) -> str:
    where = f"\n\nExplained in {{ref}}`{q.section}`." if link else ""
    return (f"**{number}** *({q.difficulty})* {q.question}\n\n"
            f"::::{{dropdown}} Answer\n{q.answer}{where}\n::::\n")


def interview(chapter: str, folder: str | Path | None = None) -> Markdown:
    """The chapter's interview questions, each with its answer in a dropdown."""
    qs = load_questions(chapter, folder)
    prefix = chapter.split("_")[0].lstrip("0") or "0"
    return Markdown("\n".join(_render(q, f"Q{prefix}.{i}", link=False)
                              for i, q in enumerate(qs, start=1)))


def question_bank(chapters: list[str], folder: str | Path | None = None) -> Markdown:
    """Every chapter's questions, grouped by chapter and sorted by difficulty."""
    parts = []
    for chapter in chapters:
        qs = load_questions(chapter, folder)
        prefix = chapter.split("_")[0].lstrip("0") or "0"
        numbered = [(f"Q{prefix}.{i}", q) for i, q in enumerate(qs, start=1)]
        numbered.sort(key=lambda pair: DIFFICULTIES.index(pair[1].difficulty))
        parts.append(f"## {chapter_title(chapter, folder)}\n")
        parts += [_render(q, number, link=True) for number, q in numbered]
    return Markdown("\n".join(parts))


# -- the appendices: the whole book's questions, counts, and self-check quizzes ------------------


def book_root(start: str | Path | None = None) -> Path:
    """The folder holding ``_toc.yml``, searched from ``start`` (default: cwd) upwards."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_toc.yml").is_file():
            return folder
    raise FileNotFoundError(f"no _toc.yml above {here}")


def toc_docnames(root: str | Path | None = None) -> list[str]:
    """Every page of ``_toc.yml`` in reading order, as docnames (``chapters/02_sgd``).

    A plain walk over the YAML (``root``, then ``parts``/``chapters``/``sections`` and their
    ``file`` entries), so it needs no Sphinx; commented-out lines are not pages.
    """
    import yaml

    toc = yaml.safe_load((book_root(root) / "_toc.yml").read_text(encoding="utf-8")) or {}
    out: list[str] = [str(toc["root"])] if toc.get("root") else []

    def walk(entries: Any) -> None:
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            if entry.get("file"):
                out.append(str(entry["file"]))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return out


def bank_chapters(root: str | Path | None = None, folder: str | Path | None = None) -> list[str]:
    """The chapters that have interview questions: toc pages with a questions file, toc order."""
    qdir = Path(folder) if folder else questions_dir(book_root(root))
    stems = [Path(d).name for d in toc_docnames(root)]
    return [s for s in stems if (qdir / f"{s}.yml").is_file()]


def _difficulties(difficulty: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    if difficulty is None:
        return DIFFICULTIES
    wanted = (difficulty,) if isinstance(difficulty, str) else tuple(difficulty)
    unknown = [d for d in wanted if d not in DIFFICULTIES]
    if unknown:
        raise ValueError(f"unknown difficulty {unknown}; use some of {DIFFICULTIES}")
    return wanted


def question_bank_page(chapters: list[str] | None = None, folder: str | Path | None = None,
                       difficulty: str | list[str] | None = None, level: int = 3) -> Markdown:
    """The question bank appendix: like :func:`question_bank`, for the whole book.

    ``chapters`` defaults to :func:`bank_chapters` (every toc chapter with a questions file,
    in toc order), so a chapter that lands is picked up without editing the page.
    ``difficulty`` keeps only the given level(s). Every question is wrapped in a
    ``{div}`` with the classes ``optlib-q optlib-q-<difficulty>``, which the filter of
    :func:`difficulty_filter` shows and hides in the static page. ``level`` is the Markdown
    heading level of the chapter titles (3: below the page's own ``##`` section).
    """
    chapters = bank_chapters(folder=folder) if chapters is None else list(chapters)
    keep = _difficulties(difficulty)
    parts = []
    for chapter in chapters:
        qs = load_questions(chapter, folder)
        prefix = chapter.split("_")[0].lstrip("0") or "0"
        numbered = [(f"Q{prefix}.{i}", q) for i, q in enumerate(qs, start=1)
                    if q.difficulty in keep]
        numbered.sort(key=lambda pair: DIFFICULTIES.index(pair[1].difficulty))
        if not numbered:
            continue
        parts.append(f"{'#' * level} {chapter_title(chapter, folder)}\n\nFrom {{doc}}`{chapter}`: "
                     f"{len(numbered)} question{'s' if len(numbered) != 1 else ''}.\n")
        parts += [f":::::{{div}} optlib-q optlib-q-{q.difficulty}\n"
                  f"{_render(q, number, link=True)}:::::\n" for number, q in numbered]
    return Markdown("\n".join(parts))


def question_counts(chapters: list[str] | None = None,
                    folder: str | Path | None = None) -> Markdown:
    """A table: questions per chapter and difficulty, with totals (MyST Markdown)."""
    chapters = bank_chapters(folder=folder) if chapters is None else list(chapters)
    rows = ["| Chapter | " + " | ".join(DIFFICULTIES) + " | total |",
            "| --- | " + " | ".join("---:" for _ in DIFFICULTIES) + " | ---: |"]
    totals = dict.fromkeys(DIFFICULTIES, 0)
    for chapter in chapters:
        qs = load_questions(chapter, folder)
        counts = {d: sum(q.difficulty == d for q in qs) for d in DIFFICULTIES}
        for d in DIFFICULTIES:
            totals[d] += counts[d]
        rows.append(f"| {{doc}}`{chapter_title(chapter, folder)} <{chapter}>` | "
                    + " | ".join(str(counts[d]) for d in DIFFICULTIES) + f" | {len(qs)} |")
    rows.append("| **all chapters** | " + " | ".join(f"**{totals[d]}**" for d in DIFFICULTIES)
                + f" | **{sum(totals.values())}** |")
    return Markdown("\n".join(rows) + "\n")


class HTML:
    """A ``text/html``-only display (no Markdown version, so the book embeds the HTML)."""

    def __init__(self, html_text: str) -> None:
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


_FILTER_JS = """(function () {
  var box = document.getElementById("__ID__");
  if (!box) { return; }
  function apply() {
    var on = {};
    box.querySelectorAll("input[type=checkbox]").forEach(function (c) { on[c.value] = c.checked; });
    var shown = 0;
    document.querySelectorAll(".optlib-q").forEach(function (q) {
      var level = "";
      q.classList.forEach(function (c) {
        if (c.indexOf("optlib-q-") === 0) { level = c.slice(9); }
      });
      var visible = on[level] !== false;
      q.style.display = visible ? "" : "none";
      if (visible) { shown += 1; }
    });
    box.querySelector(".oqf-count").textContent =
      shown + " question" + (shown === 1 ? "" : "s") + " shown";
  }
  box.addEventListener("change", apply);
  // the questions come after the filter on the page: count them once they are parsed
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else { apply(); }
})();"""


def difficulty_filter() -> HTML:
    """Check boxes that show or hide the bank's questions by difficulty, without a kernel."""
    import uuid

    fid = f"oqf-{uuid.uuid4().hex[:10]}"
    boxes = "".join(f'<label class="oqf-level"><input type="checkbox" value="{d}" checked> {d}'
                    "</label> " for d in DIFFICULTIES)
    return HTML(f'<div id="{fid}" class="optlib-qfilter" role="group" '
                f'aria-label="Show questions by difficulty">'
                f"<strong>Show:</strong> {boxes}<span class=\"oqf-count\"></span></div>"
                f"<script>{_FILTER_JS.replace('__ID__', fid)}</script>")


# -- self-check quizzes -----------------------------------------------------------------------

QUIZ_REQUIRED = ("id", "question", "section", "options")


@dataclass(frozen=True)
class QuizOption:
    """One answer option: its text, whether it is right, and the one-line reason."""

    text: str
    correct: bool
    explain: str


@dataclass(frozen=True)
class QuizQuestion:
    """A multiple-choice question with exactly one correct option."""

    id: str
    question: str
    section: str
    options: tuple[QuizOption, ...]


@dataclass(frozen=True)
class Quiz:
    """A part's self-check quiz, read from ``chapters/quiz/<name>.yml``."""

    name: str
    title: str
    chapters: tuple[str, ...]
    questions: tuple[QuizQuestion, ...]


def quiz_dir(start: str | Path | None = None) -> Path:
    """Find ``chapters/quiz`` from ``start`` (default: the working directory) upwards."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "quiz", folder / "chapters" / "quiz"):
            if candidate.is_dir():
                return candidate
    raise FileNotFoundError(f"no chapters/quiz folder above {here}")


def quiz_names(folder: str | Path | None = None) -> list[str]:
    """The quiz files' names (without ``.yml``), sorted (name them ``1_...``, ``2_...``)."""
    qdir = Path(folder) if folder else quiz_dir()
    return sorted(p.stem for p in qdir.glob("*.yml"))


def load_quiz(name: str, folder: str | Path | None = None) -> Quiz:
    """Read and validate ``<folder>/<name>.yml``.

    A quiz file looks like::

        title: Foundations (chapters 1-4)
        chapters: [01_gradient_descent, 02_sgd]
        questions:
          - id: gd-stable-lr
            section: gd-quadratic     # a MyST label in one of the chapters above
            question: Plain text; write math in Unicode (θ, ε, √, λ).
            options:
              - text: ε < 2/λmax
                correct: true
                explain: One line on why this is right.
              - text: ε < 1/λmin
                explain: One line on why this is wrong.

    Every question needs exactly one correct option and every option an explanation.
    """
    import yaml

    path = (Path(folder) if folder else quiz_dir()) / f"{name}.yml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    title = str(data.get("title", "")).strip()
    chapters = tuple(str(c) for c in data.get("chapters") or [])
    if not title or not chapters:
        raise ValueError(f"{path}: a quiz needs a 'title' and a list of 'chapters'")
    questions, ids = [], set()
    for i, item in enumerate(data.get("questions") or []):
        missing = [k for k in QUIZ_REQUIRED if not item.get(k)]
        if missing:
            raise ValueError(f"{path}: question {i} lacks {', '.join(missing)}")
        qid = str(item["id"])
        if qid in ids:
            raise ValueError(f"{path}: question id {qid!r} repeats")
        ids.add(qid)
        options = []
        for j, opt in enumerate(item["options"]):
            text, explain = str(opt.get("text", "")).strip(), str(opt.get("explain", "")).strip()
            if not text or not explain:
                raise ValueError(f"{path}: question {qid!r}, option {j} needs 'text' and "
                                 "'explain'")
            correct = opt.get("correct", False)
            if not isinstance(correct, bool):
                raise ValueError(f"{path}: question {qid!r}, option {j}: 'correct' must be "
                                 f"true or false, got {correct!r}")
            options.append(QuizOption(text=text, correct=correct, explain=explain))
        n_correct = sum(o.correct for o in options)
        if len(options) < 2 or n_correct != 1:
            raise ValueError(f"{path}: question {qid!r} needs at least 2 options and exactly "
                             f"one correct one, has {len(options)} and {n_correct}")
        questions.append(QuizQuestion(id=qid, question=str(item["question"]).strip(),
                                      section=str(item["section"]).strip(),
                                      options=tuple(options)))
    if not questions:
        raise ValueError(f"{path}: the quiz has no questions")
    return Quiz(name=name, title=title, chapters=chapters, questions=tuple(questions))


_QUIZ_CSS = """
.optlib-quiz { margin: 1em 0; }
.optlib-quiz .oq-item { border: 1px solid var(--pst-color-border, #ccc); border-radius: 6px;
  padding: 0.6em 0.9em; margin: 0 0 0.9em 0; }
.optlib-quiz .oq-stem { margin: 0 0 0.4em 0; }
.optlib-quiz .oq-options { list-style: none; margin: 0; padding: 0; }
.optlib-quiz .oq-options li { margin: 0.25em 0; }
.optlib-quiz button.oq-option { width: 100%; text-align: left; cursor: pointer;
  font: inherit; color: inherit; background: transparent; padding: 0.35em 0.6em;
  border: 1px solid var(--pst-color-border, #bbb); border-radius: 4px; }
.optlib-quiz button.oq-option:hover { border-color: var(--pst-color-primary, #0a7d91); }
.optlib-quiz button.oq-right { border: 2px solid #2e7d32; background: rgba(46, 125, 50, 0.12); }
.optlib-quiz button.oq-wrong { border: 2px solid #c62828; background: rgba(198, 40, 40, 0.10); }
.optlib-quiz .oq-feedback { margin: 0.4em 0 0 0; min-height: 1.4em; }
.optlib-quiz .oq-feedback.oq-right { color: #2e7d32; }
.optlib-quiz .oq-feedback.oq-wrong { color: #c62828; }
.optlib-quiz .oq-score { font-weight: bold; }
"""

_QUIZ_JS = """(function () {
  var root = document.getElementById("__ID__");
  if (!root) { return; }
  var total = root.querySelectorAll(".oq-item").length;
  function score() {
    var done = root.querySelectorAll(".oq-item[data-first]");
    var right = root.querySelectorAll(".oq-item[data-first='right']").length;
    root.querySelector(".oq-score").textContent = "Answered " + done.length + " of " + total +
      "; right at the first try: " + right + ".";
  }
  root.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.oq-option") : null;
    if (!button || !root.contains(button)) { return; }
    var item = button.closest(".oq-item");
    var right = button.getAttribute("data-correct") === "1";
    item.querySelectorAll("button.oq-option").forEach(function (b) {
      b.classList.remove("oq-right", "oq-wrong"); b.setAttribute("aria-pressed", "false");
    });
    button.classList.add(right ? "oq-right" : "oq-wrong");
    button.setAttribute("aria-pressed", "true");
    var feedback = item.querySelector(".oq-feedback");
    feedback.className = "oq-feedback " + (right ? "oq-right" : "oq-wrong");
    feedback.textContent = (right ? "Right. " : "Not quite. ") +
      button.parentNode.querySelector(".oq-why").textContent;
    if (!item.hasAttribute("data-first")) {
      item.setAttribute("data-first", right ? "right" : "wrong");
    }
    score();
  });
  score();
})();"""


def shuffled_options(question: QuizQuestion) -> tuple[QuizOption, ...]:
    """The options in a fixed pseudo-random order drawn from the question's id.

    Authors may list the right option first; readers see it in a position that differs from
    question to question but is the same at every build (a seed from SHA-256 of the id, not
    Python's salted ``hash``).
    """
    import hashlib
    import random

    seed = int.from_bytes(hashlib.sha256(question.id.encode("utf-8")).digest()[:8], "big")
    order = list(question.options)
    random.Random(seed).shuffle(order)
    return tuple(order)


def quiz_html(q: Quiz, element_id: str | None = None, shuffle: bool = True) -> str:
    """The quiz as one self-contained HTML snippet: markup, a scoped style, an inline script.

    No library and nothing loaded from anywhere; the script looks only inside its own element
    and defines no globals. MathJax is told to skip the element (the text is plain Unicode).
    With ``shuffle`` the options appear in the order of :func:`shuffled_options`.
    """
    import html as _html
    import uuid

    qid = element_id or f"oq-{uuid.uuid4().hex[:10]}"
    esc = _html.escape
    items = []
    for n, question in enumerate(q.questions, start=1):
        shown = shuffled_options(question) if shuffle else question.options
        options = "".join(
            f'<li><button type="button" class="oq-option" aria-pressed="false" '
            f'data-correct="{int(o.correct)}">{chr(64 + k)}. {esc(o.text)}</button>'
            f'<span class="oq-why" hidden>{esc(o.explain)}</span></li>'
            for k, o in enumerate(shown, start=1))
        items.append(f'<div class="oq-item" data-id="{esc(question.id)}">'
                     f'<p class="oq-stem"><strong>{n}.</strong> {esc(question.question)}</p>'
                     f'<ul class="oq-options">{options}</ul>'
                     f'<p class="oq-feedback" aria-live="polite"></p></div>')
    return (f'<div id="{qid}" class="optlib-quiz tex2jax_ignore mathjax_ignore">'
            f"<style>{_QUIZ_CSS}</style>{''.join(items)}"
            f'<p class="oq-score" aria-live="polite"></p></div>'
            f"<script>{_QUIZ_JS.replace('__ID__', qid)}</script>")


def quiz(name: str, folder: str | Path | None = None, shuffle: bool = True) -> HTML:
    """A part's self-check quiz as a ``text/html`` display that works without a kernel."""
    return HTML(quiz_html(load_quiz(name, folder), shuffle=shuffle))


def _defining_chapter(label: str, chapters: tuple[str, ...], folder: Path) -> str | None:
    """The chapter among ``chapters`` whose notebook defines the MyST target ``(label)=``."""
    import json
    import re

    pattern = re.compile(rf"^\({re.escape(label)}\)=\s*$", re.M)
    for chapter in chapters:
        path = folder / f"{chapter}.ipynb"
        if not path.is_file():
            continue
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        if any(c.get("cell_type") == "markdown" and pattern.search("".join(c["source"]))
               for c in cells):
            return chapter
    return None


def quiz_review(name: str, folder: str | Path | None = None) -> Markdown:
    """Where the book explains each quiz question: a list of ``{ref}`` links (MyST).

    Section titles repeat across chapters ("The rule"), so each link names its chapter too.
    """
    qdir = Path(folder) if folder else quiz_dir()
    q = load_quiz(name, qdir)
    lines = []
    for n, question in enumerate(q.questions, start=1):
        chapter = _defining_chapter(question.section, q.chapters, qdir.parent)
        where = f", in {{doc}}`{chapter}`" if chapter else ""
        lines.append(f"{n}. {{ref}}`{question.section}`{where}")
    return Markdown("\n".join(lines) + "\n")
