"""The set-up cell every chapter notebook starts with (optbook.colab)."""

from __future__ import annotations

import nbformat
import pytest

from optbook.colab import ensure_setup_cell, is_setup_cell, repository, setup_source

URL = "https://github.com/someone/some-book"


def _notebook(tmp_path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_the_cell_clones_the_configured_repository_only_on_colab():
    source = setup_source(URL, "dev")
    assert f'"{URL}"' in source and '"--branch", "dev"' in source
    assert '"google.colab" in sys.modules' in source
    assert 'find_spec("optbook") is None' in source
    assert source.rstrip().endswith("use_book_style()")
    compile(source, "<setup cell>", "exec")


def test_running_the_cell_outside_colab_only_applies_the_style():
    import matplotlib as mpl

    from optbook.figures import FIGSIZE, FONT_PT
    from optbook.registry import COLORS
    from optlib import plotting

    saved = {k: dict(v) for k, v in plotting.METHOD_STYLES.items()}
    try:
        with mpl.rc_context():
            exec(compile(setup_source(URL), "<setup cell>", "exec"), {})
            assert tuple(mpl.rcParams["figure.figsize"]) == pytest.approx(FIGSIZE)
            assert mpl.rcParams["xtick.labelsize"] == FONT_PT["tick"]
            assert plotting.METHOD_STYLES["Adam"]["color"] == COLORS["Adam"]
    finally:
        plotting.set_method_styles(saved)


def test_bad_repository_settings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="https"):
        setup_source("git@github.com:a/b.git")
    with pytest.raises(ValueError, match="plain"):
        setup_source('https://x/"; import os', "main")
    (tmp_path / "_config.yml").write_text("repository:\n  url: ftp://x\n")
    with pytest.raises(ValueError, match="repository.url"):
        repository(tmp_path)
    (tmp_path / "_config.yml").write_text(f"repository:\n  url: {URL}/\n")
    assert repository(tmp_path) == (URL, "main")


def test_the_cell_is_inserted_once_and_updated_in_place(tmp_path):
    path = _notebook(tmp_path, [nbformat.v4.new_markdown_cell("# Title"),
                                nbformat.v4.new_code_cell("x = 1")])
    assert ensure_setup_cell(path, setup_source(URL)) is True
    assert ensure_setup_cell(path, setup_source(URL)) is False      # already there
    nb = nbformat.read(path, as_version=4)
    assert is_setup_cell(nb.cells[0]) and nb.cells[0].metadata["tags"] == ["remove-cell"]
    assert [c.source for c in nb.cells[1:]] == ["# Title", "x = 1"]
    # a new URL replaces the cell; it is never duplicated
    assert ensure_setup_cell(path, setup_source(URL + "-2")) is True
    nb = nbformat.read(path, as_version=4)
    assert sum(is_setup_cell(c) for c in nb.cells) == 1
    assert URL + "-2" in nb.cells[0].source
    nbformat.validate(nb)


def test_an_older_hand_written_setup_cell_is_replaced(tmp_path):
    old = nbformat.v4.new_code_cell(
        "# Set-up for the book's pages (hidden in the book): the book's figure style.\n"
        "import optbook.figures\n\noptbook.figures.use_book_style()",
        metadata={"tags": ["remove-cell"]})
    path = _notebook(tmp_path, [old, nbformat.v4.new_markdown_cell("# Title")])
    assert ensure_setup_cell(path, setup_source(URL)) is True
    nb = nbformat.read(path, as_version=4)
    assert len(nb.cells) == 2 and nb.cells[0].source == setup_source(URL)
