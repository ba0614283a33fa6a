"""How well replies are understood, measured on the corpus: the figures `brscale eval` prints.

Pure: it scores any `understand`-like reader (the offline classifier, or the LLM model through
`llm_reader`) against the labelled examples.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from app.conversations.corpus import Example
from app.conversations.intents import Intent, OptOutScope, primary_intent
from app.conversations.model import LeadFacts, LLMConversationModel, PropertyFacts, ReplyContext
from app.conversations.understanding import Understanding, planned_actions, understand

Reader = Callable[[str, str | None], Awaitable[Understanding]]


@dataclass(frozen=True)
class IntentScore:
    intent: Intent
    precision: float
    recall: float
    support: int


@dataclass
class Report:
    examples: int = 0
    correct: int = 0  # primary intent right
    acts_expected: int = 0
    acts_found: int = 0  # expected acts that were found (act recall)
    missed_opt_outs: list[str] = field(default_factory=list)
    false_opt_outs: list[str] = field(default_factory=list)
    opt_outs: int = 0
    scope_correct: int = 0  # of the replies that opt out, those stopped at the right scope
    reasons: int = 0
    reasons_correct: int = 0
    actions_correct: int = 0
    predicted: Counter[Intent] = field(default_factory=Counter)
    expected: Counter[Intent] = field(default_factory=Counter)
    true_positive: Counter[Intent] = field(default_factory=Counter)
    errors: list[tuple[str, Intent, Intent]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.examples if self.examples else 0.0

    @property
    def act_recall(self) -> float:
        return self.acts_found / self.acts_expected if self.acts_expected else 0.0

    @property
    def scope_accuracy(self) -> float:
        return self.scope_correct / self.opt_outs if self.opt_outs else 1.0

    @property
    def reason_accuracy(self) -> float:
        return self.reasons_correct / self.reasons if self.reasons else 1.0

    @property
    def action_accuracy(self) -> float:
        return self.actions_correct / self.examples if self.examples else 0.0

    def per_intent(self) -> list[IntentScore]:
        scores = []
        for intent in Intent:
            tp, predicted, support = (
                self.true_positive[intent],
                self.predicted[intent],
                self.expected[intent],
            )
            scores.append(
                IntentScore(
                    intent,
                    precision=tp / predicted if predicted else 0.0,
                    recall=tp / support if support else 0.0,
                    support=support,
                )
            )
        return scores

    def add(self, example: Example, understood: Understanding) -> None:
        expected = primary_intent(example.intents)
        self.examples += 1
        self.expected[expected] += 1
        self.predicted[understood.intent] += 1
        if understood.intent is expected:
            self.correct += 1
            self.true_positive[expected] += 1
        else:
            self.errors.append((example.text, expected, understood.intent))
        self.acts_expected += len(example.intents)
        self.acts_found += len(example.intents & understood.acts)
        stops = example.opt_out is not OptOutScope.NONE
        stopped = understood.opt_out is not OptOutScope.NONE
        if stops and not stopped:
            self.missed_opt_outs.append(example.text)
        if stopped and not stops:
            self.false_opt_outs.append(example.text)
        if stops:
            self.opt_outs += 1
            self.scope_correct += understood.opt_out is example.opt_out
        if example.reason is not None:
            self.reasons += 1
            self.reasons_correct += understood.reason is example.reason
        actions = planned_actions(understood, declined_before=example.declined_before)
        self.actions_correct += actions == example.actions


async def evaluate(examples: Sequence[Example], read: Reader) -> Report:
    """Score a reader on these examples, one reply at a time, in corpus order."""
    report = Report()
    for example in examples:
        report.add(example, await read(example.text, example.channel))
    return report


def format_report(report: Report, title: str) -> str:
    """The table `brscale eval` prints."""
    lines = [
        title,
        f"{'intent':<20}{'precision':>10}{'recall':>8}{'support':>9}",
    ]
    for score in report.per_intent():
        lines.append(
            f"{score.intent.value:<20}{score.precision:>10.3f}{score.recall:>8.3f}"
            f"{score.support:>9}"
        )
    lines += [
        f"accuracy (primary intent): {report.accuracy:.3f} ({report.correct}/{report.examples})",
        f"act recall (every act of a reply): {report.act_recall:.3f} "
        f"({report.acts_found}/{report.acts_expected})",
        f"missed opt-outs: {len(report.missed_opt_outs)}",
        f"false opt-outs: {len(report.false_opt_outs)}",
        f"opt-out scope accuracy: {report.scope_accuracy:.3f} "
        f"({report.scope_correct}/{report.opt_outs})",
        f"decline reason accuracy: {report.reason_accuracy:.3f} "
        f"({report.reasons_correct}/{report.reasons})",
        f"expected actions: {report.action_accuracy:.3f} "
        f"({report.actions_correct}/{report.examples})",
    ]
    for text in report.missed_opt_outs:
        lines.append(f"  missed opt-out: {text!r}")
    for text in report.false_opt_outs:
        lines.append(f"  false opt-out: {text!r}")
    return "\n".join(lines)


async def offline_reader(text: str, channel: str | None) -> Understanding:
    return understand(text, channel)


# What the model is told the replies are about: a plain listing, the same for every reply.
_EVAL_LISTING = PropertyFacts(
    title="Departamento en Polanco",
    location="Polanco",
    city="Ciudad de México",
    price=5_200_000,
    bedrooms=2,
    bathrooms=2.5,
)


def llm_reader(model: LLMConversationModel) -> Reader:
    """Read replies through the chat model's path, as the agent does: the opt-out rules first
    (the model is not asked about a stop), then the model's intent."""

    async def read(text: str, channel: str | None) -> Understanding:
        rules = understand(text, channel)
        decision = await model.understand_and_reply(
            ReplyContext(
                lead=LeadFacts(name="Ana"),
                property=_EVAL_LISTING,
                message=text,
                language=rules.language or "es",
                qualification_score=0,
                now=datetime.now(UTC),
            )
        )
        scope = rules.opt_out
        if decision.intent is Intent.OPT_OUT and scope is OptOutScope.NONE:
            scope = OptOutScope.ALL  # the model heard a stop the rules did not
        acts = {decision.intent} | ({Intent.OPT_OUT} if scope is not OptOutScope.NONE else set())
        return replace(
            rules,
            intent=primary_intent(acts),
            acts=frozenset(acts),
            opt_out=scope,
            language=decision.language,
        )

    return read
