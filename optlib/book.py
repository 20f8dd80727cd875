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
