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

from .display import HTML, Markdown, asset

DIFFICULTIES = ("easy", "medium", "hard")
REQUIRED = ("id", "difficulty", "topic", "section", "question", "answer")


def chapters_folder(name: str, start: str | Path | None = None) -> Path:
    """Find ``chapters/<name>`` from ``start`` (default: the working directory) upwards.

    A notebook runs in ``chapters/``, a test or a script from the repository's root: both find
    the folder.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / name, folder / "chapters" / name):
            if candidate.is_dir():
                return candidate
    raise FileNotFoundError(f"no chapters/{name} folder above {here}")


def questions_dir(start: str | Path | None = None) -> Path:
    """Find ``chapters/questions`` from ``start`` (default: the working directory) upwards."""
    return chapters_folder("questions", start)


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
        # the count sits in a div of its own: the difficulty filter rewrites it
        parts.append(f"{'#' * level} {chapter_title(chapter, folder)}\n\n"
                     f":::{{div}} optlib-qcount\nFrom {{doc}}`{chapter}`: "
                     f"{len(numbered)} question{'s' if len(numbered) != 1 else ''}.\n:::\n")
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


    def __str__(self) -> str:
        return self.html




def difficulty_filter() -> HTML:
    """Check boxes that show or hide the bank's questions by difficulty, without a kernel."""
    import uuid

    fid = f"oqf-{uuid.uuid4().hex[:10]}"
    boxes = "".join(f'<label class="oqf-level"><input type="checkbox" value="{d}" checked> {d}'
                    "</label> " for d in DIFFICULTIES)
    return HTML(f'<div id="{fid}" class="optlib-qfilter" role="group" '
                f'aria-label="Show questions by difficulty">'
                f"<strong>Show:</strong> {boxes}<span class=\"oqf-count\"></span></div>"
                f"<script>{asset('question_filter.js').replace('__ID__', fid)}</script>")
