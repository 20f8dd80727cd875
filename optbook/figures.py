"""The book's one matplotlib style: figures sized for the page, text legible as displayed.

The book's content column is :data:`COLUMN_PX` = 688 CSS pixels wide at 1280 px (and narrower
on a phone, where every image is scaled to the screen). A figure made :data:`COLUMN_INCHES`
wide at :data:`DPI` = 100 is shown at its natural size there, so a font of ``s`` points
measures ``s / 72 · 100`` CSS pixels: the smallest text of the style,
:data:`SMALLEST_FONT_PT` = 8.5 pt, is 11.8 px (≥ :data:`MIN_TEXT_PX`). The PNG itself is made
at twice that resolution ("retina": 200 dpi, with its display size recorded next to it), so
text stays sharp on high-density screens.

A figure made wider than the column (``figsize=(10, 4)``) is scaled down by the browser and
its text shrinks with it (to 8 px for 10 inches): use :data:`FIGSIZE` / :data:`FIGSIZE_TALL`
or no ``figsize`` at all.

:func:`use_book_style` also hands the method colours of :mod:`optbook.registry` to
:mod:`optlib.plotting`, so that every chapter draws SGD, Momentum, Adam, … in the same colours
without recolouring lines after plotting. ``optlib.plotting`` stays free of the book: it draws
with whatever style and method colours it is given.

Every chapter's first (hidden) cell calls :func:`use_book_style` (:mod:`optbook.colab` writes
that cell); so can a reader's own notebook.
"""

from __future__ import annotations

from typing import Any

from .registry import COLORS

#: Width of the book's content column at 1280 px, in CSS pixels.
COLUMN_PX = 688
#: Figure resolution in dots per inch; the PNG is made at twice this ("retina").
DPI = 100
#: The column's width in inches at :data:`DPI`.
COLUMN_INCHES = COLUMN_PX / DPI
#: The default figure size, the column's width (two panels side by side fit).
FIGSIZE = (COLUMN_INCHES, 3.0)
#: A taller figure for one square-ish panel or a grid of panels.
FIGSIZE_TALL = (COLUMN_INCHES, 4.6)
#: Font sizes in points; the smallest is what the browser test measures.
FONT_PT = {"base": 10.0, "title": 10.5, "label": 9.5, "tick": 8.5, "legend": 8.5}
#: The smallest of them, the tick and legend size.
SMALLEST_FONT_PT = min(FONT_PT.values())
#: The smallest text height, in CSS pixels as displayed at 1280 px, that the book accepts.
MIN_TEXT_PX = 11.0


def book_rc() -> dict[str, Any]:
    """The ``matplotlib.rcParams`` of the book's style (a plain dict, nothing applied)."""
    return {
        "figure.figsize": FIGSIZE,
        "figure.dpi": DPI,
        "savefig.dpi": "figure",
        # the inline backend crops to the drawing plus this margin on each side: keep it thin,
        # so that a figure made 6.88 in wide is not shown scaled down
        "savefig.pad_inches": 0.03,
        "font.size": FONT_PT["base"],
        "axes.titlesize": FONT_PT["title"],
        "axes.labelsize": FONT_PT["label"],
        "xtick.labelsize": FONT_PT["tick"],
        "ytick.labelsize": FONT_PT["tick"],
        "legend.fontsize": FONT_PT["legend"],
        "legend.title_fontsize": FONT_PT["legend"],
        "figure.titlesize": FONT_PT["title"],
        "legend.framealpha": 0.85,
        "lines.linewidth": 1.6,
        "lines.markersize": 4.5,
        "axes.grid": False,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def use_book_style(retina: bool = True) -> dict[str, Any]:
    """Apply the book's figure style for the rest of the session: matplotlib's settings, the
    method colours for :mod:`optlib.plotting`, and in IPython PNGs at 2× resolution.

    Args:
        retina: in IPython/Jupyter, produce figures as PNG at twice :data:`DPI` with their
            display size recorded, so they are sharp on high-density screens and shown at
            the column's width.

    Returns:
        The rcParams that were set.
    """
    import matplotlib as mpl

    from optlib import plotting

    rc = book_rc()
    mpl.rcParams.update(rc)
    plotting.set_method_styles({name: {"color": color} for name, color in COLORS.items()})
    if retina:
        try:
            from IPython import get_ipython
        except ImportError:                      # plain Python: nothing to configure
            return rc
        if get_ipython() is not None:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("retina")
    return rc
