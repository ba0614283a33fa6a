"""How well replies are understood and answered, measured on the corpus: the figures `brscale
eval` prints.

It scores any `understand`-like reader (the offline classifier, or the chat model through
`llm_reader`) against the labelled examples; runs the fact guard over every reply the agent
composes for them about known listings (facts stated that are not in the listing, promises of
the broker's answer without a task); and counts the segments of first texts.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from app.conversations.corpus import Example, OptInExample
from app.conversations.decide import ConversationView, decide
from app.conversations.guard import check_reply, promises_broker
from app.conversations.intents import (
    Intent,
    OptOutScope,
    detect_language,
    opt_in_rest,
    primary_intent,
)
from app.conversations.model import (
    ConversationModel,
    LeadFacts,
    LLMConversationModel,
    PropertyFacts,
    ReplyContext,
    ReplyDecision,
)
from app.conversations.models import ConversationStatus
from app.conversations.texts import first_text
from app.conversations.understanding import Understanding, planned_actions, understand
from app.messaging.segments import sms_segments
from app.messaging.stop_line import stop_line

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


@dataclass(frozen=True)
class OptInFigures:
    asks: int  # replies that ask for our messages again
    missed: tuple[str, ...]  # asked, not read as asking: the lead stays stopped
    false: tuple[str, ...]  # read as asking, but did not (an opt-out undone would be the worst)


def opt_in_figures(opt_ins: Sequence[OptInExample], others: Sequence[Example]) -> OptInFigures:
    """The opt-in rules over their part of the corpus and over every other reply (none of
    which asks to opt back in)."""
    asked = [e.text for e in opt_ins if e.opt_in]
    said = [e.text for e in opt_ins if not e.opt_in] + [e.text for e in others]
    return OptInFigures(
        asks=len(asked),
        missed=tuple(text for text in asked if opt_in_rest(text) is None),
        false=tuple(text for text in said if opt_in_rest(text) is not None),
    )


def format_opt_ins(figures: OptInFigures) -> str:
    lines = [
        f'opt-ins (START, ALTA, "ya puedes escribirme"): {figures.asks - len(figures.missed)}'
        f"/{figures.asks} read; missed {len(figures.missed)}, false {len(figures.false)}"
    ]
    lines += [f"  missed opt-in: {text!r}" for text in figures.missed]
    lines += [f"  false opt-in: {text!r}" for text in figures.false]
    return "\n".join(lines)


async def offline_reader(text: str, channel: str | None) -> Understanding:
    return understand(text, channel)


# --- what the agent says: the fact guard and the promises over every composed reply -------------

# The listings the corpus's replies are answered about: a sale with most facts filled in (the
# model is told these), and a rental that leaves the lead's usual questions unanswered (pets,
# deposit, parking), so the "let me check with the broker" path is exercised too.
EVAL_LISTINGS = (
    PropertyFacts(
        title="Departamento en Polanco",
        location="Polanco",
        city="Ciudad de México",
        price=5_200_000,
        bedrooms=2,
        bathrooms=2.5,
        parking_spaces=2,
        built_area_m2=120,
        amenities=("Alberca", "Gimnasio", "Roof garden"),
        maintenance_fee=4_500,
        available_from=date(2027, 2, 1),
        listing_url="https://polancorealty.mx/p/123",
        address="Av. Presidente Masaryk 123, Polanco",
        description="Luminoso, 5 baños de lujo en el edificio y 3 cajones para visitas.",
    ),
    PropertyFacts(
        title="Departamento amueblado en Roma Norte",
        location="Roma Norte",
        city="Ciudad de México",
        price=32_000,
        operation="RENT",
        bedrooms=1,
        bathrooms=1,
        built_area_m2=68.5,
    ),
)
EVAL_LEAD = LeadFacts(
    name="Ana Martínez",
    locations=("Polanco", "Roma Norte"),
    min_budget=4_000_000,
    max_budget=5_500_000,
    rent_max_budget=35_000,
    bedrooms=2,
)
EVAL_AGENT = "Jorge"
EVAL_BROKERAGE = "Polanco Realty"
_EVAL_NOW = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # fixed: the same slots every run


def _reply_context(text: str, listing: PropertyFacts, language: str) -> ReplyContext:
    return ReplyContext(
        lead=EVAL_LEAD,
        property=listing,
        message=text,
        language=language,  # type: ignore[arg-type]
        qualification_score=0,
        now=_EVAL_NOW,
        sender_name=f"{EVAL_AGENT}\n{EVAL_BROKERAGE}",
        formality="TU",
        agent=EVAL_AGENT,
    )


@dataclass
class ReplyReport:
    """What the composed replies say: facts nothing backs (must be 0), promises of the broker's
    answer that no task keeps (must be 0), replies the fact guard kept from the lead."""

    composed: int = 0
    unbacked: list[tuple[str, str, str]] = field(default_factory=list)  # (message, reply, why)
    promises: int = 0
    promises_without_task: list[tuple[str, str]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (message, why)

    def add(self, message: str, listing: PropertyFacts, decision: ReplyDecision) -> None:
        if decision.replaced:
            self.replaced.append((message, decision.replaced))
        if decision.reply is None:
            return
        self.composed += 1
        verdict = check_reply(
            decision.reply,
            listing,
            EVAL_LEAD,
            slots=decision.viewing_slots,
            names=(EVAL_AGENT, EVAL_BROKERAGE),
        )
        if not verdict.ok:
            self.unbacked.append((message, decision.reply, verdict.reason))
        if promises_broker(decision.reply):
            self.promises += 1
            if not _kept(listing, decision):
                self.promises_without_task.append((message, decision.reply))


def _kept(listing: PropertyFacts, decision: ReplyDecision) -> bool:
    """Whether what the agent does with this reply keeps a promise of the broker's answer: a
    task for the broker, or the viewing flow (slots offered; the VIEWING task comes with the
    lead's pick)."""
    if decision.intent is Intent.VIEWING_REQUEST:
        return True
    transition = decide(
        ConversationView(
            status=ConversationStatus.WAITING,
            qualification_score=0,
            listing_operation=listing.operation,
            listing_title=listing.title,
            lead_name=EVAL_LEAD.name,
            broker_language="es",
        ),
        decision,
    )
    return transition.task is not None or transition.qualified or transition.opt_out


async def check_replies(
    examples: Sequence[Example],
    model: ConversationModel,
    listings: Sequence[PropertyFacts] = EVAL_LISTINGS,
) -> ReplyReport:
    """Compose the agent's reply to every example about each listing and read them all."""
    report = ReplyReport()
    for listing in listings:
        for example in examples:
            language = detect_language(example.text) or "es"
            decision = await model.understand_and_reply(
                _reply_context(example.text, listing, language)
            )
            report.add(example.text, listing, decision)
    return report


def format_reply_report(report: ReplyReport) -> str:
    lines = [
        f"facts stated that are not in the listing: {len(report.unbacked)} "
        f"(of {report.composed} replies composed)",
        f"promises without a task: {len(report.promises_without_task)} "
        f"(of {report.promises} replies promising the broker's answer)",
    ]
    if report.replaced:
        lines.append(f"model replies replaced by the template (fact guard): {len(report.replaced)}")
    unbacked = Counter((reply, why) for _, reply, why in report.unbacked)
    lines += [f"  not in the listing ({n}x): {r!r} ({why})" for (r, why), n in unbacked.items()]
    unkept = Counter(reply for _, reply in report.promises_without_task)
    lines += [f"  promise without a task ({n}x): {reply!r}" for reply, n in unkept.items()]
    return "\n".join(lines)


# --- first texts -------------------------------------------------------------------------------

# Listings as brokers write them: short and long titles, long neighbourhood names, sale and
# rent, pesos and dollars.
SMS_LISTINGS = (
    EVAL_LISTINGS[0],
    EVAL_LISTINGS[1],
    PropertyFacts(
        title="Casa con jardín en Coyoacán",
        location="Del Carmen",
        city="Coyoacán, Ciudad de México",
        price=8_750_000,
        bedrooms=4,
    ),
    PropertyFacts(
        title="Penthouse con roof garden privado y vista panorámica al Bosque de Chapultepec",
        location="Bosques de las Lomas",
        city="Cuajimalpa de Morelos, Ciudad de México",
        price=24_500_000,
        bedrooms=3,
    ),
    PropertyFacts(
        title="Departamento en renta",
        location="Colonia Juárez",
        city="Ciudad de México",
        price=2_300,
        currency="USD",
        operation="RENT",
        bedrooms=2,
    ),
    PropertyFacts(
        title="3BR condo near Zilker Park",
        location="Zilker",
        city="Austin, TX",
        price=685_000,
        currency="USD",
        bedrooms=3,
    ),
)
SMS_LEADS = (
    LeadFacts(name="Ana Martínez"),
    LeadFacts(name="María Fernanda Hernández"),
    LeadFacts(name="Maximiliano Castañeda"),
    LeadFacts(name=""),
)
SMS_SENDERS = (
    ("Jorge", "Polanco Realty"),
    ("María José Gutiérrez", "Inmobiliaria Hernández & Asociados"),
    (None, "Casa Sol Bienes Raíces"),
)


@dataclass(frozen=True)
class SegmentFigures:
    texts: int
    max: int
    median: float
    over_two: int


def first_text_segments() -> SegmentFigures:
    """Segments of the first SMS with its stop line, over languages, tú and usted, leads,
    senders, listings and whether the price fits the lead's budget (the first SMS has one
    template, which shortens itself to fit)."""
    counts = []
    for language, formality in (("es", "TU"), ("es", "USTED"), ("en", "TU")):
        for prop in SMS_LISTINGS:
            for lead in SMS_LEADS:
                for agent, brokerage in SMS_SENDERS:
                    for fits in (0.0, 25.0):
                        text = first_text(
                            lead,
                            prop,
                            language,
                            formality=formality,
                            agent=agent,
                            brokerage=brokerage,
                            breakdown={"price": fits, "bedrooms": 15.0},
                        )
                        counts.append(sms_segments(f"{text}\n{stop_line(language, formality)}"))
    return SegmentFigures(
        texts=len(counts),
        max=max(counts),
        median=statistics.median(counts),
        over_two=sum(c > 2 for c in counts),
    )


def format_segments(figures: SegmentFigures) -> str:
    return (
        f"first-SMS segments (with the stop line): max {figures.max}, median "
        f"{figures.median:g}, over 2: {figures.over_two} (of {figures.texts} texts: es tú, "
        "es usted, en; 6 listings, 4 leads, 3 senders, budget fit or not)"
    )


# --- the chat model --------------------------------------------------------------------------


def llm_reader(model: LLMConversationModel, replies: ReplyReport | None = None) -> Reader:
    """Read replies through the chat model's path, as the agent does: the opt-out rules first
    (the model is not asked about a stop), then the model's intent. Every reply the model
    composes (about the first evaluation listing) goes through the fact guard into `replies`."""
    listing = EVAL_LISTINGS[0]

    async def read(text: str, channel: str | None) -> Understanding:
        rules = understand(text, channel)
        decision = await model.understand_and_reply(
            _reply_context(text, listing, rules.language or "es")
        )
        if replies is not None:
            replies.add(text, listing, decision)
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
