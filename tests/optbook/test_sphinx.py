"""The book's Sphinx extension: lighter pages, mended markup, smaller figures, the CJK font."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from optbook import sphinx as ext


class _Script:
    def __init__(self, filename, **attributes):
        self.filename = filename
        self.attributes = attributes


def _app(**config):
    return SimpleNamespace(config=SimpleNamespace(**config))


MANAGER = {"vendor/requirejs/require.js": {}, "vendor/html-manager/embed-amd.js": {}}


def _scripts():
    return [_Script("_static/doctools.js"), _Script("_static/vendor/requirejs/require.js"),
            _Script("_static/vendor/html-manager/embed-amd.js"),
            _Script(None, type=ext.WIDGET_STATE, body="{}")]


def test_widget_scripts_leave_a_page_without_a_widget_view():
    context = {"script_files": _scripts(), "body": "<p>an explorer's note and picture</p>"}
    ext.drop_unused_widget_scripts(_app(nb_ipywidgets_js=MANAGER), "p", "page.html", context,
                                   None)
    assert [s.filename for s in context["script_files"]] == ["_static/doctools.js"]


def test_widget_scripts_stay_where_a_widget_view_renders():
    body = f'<script type="{ext.WIDGET_VIEW}">{{"model_id": "x"}}</script>'
    context = {"script_files": _scripts(), "body": body}
    ext.drop_unused_widget_scripts(_app(nb_ipywidgets_js=MANAGER), "p", "page.html", context,
                                   None)
    assert len(context["script_files"]) == 4


def test_markup_is_mended_for_assistive_technology():
    body = ('<thead><tr><th class="head"><p></p></th><th class="head"><p>lr</p></th></tr>'
            '<details><summary aria-label="Toggle hidden content"><p>Show code cell source</p>'
            '</summary></details><div role="list" class="citation-list">'
            '<div class="citation" id="id1" role="doc-biblioentry">A</div></div>')
    context = {"body": body}
    ext.fix_markup(None, "p", "page.html", context, None)
    out = context["body"]
    assert '<td class="head"></td><th class="head"><p>lr</p></th>' in out
    assert "<summary><p>Show code cell source</p>" in out
    assert 'role="listitem"' in out and "doc-biblioentry" not in out


def test_a_figure_png_gets_a_palette_and_keeps_its_dpi(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    x = np.linspace(0, 10, 400)
    for k in range(5):
        ax.plot(x, np.sin(x + k), label=f"curve {k}")
    ax.legend()
    path = tmp_path / "fig.png"
    fig.savefig(path, dpi=200)
    plt.close(fig)
    original = np.asarray(Image.open(path).convert("RGB"), dtype=float)
    before, after = ext.shrink_png(path)
    assert after < before / 1.5
    with Image.open(path) as im:
        assert im.mode == "P" and im.info.get(ext.PALETTE_MARK)
        assert im.info["dpi"] == pytest.approx((200, 200), abs=0.01)
        shrunk = np.asarray(im.convert("RGB"), dtype=float)
    # the picture looks the same: the mean colour error is a fraction of one level
    assert np.abs(shrunk - original).mean() < 0.5
    assert (shrunk[0, 0] == 255).all()                     # white stays white
    assert ext.shrink_png(path) == (after, after)          # done once


def test_the_book_cjk_characters_are_found(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "a.md").write_text("saddle point (鞍点), 动量", encoding="utf-8")
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "b.md").write_text("忽略", encoding="utf-8")
    assert ext.book_cjk_characters(tmp_path) == "".join(sorted("鞍点动量"))


@pytest.mark.skipif(ext.find_cjk_font() is None, reason="no Noto Sans CJK on this machine")
def test_the_cjk_subset_holds_exactly_the_glyphs_asked_for(tmp_path):
    from fontTools.ttLib import TTFont

    target = tmp_path / "cjk.woff"
    size = ext.subset_cjk_font(ext.find_cjk_font(), "梯度下降", target)
    assert 0 < size < 60_000
    font = TTFont(str(target))
    assert font.flavor == "woff"
    cmap = font.getBestCmap()
    assert all(ord(c) in cmap for c in "梯度下降")
    assert ord("鞍") not in cmap


def test_templates_come_first(tmp_path):
    config = SimpleNamespace(templates_path=["_templates"])
    ext.add_templates(None, config)
    assert config.templates_path[0] == str(ext.TEMPLATES)
    assert (Path(config.templates_path[0]) / "layout.html").is_file()
