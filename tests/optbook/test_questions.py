"""optbook.questions: interview questions read from a (temporary) questions folder."""

import pytest
import yaml

from optbook import questions as qbank

GOOD = """\
chapter: 03_momentum
title: Momentum
questions:
  - id: q-hard
    difficulty: hard
    topic: momentum
    section: momentum-theory
    question: |
      Why is the optimal rate (√κ − 1)/(√κ + 1)?
    answer: |
      Because of Chebyshev.
  - id: q-easy
    difficulty: easy
    topic: momentum
    section: momentum-ewa
    question: What is the effective learning rate?
    answer: About ε/(1 − α).
"""

OTHER = """\
chapter: 01_gradient_descent
title: Gradient descent
questions:
  - id: gd-1
    difficulty: medium
    topic: gd
    section: gd-1d
    question: Which learning rate is too large?
    answer: Above 2/λmax.
"""


@pytest.fixture
def folder(tmp_path):
    q = tmp_path / "chapters" / "questions"
    q.mkdir(parents=True)
    (q / "03_momentum.yml").write_text(GOOD, encoding="utf-8")
    (q / "01_gradient_descent.yml").write_text(OTHER, encoding="utf-8")
    return q


def test_load_questions(folder):
    qs = qbank.load_questions("03_momentum", folder)
    assert [q.id for q in qs] == ["q-hard", "q-easy"]
    assert qs[1] == qbank.Question(id="q-easy", chapter="03_momentum", difficulty="easy",
                                  topic="momentum", section="momentum-ewa",
                                  question="What is the effective learning rate?",
                                  answer="About ε/(1 − α).")
    assert qs[0].question == "Why is the optimal rate (√κ − 1)/(√κ + 1)?"  # stripped
    assert qbank.chapter_title("03_momentum", folder) == "Momentum"


def test_questions_dir_is_found_from_below(folder, monkeypatch):
    deep = folder.parent.parent / "a" / "b"
    deep.mkdir(parents=True)
    assert qbank.questions_dir(deep) == folder.resolve()
    monkeypatch.chdir(deep)
    assert [q.id for q in qbank.load_questions("01_gradient_descent")] == ["gd-1"]


def test_questions_dir_missing(tmp_path):
    lonely = tmp_path / "nothing" / "here"
    lonely.mkdir(parents=True)
    if any((p / "questions").is_dir() or (p / "chapters" / "questions").is_dir()
           for p in (lonely, *lonely.parents)):
        pytest.skip("a questions folder exists above the temporary directory")
    with pytest.raises(FileNotFoundError, match="questions"):
        qbank.questions_dir(lonely)


def test_interview_numbers_the_questions_and_hides_answers(folder):
    md = qbank.interview("03_momentum", folder)
    text = md._repr_markdown_()
    assert str(md) == text
    assert text.index("**Q3.1**") < text.index("**Q3.2**")
    assert "*(hard)* Why is the optimal rate" in text
    assert text.count("::::{dropdown} Answer") == 2
    assert text.count("\n::::\n") == 2
    assert "Because of Chebyshev." in text
    assert "{ref}" not in text  # no links inside the chapter itself


def test_question_bank_groups_by_chapter_and_sorts_by_difficulty(folder):
    text = str(qbank.question_bank(["01_gradient_descent", "03_momentum"], folder))
    assert text.index("## Gradient descent") < text.index("## Momentum")
    # within the momentum chapter the easy question (Q3.2) comes before the hard one (Q3.1)
    assert text.index("**Q3.2** *(easy)*") < text.index("**Q3.1** *(hard)*")
    assert "Explained in {ref}`momentum-ewa`." in text
    assert "**Q1.1** *(medium)*" in text


def _write(folder, text, name="03_momentum"):
    (folder / f"{name}.yml").write_text(text, encoding="utf-8")


def test_wrong_chapter_field(folder):
    _write(folder, GOOD.replace("chapter: 03_momentum", "chapter: 04_nesterov"))
    with pytest.raises(ValueError, match="'chapter' must be '03_momentum'"):
        qbank.load_questions("03_momentum", folder)


@pytest.mark.parametrize("field", qbank.REQUIRED)
def test_missing_field(folder, field):
    data = yaml.safe_load(GOOD)
    del data["questions"][1][field]
    _write(folder, yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ValueError, match=f"question 1 lacks {field}"):
        qbank.load_questions("03_momentum", folder)


def test_blank_field(folder):
    _write(folder, GOOD.replace("topic: momentum\n    section: momentum-ewa",
                                "topic: '  '\n    section: momentum-ewa"))
    with pytest.raises(ValueError, match="question 1 lacks topic"):
        qbank.load_questions("03_momentum", folder)


def test_unknown_difficulty(folder):
    _write(folder, GOOD.replace("difficulty: hard", "difficulty: brutal"))
    with pytest.raises(ValueError, match="'q-hard' has difficulty 'brutal'"):
        qbank.load_questions("03_momentum", folder)


def test_repeated_ids(folder):
    _write(folder, GOOD.replace("id: q-easy", "id: q-hard"))
    with pytest.raises(ValueError, match="repeat"):
        qbank.load_questions("03_momentum", folder)


def test_missing_file(folder):
    with pytest.raises(FileNotFoundError):
        qbank.load_questions("99_nothing", folder)


def test_empty_question_list(folder):
    _write(folder, "chapter: 03_momentum\ntitle: Momentum\nquestions: []\n")
    assert qbank.load_questions("03_momentum", folder) == []
    assert str(qbank.interview("03_momentum", folder)) == ""
