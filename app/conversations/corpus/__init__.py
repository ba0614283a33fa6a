"""The evaluation corpus: replies leads really send, labelled with what they mean.

`replies.jsonl`, one reply a line: `split` (`heldout`, written first and frozen, never used to
train or tune; `train`, what the classifier learns from), `lang` (es-MX, es-LA, en-US, mix),
`channel` it came by, `context` ("declined": the lead had said no before), `intents` (every act),
`opt_out` scope (NONE, SMS, EMAIL, WHATSAPP, ALL), the expected `actions` and, for a refusal,
its `reason`.

`opt_ins.jsonl`: replies that ask for our messages again ("ALTA", "START", "ya puedes
escribirme") beside ones that only look like it ("¿me puedes mandar fotos?", "BAJA"), `opt_in`
true or false, split the same way. Opting back in is read by rules, never learned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from app.conversations.intents import DeclineReason, Intent, OptOutScope

CORPUS = Path(__file__).with_name("replies.jsonl")
OPT_INS = Path(__file__).with_name("opt_ins.jsonl")
Split = Literal["train", "heldout"]


@dataclass(frozen=True)
class Example:
    text: str
    split: Split
    lang: str
    channel: str
    context: str | None
    intents: frozenset[Intent]
    opt_out: OptOutScope
    actions: frozenset[str]
    reason: DeclineReason | None

    @property
    def declined_before(self) -> bool:
        return self.context == "declined"


@cache
def load_corpus() -> tuple[Example, ...]:
    examples = []
    with CORPUS.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            examples.append(
                Example(
                    text=row["text"],
                    split=row["split"],
                    lang=row["lang"],
                    channel=row["channel"],
                    context=row["context"],
                    intents=frozenset(Intent(i) for i in row["intents"]),
                    opt_out=OptOutScope(row["opt_out"]),
                    actions=frozenset(row["actions"]),
                    reason=DeclineReason(row["reason"]) if row["reason"] else None,
                )
            )
    return tuple(examples)


def examples(split: Split | None = None) -> tuple[Example, ...]:
    """The corpus, or one of its parts."""
    return tuple(e for e in load_corpus() if split is None or e.split == split)


@dataclass(frozen=True)
class OptInExample:
    text: str
    split: Split
    lang: str
    channel: str
    opt_in: bool


@cache
def opt_in_examples(split: Split | None = None) -> tuple[OptInExample, ...]:
    """The opt-in part of the corpus, or one of its parts."""
    with OPT_INS.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return tuple(
        OptInExample(row["text"], row["split"], row["lang"], row["channel"], row["opt_in"])
        for row in rows
        if split is None or row["split"] == split
    )
