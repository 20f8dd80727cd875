"""Self-check quizzes: multiple-choice questions read from ``chapters/quiz/<name>.yml``.

:func:`quiz` renders one as self-contained HTML that answers without a kernel (the script and
style are ``optbook/static/quiz.js`` and ``quiz.css``); :func:`quiz_review` lists where the book
explains each question.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .display import HTML, Markdown, asset
from .questions import chapters_folder

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
    return chapters_folder("quiz", start)


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
            f"<style>{asset('quiz.css')}</style>{''.join(items)}"
            f'<p class="oq-score" aria-live="polite"></p></div>'
            f"<script>{asset('quiz.js').replace('__ID__', qid)}</script>")


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
