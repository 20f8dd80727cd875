"""optbook: the machinery of the book *Optimizers for Deep Learning*.

The optimizers themselves live in :mod:`optlib`, which a reader can use without the book;
``optbook`` holds what only the book needs and may import ``optlib`` (never the other way):

- :mod:`optbook.glue`: :func:`glue_numbers` puts computed numbers into the prose;
- :mod:`optbook.questions` and :mod:`optbook.quiz`: interview questions and self-check quizzes
  kept in ``chapters/questions`` and ``chapters/quiz``;
- :mod:`optbook.registry`: the one table of method names, colours and problems;
- :mod:`optbook.webfig`: figures with sliders that work in the static HTML (no kernel);
- :mod:`optbook.explorer`: the live ipywidgets explorer;
- :mod:`optbook.whiteboard`: step-by-step tables to recompute by hand;
- :mod:`optbook.sphinx`: a small Sphinx extension (scripts loaded only where needed).

``import optbook`` stays light: widgets, matplotlib, yaml and Sphinx load with the module that
needs them.
"""

from .glue import glue_numbers, mean_spread

__all__ = ["glue_numbers", "mean_spread"]
