"""A pytest plugin: the notebooks that nbval runs go into the book's execution cache.

``make test`` runs every chapter twice over if nothing connects its two steps: nbval executes
each notebook to check that it runs, then ``jupyter-book build`` executes it again to get the
outputs it shows. With this plugin, nbval keeps the outputs of each cell it runs; when every
code cell of a notebook has passed, the executed notebook is stored in the jupyter-cache that
the book build reads (``execute_notebooks: cache``), under the same hash the build computes
(code cells' sources and metadata, and the kernelspec). The build then finds every notebook
executed and runs none. A notebook with a failing cell is not stored, so the build executes it
(and reports the error) as before.

Enable it with ``-p optbook.nbval_cache --nbval-cache-dir=_build/.jupyter_cache``. Several
pytest-xdist workers may store notebooks at once: writes to the cache's database are serialised
with a lock file.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--nbval-cache-dir", default=None,
        help="store every notebook that nbval runs without an error in this jupyter-cache")


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".nbval-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def store_executed(notebook: Any, source: Path, cache_dir: Path) -> None:
    """Put an executed notebook into the jupyter-cache at ``cache_dir``, keyed like myst-nb."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    with _locked(cache_dir):
        cache = get_cache(str(cache_dir))
        cache.cache_notebook_bundle(CacheBundleIn(notebook, str(source.resolve())),
                                    check_validity=False, overwrite=True)


class _Recorder:
    """Keeps, per notebook, the outputs of its code cells and whether all of them passed."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.failed: set[str] = set()
        self.passed: dict[str, int] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        outcome = yield
        report = outcome.get_result()
        if not hasattr(item, "cell") or not hasattr(item.parent, "nb"):
            return
        key = str(item.parent.path)
        if report.failed or report.skipped:
            self.failed.add(key)
        elif call.when == "call":
            # the cell object belongs to the notebook nbval read: give it what the kernel sent
            item.cell.outputs = list(getattr(item, "test_outputs", None) or [])
            self.passed[key] = self.passed.get(key, 0) + 1

    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None) -> None:
        if not hasattr(item, "cell") or not hasattr(item.parent, "nb"):
            return
        if nextitem is not None and nextitem.parent is item.parent:
            return
        key = str(item.parent.path)
        notebook = item.parent.nb
        code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
        if key not in self.failed and self.passed.get(key, 0) == code_cells:
            store_executed(notebook, Path(key), self.cache_dir)


def pytest_configure(config: pytest.Config) -> None:
    folder = config.getoption("--nbval-cache-dir")
    if folder:
        config.pluginmanager.register(_Recorder(Path(folder)), "optbook-nbval-cache-recorder")
