"""The figures over what the agent says, on the held-out corpus (never tuned on): no reply
states a fact the listing lacks, every promise of the broker's answer has its task, and a first
SMS never costs more than two segments."""

from __future__ import annotations

from app.conversations.corpus import examples
from app.conversations.evaluation import (
    EVAL_LISTINGS,
    check_replies,
    first_text_segments,
    format_reply_report,
)
from app.conversations.model import OfflineModel


async def test_every_template_reply_to_the_held_out_corpus_passes_the_fact_guard() -> None:
    held_out = examples("heldout")
    report = await check_replies(held_out, OfflineModel())
    assert report.composed > len(held_out)  # about both listings, silences left out
    assert report.unbacked == [], format_reply_report(report)
    assert report.promises > 0
    assert report.promises_without_task == [], format_reply_report(report)
    assert len(EVAL_LISTINGS) == 2


def test_first_texts_cost_at_most_two_segments() -> None:
    figures = first_text_segments()
    assert figures.texts == 432
    assert figures.max <= 2 and figures.over_two == 0
