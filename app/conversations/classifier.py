"""The acts of a reply other than opt-outs (those are rules: see `intents.opt_out_scope`).

A statistical classifier trained on the corpus's training part at first use (well under a second;
nothing downloaded, nothing pickled): TF-IDF over words and character n-grams of the
accent-folded text (typos, missing accents and slang share n-grams with their proper forms),
beside the keyword rules' findings as features, and one logistic regression per act, so a reply
can carry several.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer

from app.conversations.intents import Intent, rule_acts
from app.core.text import fold

# The acts the model learns: everything but opt-outs, which rules decide.
ACTS: tuple[Intent, ...] = tuple(i for i in Intent if i is not Intent.OPT_OUT)
_RULE_ACTS = ACTS
THRESHOLD = 0.5
# How much a rule's finding weighs against the text's n-grams.
RULE_WEIGHT = 1.0
REGULARISATION = 30.0  # chosen by 5-fold cross-validation on the training part


def _normalise(text: str) -> str:
    """Accent-folded, lower-case; a question mark kept as its own token."""
    return fold(text).replace("?", " ? ").replace("¿", " ? ")


# Shapes the words alone do not show: a day or a time ("el martes a la 1", "thursday at 5")
# accepts or asks for a slot; an amount ("4.2", "450k", "3 millones") is about the price.
_WHEN = re.compile(
    r"\b(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|hoy|tarde|noche"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight"
    r"|weekend|morning|afternoon|evening|fin de semana|semana|week)\b"
    r"|\b(?:a las?|at) \d|\b\d{1,2}(?::\d\d)? ?(?:am|pm|hrs?)\b"
)
_AMOUNT = re.compile(
    r"\$|\b\d+(?:[.,]\d+)? ?(?:k|mil|millones|m|mdp|usd|mxn|dolares|pesos)\b|\b\d+\.\d\b"
)


def _rule_features(texts: Iterable[str]) -> csr_matrix:
    rows = []
    for text in texts:
        found = rule_acts(text)
        folded = fold(text)
        rows.append(
            [RULE_WEIGHT * (act in found) for act in _RULE_ACTS]
            + [
                RULE_WEIGHT * ("?" in text),
                RULE_WEIGHT * bool(_WHEN.search(folded)),
                RULE_WEIGHT * bool(_AMOUNT.search(folded)),
            ]
        )
    return csr_matrix(np.asarray(rows, dtype=np.float64))


@dataclass
class ActClassifier:
    words: TfidfVectorizer
    chars: TfidfVectorizer
    model: OneVsRestClassifier
    labels: MultiLabelBinarizer

    @classmethod
    def train(cls, texts: list[str], acts: list[frozenset[Intent]]) -> ActClassifier:
        words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), token_pattern=r"[\w']+|\?", sublinear_tf=True
        )
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        normalised = [_normalise(t) for t in texts]
        features = hstack(
            [
                words.fit_transform(normalised),
                chars.fit_transform(normalised),
                _rule_features(texts),
            ]
        ).tocsr()
        labels = MultiLabelBinarizer(classes=[a.value for a in ACTS])
        targets = labels.fit_transform([[a.value for a in found] for found in acts])
        model = OneVsRestClassifier(
            LogisticRegression(
                C=REGULARISATION, solver="liblinear", dual=True, class_weight="balanced"
            )
        )
        model.fit(features, targets)
        return cls(words, chars, model, labels)

    def _features(self, texts: list[str]) -> csr_matrix:
        normalised = [_normalise(t) for t in texts]
        return hstack(
            [
                self.words.transform(normalised),
                self.chars.transform(normalised),
                _rule_features(texts),
            ]
        ).tocsr()

    def predict(self, texts: list[str]) -> list[frozenset[Intent]]:
        probabilities = self.model.predict_proba(self._features(texts))
        classes = [Intent(c) for c in self.labels.classes_]
        predicted = []
        for row in probabilities:
            found = {classes[i] for i, p in enumerate(row) if p >= THRESHOLD}
            if not found:  # every reply means something: the likeliest act
                found = {classes[int(np.argmax(row))]}
            predicted.append(frozenset(found))
        return predicted


_lock = threading.Lock()


@cache
def _trained() -> ActClassifier:
    from app.conversations.corpus import examples

    # A reply that only stops something says nothing else: OTHER, which `understand` drops.
    rows = examples("train")
    return ActClassifier.train(
        [e.text for e in rows],
        [e.intents - {Intent.OPT_OUT} or frozenset({Intent.OTHER}) for e in rows],
    )


def trained_classifier() -> ActClassifier:
    """The classifier trained on the corpus's training part, once per process."""
    with _lock:  # two threads asking first train it once
        return _trained()


def predict_acts(text: str) -> frozenset[Intent]:
    """Every act the classifier finds in the reply (opt-outs aside)."""
    return trained_classifier().predict([text])[0]
