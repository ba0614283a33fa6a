"""The understanding of replies, measured on the evaluation corpus's held-out part.

The held-out part was written before the classifier existed and is never trained or tuned on:
these are the product's figures, not a fit to the training data.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import numpy as np
import pytest

from app.conversations.classifier import ActClassifier, trained_classifier
from app.conversations.corpus import examples, opt_in_examples
from app.conversations.evaluation import evaluate, llm_reader, offline_reader, opt_in_figures
from app.conversations.intents import Intent, OptOutScope, opt_out_scope, primary_intent
from app.conversations.model import LLMConversationModel
from integrations.llm.openai_model import OpenAIConversationModel
from tests.support.openai_standin import OpenAIStandin, running_standin


def test_the_corpus_is_large_varied_and_a_quarter_held_out() -> None:
    held_out, train = examples("heldout"), examples("train")
    assert len(held_out) + len(train) >= 600
    assert len(held_out) >= 0.25 * (len(held_out) + len(train))
    assert {e.lang for e in held_out} == {"es-MX", "es-LA", "en-US", "mix"}
    assert {primary_intent(e.intents) for e in held_out} == set(Intent)
    scopes = Counter(e.opt_out for e in held_out)
    assert scopes[OptOutScope.ALL] and scopes[OptOutScope.SMS] and scopes[OptOutScope.EMAIL]
    assert any(e.declined_before for e in held_out)
    assert any(len(e.intents) > 1 for e in held_out)
    # No reply is in both parts: a held-out reply the model trained on would flatter it.
    assert not {e.text.casefold() for e in held_out} & {e.text.casefold() for e in train}


async def test_held_out_accuracy_and_opt_outs() -> None:
    report = await evaluate(examples("heldout"), offline_reader)
    assert report.accuracy >= 0.95, report.errors
    assert report.act_recall >= 0.9
    assert report.missed_opt_outs == []
    assert report.false_opt_outs == []
    assert report.scope_accuracy == 1.0


def test_opting_back_in_is_read_on_the_held_out_part_and_never_read_into_anything_else() -> None:
    held_out = opt_in_examples("heldout")
    assert sum(e.opt_in for e in held_out) >= 15 and sum(not e.opt_in for e in held_out) >= 10
    figures = opt_in_figures(opt_in_examples(), examples())
    assert figures.asks == sum(e.opt_in for e in opt_in_examples())
    assert (figures.missed, figures.false) == ((), ())


def test_no_missed_or_false_opt_out_anywhere_in_the_corpus() -> None:
    wrong = [
        (e.text, e.opt_out, scope)
        for e in examples()
        if (scope := opt_out_scope(e.text, e.channel)) is not e.opt_out
    ]
    assert wrong == []


def test_the_classifier_trains_from_the_committed_corpus_in_well_under_a_second() -> None:
    train = examples("train")
    started = time.process_time()
    classifier = ActClassifier.train(
        [e.text for e in train],
        [e.intents - {Intent.OPT_OUT} or frozenset({Intent.OTHER}) for e in train],
    )
    assert time.process_time() - started < 1.0
    assert classifier.predict(["¿tiene alberca?"]) == [{Intent.PROPERTY_QUESTION}]


def test_a_reply_is_read_with_scikit_learns_numbers_in_a_fraction_of_its_time() -> None:
    """The one-text path (`probabilities`) gives scikit-learn's probabilities for every reply
    of the corpus, at a fraction of `predict_proba`'s cost (which validated its input nine
    times a reply: about 3 ms of a reply's ~30 ms of CPU)."""
    classifier = trained_classifier()
    texts = [e.text for e in examples()]
    reference = classifier.model.predict_proba(classifier.features(texts))
    read = np.vstack([classifier.probabilities(text) for text in texts])
    assert np.abs(reference - read).max() < 1e-9

    def cost(read_one: Any) -> float:
        started = time.process_time()
        for text in texts[:200]:
            read_one(text)
        return time.process_time() - started

    one_by_one = cost(classifier.probabilities)
    through_sklearn = cost(lambda text: classifier.model.predict_proba(classifier.features([text])))
    assert one_by_one < through_sklearn / 3


@pytest.fixture
async def standin() -> AsyncIterator[tuple[OpenAIStandin, str]]:
    async with running_standin() as served:
        yield served


async def test_the_evaluation_runs_through_the_chat_model_with_the_opt_out_guard(
    standin: tuple[OpenAIStandin, str],
) -> None:
    """A model that reads everything as OTHER: the rules still catch every opt-out (the model
    is not even asked about a full stop), and the figures count the model's answers."""
    server, url = standin

    def says_other(body: dict[str, Any]) -> dict[str, Any]:
        return {"intent": "OTHER", "language": "es", "reply": "Con gusto le ayudo."}

    server.respond_with(says_other)
    client = OpenAIConversationModel(
        api_key=server.api_key, base_url=url, model="gpt-4o-mini", timeout=5, max_retries=0
    )
    held_out = examples("heldout")
    report = await evaluate(
        held_out, llm_reader(LLMConversationModel(client, fallback_on_error=False))
    )

    stops = [e for e in held_out if e.opt_out is not OptOutScope.NONE]
    others = [e for e in held_out if primary_intent(e.intents) is Intent.OTHER]
    assert report.missed_opt_outs == [] and report.false_opt_outs == []
    assert report.correct == len(stops) + len(others)
    assert 0 < len(server.requests) < len(held_out)  # stops never reach the model
