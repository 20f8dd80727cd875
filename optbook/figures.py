"""The book's one figure style: set once at the top of every chapter.

:func:`use_book_style` gives matplotlib the book's settings and hands the method colours of
:mod:`optbook.registry` to :mod:`optlib.plotting`, so that every chapter draws SGD, Momentum,
Adam, … in the same colours without recolouring lines after plotting.
"""

from __future__ import annotations

from .registry import COLORS


def use_book_style() -> None:
    """Apply the book's figure style (method colours) for the rest of the session."""
    from optlib import plotting

    plotting.set_method_styles({name: {"color": color} for name, color in COLORS.items()})
