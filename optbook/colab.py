"""The first cell of every chapter notebook: set-up on Colab, and the book's figure style.

A notebook opened on Colab (the rocket menu's *Colab* button) has neither ``optlib`` nor
``optbook``, nor the book's data files (questions, fixtures). The first cell of each notebook,
tagged ``remove-cell`` so the book does not show it, does what Dive into Deep Learning's first
cell does: on Colab, when ``optbook`` is missing, it clones the book's repository, installs it
and works from its ``chapters/`` folder; everywhere it then applies the book's matplotlib
style (:func:`optbook.figures.use_book_style`).

The repository is read from ``_config.yml`` (``repository: url`` and ``branch``), the one
setting a publisher changes (see the README). After changing it, run::

    .venv/bin/python -m optbook.colab            # inserts or updates the cell everywhere

``tests/book/test_repository.py`` checks that every notebook starts with the current cell.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

#: Marks the set-up cell, so that it is found and updated, never duplicated.
MARKER = "# optbook set-up cell"
TAGS = ["remove-cell"]


def repository(root: str | Path) -> tuple[str, str]:
    """``(url, branch)`` of the book's repository, from ``_config.yml`` in ``root``."""
    import yaml

    config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    url, branch = repo.get("url"), repo.get("branch") or "main"
    if not url or not str(url).startswith("https://"):
        raise ValueError(f"_config.yml: repository.url must be an https URL, not {url!r}")
    return str(url).rstrip("/"), str(branch)


def setup_source(url: str, branch: str = "main") -> str:
    """The code of the set-up cell for the repository ``url`` at ``branch``."""
    if not url.startswith("https://") or any(c in url + branch for c in "\"'\\ \n"):
        raise ValueError(f"not a plain https repository URL and branch: {url!r}, {branch!r}")
    return f'''{MARKER} (hidden in the book; `python -m optbook.colab` writes it)
# On Colab: fetch the book (its packages and data files) when it is not installed.
import importlib.util
import os
import subprocess
import sys

if "google.colab" in sys.modules and importlib.util.find_spec("optbook") is None:
    BOOK = "/content/optimizers-book"
    if not os.path.isdir(BOOK):
        subprocess.run(["git", "clone", "--depth", "1", "--branch", "{branch}",
                        "{url}", BOOK], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", BOOK], check=True)
    sys.path.insert(0, BOOK)
    os.chdir(os.path.join(BOOK, "chapters"))

from optbook.figures import use_book_style

use_book_style()'''


#: Set-up cells written by hand before this module (replaced by the generated one).
OLD_MARKERS = ("# Set-up for the book's pages",)


def is_setup_cell(cell: dict) -> bool:
    """Whether ``cell`` is a set-up cell (this module's, or an older hand-written one)."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return cell.get("cell_type") == "code" and source.startswith((MARKER, *OLD_MARKERS))


def ensure_setup_cell(path: str | Path, source: str) -> bool:
    """Make the set-up cell with ``source`` the first cell of the notebook; True if changed."""
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    old = [c for c in nb.cells if is_setup_cell(c)]
    first = nb.cells[0] if nb.cells else None
    if (len(old) == 1 and first is old[0] and first.source == source
            and first.metadata.get("tags") == TAGS):
        return False
    nb.cells = [c for c in nb.cells if not is_setup_cell(c)]
    cell = nbformat.v4.new_code_cell(source=source, metadata={"tags": list(TAGS)})
    cell.pop("id", None)
    if nb.nbformat_minor >= 5:
        cell["id"] = "optbook-setup"
    nb.cells.insert(0, cell)
    nbformat.write(nb, path)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: chapters/*.ipynb")
    parser.add_argument("--root", default=".", help="the book's folder (holding _config.yml)")
    args = parser.parse_args(argv)
    root = Path(args.root)
    source = setup_source(*repository(root))
    paths = [Path(p) for p in args.notebooks] or sorted((root / "chapters").glob("*.ipynb"))
    for path in paths:
        print(("updated " if ensure_setup_cell(path, source) else "up to date ") + str(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
