"""optbook.questions's helpers for the appendices: toc walk, question bank page, counts, quizzes."""

import re

import pytest
import yaml

from optbook import questions as qbank
from optbook import quiz as qz

TOC = """\
format: jb-book
root: chapters/intro
parts:
  - caption: One
    chapters:
      - file: chapters/03_momentum
  #   - file: chapters/02_sgd
  - caption: Two
    chapters:
      - file: chapters/01_gradient_descent
        sections:
          - file: chapters/01_extra
      - file: chapters/appendix_notes
"""

QUESTIONS = {
    "03_momentum": """\
chapter: 03_momentum
title: Momentum
questions:
  - {id: m-hard, difficulty: hard, topic: m, section: mom-theory, question: "Why <b>?", answer: A1.}
  - {id: m-easy, difficulty: easy, topic: m, section: mom-rule, question: "What?", answer: A2.}
""",
    "01_gradient_descent": """\
chapter: 01_gradient_descent
title: Gradient descent
questions:
  - {id: g-1, difficulty: medium, topic: g, section: gd-1d, question: "Which lr?", answer: A3.}
""",
    # a questions file whose chapter is not in the toc: the bank must leave it out
    "02_sgd": """\
chapter: 02_sgd
title: SGD
questions:
  - {id: s-1, difficulty: easy, topic: s, section: sgd-rule, question: "Noise?", answer: A4.}
""",
}

QUIZ = {
    "title": "Part one",
    "chapters": ["01_gradient_descent"],
    "questions": [
        {"id": "q1", "section": "gd-1d", "question": "Is 2 < 3?",
         "options": [{"text": "yes", "correct": True, "explain": "It is."},
                     {"text": "no & <never>", "explain": "It is not <so>."}]},
        {"id": "q2", "section": "gd-1d", "question": "Pick B.",
         "options": [{"text": "A", "explain": "Not A."},
                     {"text": "B", "correct": True, "explain": "B."},
                     {"text": "C", "explain": "Not C."}]},
    ],
}


@pytest.fixture
def book_dir(tmp_path):
    (tmp_path / "_toc.yml").write_text(TOC, encoding="utf-8")
    q = tmp_path / "chapters" / "questions"
    q.mkdir(parents=True)
    for name, text in QUESTIONS.items():
        (q / f"{name}.yml").write_text(text, encoding="utf-8")
    quiz = tmp_path / "chapters" / "quiz"
    quiz.mkdir()
    (quiz / "1_one.yml").write_text(yaml.safe_dump(QUIZ), encoding="utf-8")
    return tmp_path


def test_toc_docnames_in_reading_order(book_dir):
    assert qbank.toc_docnames(book_dir) == [
        "chapters/intro", "chapters/03_momentum", "chapters/01_gradient_descent",
        "chapters/01_extra", "chapters/appendix_notes"]
    assert qbank.book_root(book_dir / "chapters" / "questions") == book_dir.resolve()


def test_book_root_missing(tmp_path):
    lonely = tmp_path / "x"
    lonely.mkdir()
    if any((p / "_toc.yml").is_file() for p in (lonely, *lonely.parents)):
        pytest.skip("a _toc.yml exists above the temporary directory")
    with pytest.raises(FileNotFoundError, match="_toc.yml"):
        qbank.book_root(lonely)


def test_bank_chapters_follow_the_toc_and_skip_unlisted(book_dir):
    assert qbank.bank_chapters(book_dir) == ["03_momentum", "01_gradient_descent"]


def test_question_bank_page_defaults_to_the_toc(book_dir, monkeypatch):
    monkeypatch.chdir(book_dir / "chapters")
    text = str(qbank.question_bank_page())
    assert text.startswith("### Momentum\n") and "\n### Gradient descent\n" in text
    assert "SGD" not in text
    assert str(qbank.question_bank_page(level=2)).startswith("## Momentum\n")
    assert "From {doc}`03_momentum`: 2 questions." in text
    assert "From {doc}`01_gradient_descent`: 1 question." in text
    # easy before hard within a chapter, each wrapped for the difficulty filter
    assert text.index("**Q3.2** *(easy)*") < text.index("**Q3.1** *(hard)*")
    assert text.count(":::::{div} optlib-q optlib-q-") == 3
    assert ":::::{div} optlib-q optlib-q-hard\n**Q3.1**" in text
    assert "Explained in {ref}`mom-theory`." in text


def test_question_bank_page_difficulty_filter(book_dir):
    folder = book_dir / "chapters" / "questions"
    chapters = ["03_momentum", "01_gradient_descent"]
    hard = str(qbank.question_bank_page(chapters, folder, difficulty="hard"))
    assert "Q3.1" in hard and "Q3.2" not in hard
    assert "### Gradient descent" not in hard         # a chapter with nothing left is dropped
    both = str(qbank.question_bank_page(chapters, folder, difficulty=["easy", "medium"]))
    assert "Q3.2" in both and "Q1.1" in both and "Q3.1" not in both
    with pytest.raises(ValueError, match="unknown difficulty"):
        qbank.question_bank_page(chapters, folder, difficulty="brutal")


def test_question_counts_table(book_dir):
    folder = book_dir / "chapters" / "questions"
    text = str(qbank.question_counts(["03_momentum", "01_gradient_descent"], folder))
    rows = text.strip().splitlines()
    assert rows[0] == "| Chapter | easy | medium | hard | total |"
    assert rows[2] == "| {doc}`Momentum <03_momentum>` | 1 | 0 | 1 | 2 |"
    assert rows[3] == "| {doc}`Gradient descent <01_gradient_descent>` | 0 | 1 | 0 | 1 |"
    assert rows[4] == "| **all chapters** | **1** | **1** | **1** | **3** |"


def test_difficulty_filter_is_html_only():
    shown = qbank.difficulty_filter()
    assert not hasattr(shown, "_repr_markdown_")
    html = shown._repr_html_()
    assert html.count('type="checkbox"') == len(qbank.DIFFICULTIES)
    element_id = re.search(r'id="(oqf-[0-9a-f]+)"', html).group(1)
    assert f'getElementById("{element_id}")' in html
    assert "http" not in html and " src=" not in html     # nothing loaded from anywhere


def test_load_quiz(book_dir):
    folder = book_dir / "chapters" / "quiz"
    assert qz.quiz_names(folder) == ["1_one"]
    quiz = qz.load_quiz("1_one", folder)
    assert quiz.title == "Part one" and quiz.chapters == ("01_gradient_descent",)
    assert [q.id for q in quiz.questions] == ["q1", "q2"]
    assert [o.correct for o in quiz.questions[1].options] == [False, True, False]


def test_quiz_dir_found_from_below(book_dir, monkeypatch):
    monkeypatch.chdir(book_dir / "chapters" / "questions")
    assert qz.quiz_dir() == (book_dir / "chapters" / "quiz").resolve()


def _bad_quiz(book_dir, change):
    data = yaml.safe_load(yaml.safe_dump(QUIZ))
    change(data)
    folder = book_dir / "chapters" / "quiz"
    (folder / "bad.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


@pytest.mark.parametrize("change, message", [
    (lambda d: d["questions"][0]["options"][1].update(correct=True), "exactly one correct"),
    (lambda d: d["questions"][0]["options"][0].update(correct=False), "exactly one correct"),
    (lambda d: d["questions"][0]["options"][1].update(explain="  "), "needs 'text' and 'explain'"),
    (lambda d: d["questions"][0]["options"][1].pop("explain"), "needs 'text' and 'explain'"),
    (lambda d: d["questions"][0]["options"][0].update(correct="yes"), "must be true or false"),
    (lambda d: d["questions"][1].update(id="q1"), "repeats"),
    (lambda d: d["questions"][1].pop("section"), "lacks section"),
    (lambda d: d["questions"][1].update(options=d["questions"][1]["options"][1:2]),
     "at least 2 options"),
    (lambda d: d.pop("chapters"), "'title' and a list of 'chapters'"),
    (lambda d: d.update(questions=[]), "no questions"),
])
def test_load_quiz_rejects(book_dir, change, message):
    folder = _bad_quiz(book_dir, change)
    with pytest.raises(ValueError, match=re.escape(message)):
        qz.load_quiz("bad", folder)


def test_quiz_html_is_self_contained_and_escaped(book_dir):
    folder = book_dir / "chapters" / "quiz"
    shown = qz.quiz("1_one", folder)
    assert not hasattr(shown, "_repr_markdown_")      # the book must embed the HTML
    html = shown._repr_html_()
    assert html.count('class="oq-item"') == 2
    assert html.count('<button type="button" class="oq-option"') == 5
    assert html.count('data-correct="1"') == 2         # one right option per question
    assert "no &amp; &lt;never&gt;" in html and "<never>" not in html
    assert "It is not &lt;so&gt;." in html
    assert "mathjax_ignore" in html and "tex2jax_ignore" in html
    assert "http" not in html and " src=" not in html
    element_id = re.search(r'id="(oq-[0-9a-f]+)"', html).group(1)
    assert f'getElementById("{element_id}")' in html
    # every display gets its own element, so two quizzes on a page do not interfere
    assert element_id not in qz.quiz("1_one", folder)._repr_html_()


def test_quiz_review_links_every_section(book_dir):
    folder = book_dir / "chapters" / "quiz"
    assert str(qz.quiz_review("1_one", folder)) == "1. {ref}`gd-1d`\n2. {ref}`gd-1d`\n"
    # with the chapter's notebook present, each link also names the chapter
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("(gd-1d)=\n## One")])
    nbformat.write(nb, book_dir / "chapters" / "01_gradient_descent.ipynb")
    assert str(qz.quiz_review("1_one", folder)).startswith(
        "1. {ref}`gd-1d`, in {doc}`01_gradient_descent`\n")


def test_options_are_shuffled_reproducibly(book_dir):
    folder = book_dir / "chapters" / "quiz"
    question = qz.load_quiz("1_one", folder).questions[1]
    once = qz.shuffled_options(question)
    assert once == qz.shuffled_options(question)            # the same at every build
    assert sorted(o.text for o in once) == ["A", "B", "C"]     # a permutation
    plain = qz.quiz_html(qz.load_quiz("1_one", folder), element_id="x", shuffle=False)
    assert plain.index("A. A<") < plain.index("B. B<") < plain.index("C. C<")
    shown = qz.quiz_html(qz.load_quiz("1_one", folder), element_id="x")
    for k, option in enumerate(once, start=1):
        assert f"{chr(64 + k)}. {option.text}</button>" in shown
