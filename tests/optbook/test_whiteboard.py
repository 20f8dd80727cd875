"""optbook.whiteboard: the table of the first steps."""

import numpy as np
import pytest

import optlib
from optbook.whiteboard import whiteboard

ELLIPSE = optlib.ellipse()


def test_momentum_table_by_hand():
    board = whiteboard(optlib.Momentum(lr=0.4, momentum=0.5), ELLIPSE, [-5.0, -2.0], steps=3)
    assert board.columns == ("t", "θ_t", "g at θ_{t−1}", "v_t", "θ_t − θ_{t−1}", "f(θ_t)")
    assert len(board.rows) == 4  # the start and three steps
    # row 0: the start, f(-5, -2) = 0.1·25 + 2·4 = 10.5, v0 = 0
    assert board.rows[0] == ("0", "(-5, -2)", "—", "(0, 0)", "—", "10.5")
    # row 1: g0 = (-1, -8), v1 = (0.4, 3.2) = the step, θ1 = (-4.6, 1.2),
    # f(θ1) = 0.1·21.16 + 2·1.44 = 4.996
    assert board.rows[1] == ("1", "(-4.6, 1.2)", "(-1, -8)", "(0.4, 3.2)", "(0.4, 3.2)", "4.996")
    # row 2: g1 = (-0.92, 4.8), v2 = (0.568, -0.32), θ2 = (-4.032, 0.88)
    assert board.rows[2][:4] == ("2", "(-4.032, 0.88)", "(-0.92, 4.8)", "(0.568, -0.32)")
    assert all(len(row) == len(board.columns) for row in board.rows)


def test_sgd_table_has_no_state_columns():
    board = whiteboard(optlib.SGD(lr=0.4), ELLIPSE, [-5.0, -2.0], steps=2)
    assert board.columns == ("t", "θ_t", "g at θ_{t−1}", "θ_t − θ_{t−1}", "f(θ_t)")
    assert board.rows[1] == ("1", "(-4.6, 1.2)", "(-1, -8)", "(0.4, 3.2)", "4.996")


@pytest.mark.parametrize(("opt", "fields"), [
    (optlib.Adam(lr=0.1), ("v_t", "s_t")),
    (optlib.AdaDelta(), ("r_t", "u_t")),
    (optlib.AdaGrad(lr=0.1), ("r_t",)),
])
def test_state_columns_follow_the_state(opt, fields):
    board = whiteboard(opt, ELLIPSE, [-5.0, -2.0], steps=5)
    assert board.columns[3:-2] == fields
    assert len(board.rows) == 6


def test_digits():
    board = whiteboard(optlib.Adam(lr=0.1), ELLIPSE, [-5.0, -2.0], steps=1, digits=3)
    assert board.rows[1][1] == "(-4.9, -1.9)"  # first Adam step: ε·sign(g)
    long = whiteboard(optlib.Adam(lr=0.1), ELLIPSE, [-5.0, -2.0], steps=1, digits=12)
    assert long.rows[1][1] != "(-4.9, -1.9)"  # δ = 1e-8 shows at 12 digits


def test_renderings():
    board = whiteboard(optlib.SGD(lr=0.4), ELLIPSE, [-5.0, -2.0], steps=2)
    md = board.to_markdown().splitlines()
    assert len(md) == 2 + 3  # header, rule, three rows
    assert all(line.count("|") == len(board.columns) + 1 for line in md)
    assert board._repr_markdown_().startswith(f"**{board.title}**")
    html = board._repr_html_()
    assert html.count("<tr>") == 1 + 3 and html.count("<th>") == len(board.columns)
    text = str(board).splitlines()
    assert text[0] == board.title and len(text) == 1 + 1 + 3
    assert "SGD" in board.title and "ellipse" in board.title


@pytest.mark.parametrize("steps", [0, -1])
def test_steps_must_be_positive(steps):
    with pytest.raises(ValueError, match="steps"):
        whiteboard(optlib.SGD(lr=0.1), ELLIPSE, [-5.0, -2.0], steps=steps)


def test_table_values_agree_with_run():
    board = whiteboard(optlib.RMSProp(lr=0.1), ELLIPSE, [-5.0, -2.0], steps=3, digits=6)
    traj = optlib.run(optlib.RMSProp(lr=0.1), ELLIPSE, [-5.0, -2.0], 3)
    for t in range(4):
        shown = [float(v) for v in board.rows[t][1].strip("()").split(",")]
        np.testing.assert_allclose(shown, traj.xs[t], rtol=1e-5)
