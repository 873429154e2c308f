"""Hostile text costs time linear in its length: 1 MB of sentences is split and summarised in CPU time
well under the limits below (the figures are printed; `python -m bench.text_bench` measures them)."""

import time

import pytest

from bot.domain.summary import summarize
from bot.domain.text import SPLIT_GOLD, split_sentences

MB = 1_000_000


def cpu(fn):
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


@pytest.mark.parametrize(
    ("name", "unit", "sentences_per_unit"),
    [
        ("short sentences", "Câu. ", 1),
        ("titles and initials", "Ông TS. Nguyễn V. An đến. ", 1),
        ("list numbers", "1. Mục một. ", 1),
    ],
)
def test_one_megabyte_of_sentences_is_split_in_linear_time(name, unit, sentences_per_unit):
    text = unit * (MB // len(unit))
    sentences, seconds = cpu(lambda: split_sentences(text))
    print(f"\nsplit_sentences, 1 MB of {name}: {seconds:.3f} s CPU, {len(sentences)} sentences")
    assert len(sentences) == sentences_per_unit * (MB // len(unit))
    assert sentences[0] == unit.strip()
    assert seconds < 2.0


def test_rules_still_hold_inside_a_megabyte():
    paragraph = "\n".join(text for text, _ in SPLIT_GOLD)
    expected = [s for _, gold in SPLIT_GOLD for s in gold]
    copies = MB // len(paragraph)
    sentences, seconds = cpu(lambda: split_sentences("\n".join([paragraph] * copies)))
    print(f"\nsplit_sentences, 1 MB of the gold paragraphs: {seconds:.3f} s CPU")
    assert sentences == expected * copies
    assert seconds < 2.0


@pytest.mark.parametrize(
    "text",
    [
        "." * MB,  # one run of full stops
        "!?" * (MB // 2) + " Sau đó.",
        ". " * (MB // 2),
        "a" * MB + ". B",  # one endless token before a full stop
        ("x" * 50 + ". ") * (MB // 52),  # full stops never followed by a capital
        ")" * MB + ". A",
    ],
    ids=["dots", "marks", "dot-space", "long-token", "no-capital", "closers"],
)
def test_pathological_punctuation_is_linear(text):
    sentences, seconds = cpu(lambda: split_sentences(text))
    print(f"\nsplit_sentences, {len(text):,} characters: {seconds:.3f} s CPU, {len(sentences)} sentences")
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")
    assert seconds < 2.0


def test_summary_of_a_megabyte_lead_and_body():
    text = "Câu. " * (MB // 5)
    long_title = "Tiêu đề dài " * (MB // 12)
    summary, seconds = cpu(lambda: summarize(long_title, text, [text], 700))
    print(f"\nsummarize, 1 MB title, lead and body: {seconds:.3f} s CPU")
    assert 0 < len(summary) <= 700
    assert summary.startswith("Câu.")
    assert seconds < 1.0


def test_summary_of_many_paragraphs():
    paragraphs = ["Ngày 26.6, Sở tổ chức hội nghị tổng kết công tác thi đua năm 2020."] * 20_000
    summary, seconds = cpu(lambda: summarize("Hội nghị", "", paragraphs, 700))
    print(f"\nsummarize, 20,000 paragraphs (1.3 MB): {seconds:.3f} s CPU")
    assert summary.startswith("Ngày 26.6, Sở tổ chức hội nghị")
    assert seconds < 2.0
