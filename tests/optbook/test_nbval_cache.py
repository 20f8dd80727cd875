"""optbook.nbval_cache: what nbval runs lands in the jupyter-cache the book build reads."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
from jupyter_cache import get_cache


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A page")]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


def _run_nbval(folder, cache_dir):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "optbook.nbval_cache",
         f"--nbval-cache-dir={cache_dir}", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-o", "addopts=", "-W", "ignore::DeprecationWarning",
         str(folder)],
        capture_output=True, text=True, cwd=folder)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nbs")
    good = _notebook("x = 6 * 7\nprint(x)", "x / 2")
    bad = _notebook("y = 1", "1 / 0")
    nbformat.write(good, folder / "good.ipynb")
    nbformat.write(bad, folder / "bad.ipynb")
    cache_dir = folder / "_cache"
    result = _run_nbval(folder, cache_dir)
    return folder, cache_dir, good, bad, result


def test_a_notebook_that_runs_is_cached_with_its_outputs(ran):
    folder, cache_dir, good, _, result = ran
    assert "1 failed" in result.stdout, result.stdout + result.stderr   # bad.ipynb's 1 / 0
    # the build reads the notebook from disk and matches it by its code: the same lookup here
    _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(
        nbformat.read(folder / "good.ipynb", as_version=4))
    code = [c for c in merged.cells if c.cell_type == "code"]
    assert code[0].outputs[0]["text"] == "42\n"
    assert code[1].outputs[0]["data"]["text/plain"] == "21.0"


def test_a_notebook_with_a_failing_cell_is_not_cached(ran):
    folder, cache_dir, _, bad, _ = ran
    cache = get_cache(str(cache_dir))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(nbformat.read(folder / "bad.ipynb", as_version=4))


def test_without_the_option_nothing_is_stored(tmp_path):
    nbformat.write(_notebook("1 + 1"), tmp_path / "one.ipynb")
    subprocess.run([sys.executable, "-m", "pytest", "-p", "optbook.nbval_cache", "--nbval-lax",
                    "--nbval-current-env", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                    str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert not any(tmp_path.rglob("global.db"))
