"""The acts of a reply other than opt-outs (those are rules: see `intents.opt_out_scope`).

A statistical classifier trained on the corpus's training part at first use (well under a second;
nothing downloaded, nothing pickled): TF-IDF over words and character n-grams of the
accent-folded text (typos, missing accents and slang share n-grams with their proper forms),
beside the keyword rules' findings as features, and one logistic regression per act, so a reply
can carry several.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

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


def _rule_row(text: str) -> list[float]:
    found = rule_acts(text)
    folded = fold(text)
    return [RULE_WEIGHT * (act in found) for act in _RULE_ACTS] + [
        RULE_WEIGHT * ("?" in text),
        RULE_WEIGHT * bool(_WHEN.search(folded)),
        RULE_WEIGHT * bool(_AMOUNT.search(folded)),
    ]


def _rule_features(texts: Iterable[str]) -> csr_matrix:
    return csr_matrix(np.asarray([_rule_row(text) for text in texts], dtype=np.float64))


@dataclass
class _Tfidf:
    """One fitted TfidfVectorizer's transform of a single text, without scikit-learn's
    per-call validation (which cost a reply more than the arithmetic): the same analyzer,
    vocabulary and idf, sublinear tf and l2 norm, as (column, value) pairs."""

    analyze: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer, offset: int) -> _Tfidf:
        assert vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"
        return cls(vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_, offset)

    def weights(self, text: str) -> tuple[list[int], list[float]]:
        counts = Counter(
            column
            for term in self.analyze(text)
            if (column := self.vocabulary.get(term)) is not None
        )
        columns = list(counts)
        values = [(1.0 + math.log(counts[c])) * self.idf[c] for c in columns]
        norm = math.sqrt(sum(v * v for v in values))
        if norm:
            values = [v / norm for v in values]
        return [self.offset + c for c in columns], values


@dataclass
class ActClassifier:
    words: TfidfVectorizer
    chars: TfidfVectorizer
    model: OneVsRestClassifier
    labels: MultiLabelBinarizer
    # The fitted model as plain arrays for one text at a time (`probabilities`).
    _words: _Tfidf = field(init=False, repr=False)
    _chars: _Tfidf = field(init=False, repr=False)
    _weights: np.ndarray = field(init=False, repr=False)  # features x acts
    _intercepts: np.ndarray = field(init=False, repr=False)
    _rules_at: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._words = _Tfidf.of(self.words, 0)
        self._chars = _Tfidf.of(self.chars, len(self.words.vocabulary_))
        self._rules_at = self._chars.offset + len(self.chars.vocabulary_)
        # One binary logistic regression per act (multilabel one-vs-rest: no normalising), so
        # an act's probability is the logistic of its linear score.
        assert self.model.multilabel_
        estimators = self.model.estimators_
        assert all(isinstance(e, LogisticRegression) for e in estimators)
        self._weights = np.ascontiguousarray(np.vstack([e.coef_ for e in estimators]).T)
        self._intercepts = np.concatenate([e.intercept_ for e in estimators])

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

    def features(self, texts: list[str]) -> csr_matrix:
        normalised = [_normalise(t) for t in texts]
        return hstack(
            [
                self.words.transform(normalised),
                self.chars.transform(normalised),
                _rule_features(texts),
            ]
        ).tocsr()

    def probabilities(self, text: str) -> np.ndarray:
        """`model.predict_proba` of one text, from the same fitted numbers at a fraction of the
        cost (a reply is read one at a time; equal to scikit-learn's within rounding)."""
        normalised = _normalise(text)
        word_columns, word_values = self._words.weights(normalised)
        char_columns, char_values = self._chars.weights(normalised)
        rules = _rule_row(text)
        columns = (
            word_columns + char_columns + list(range(self._rules_at, self._rules_at + len(rules)))
        )
        values = np.asarray(word_values + char_values + rules)
        scores = values @ self._weights[columns] + self._intercepts
        return 1.0 / (1.0 + np.exp(-scores))

    def predict(self, texts: list[str]) -> list[frozenset[Intent]]:
        probabilities = [self.probabilities(text) for text in texts]
        classes = [Intent(c) for c in self.labels.classes_]
        predicted = []
        for text, row in zip(texts, probabilities, strict=True):
            found = {classes[i] for i, p in enumerate(row) if p >= THRESHOLD}
            if not found:  # every reply means something: the likeliest act
                best = classes[int(np.argmax(row))]
                found = {best}
                if best in _CLOSING and best not in rule_acts(text):
                    # A weak guess never ends a conversation ("not sure yet, maybe. what's the
                    # square footage"): what the rules read, else OTHER.
                    found = set(rule_acts(text))
            predicted.append(frozenset(found))
        return predicted


# Acts that end the conversation: taken from the model only when it is sure.
_CLOSING = frozenset({Intent.NOT_INTERESTED, Intent.RENT_ONLY})
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


@lru_cache(maxsize=1024)
def predict_acts(text: str) -> frozenset[Intent]:
    """Every act the classifier finds in the reply (opt-outs aside). Remembered for the last
    texts read: a reply is read for its own intent and again with the burst it belongs to."""
    return trained_classifier().predict([text])[0]
