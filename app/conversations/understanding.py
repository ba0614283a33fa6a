"""Everything one reply says: its acts, the one that needs action, what it stops, and why.

Pure, no I/O. Opt-outs and their scope come from the rules in `intents` (read phrase by phrase,
never left to a model); the other acts come from the statistical classifier trained on the
evaluation corpus (`classifier`), with the keyword rules as its features.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.conversations.intents import (
    DeclineReason,
    Intent,
    Language,
    OptOutScope,
    Preference,
    channel_preference,
    decline_reason,
    detect_language,
    opt_out_scope,
    primary_intent,
    question_clauses,
    rule_acts,
)

__all__ = ["DeclineReason", "OptOutScope", "Understanding", "understand"]

# Reasons after which the lead is out of the market: no more campaigns until the broker says so.
SEARCH_ENDED = frozenset({DeclineReason.BOUGHT_ELSEWHERE, DeclineReason.STOPPED_LOOKING})

_FALLBACKS = frozenset({Intent.OTHER, Intent.ACKNOWLEDGEMENT})


@dataclass(frozen=True)
class Understanding:
    """What the agent understood from one reply (or a burst joined with newlines)."""

    # The act that needs action (API.md precedence): what `Message.intent` records.
    intent: Intent
    acts: frozenset[Intent]
    # What the lead asked to stop; NONE unless OPT_OUT is among the acts.
    opt_out: OptOutScope
    # The channel the lead asked to be written on ("mejor por correo"), if any.
    preferred_channel: Preference | None
    language: Language | None
    # Why a NOT_INTERESTED (or TOO_EXPENSIVE) reply said no to this listing, when it said.
    reason: DeclineReason | None = None

    @property
    def stops_everything(self) -> bool:
        return self.opt_out is OptOutScope.ALL

    @property
    def remaining_intent(self) -> Intent | None:
        """The act to answer once a channel-scoped opt-out is honoured ("¿acepta mascotas? y no
        me mandes SMS": the question); None when nothing but the stop (or a thanks) is left."""
        rest = self.acts - {Intent.OPT_OUT, Intent.ACKNOWLEDGEMENT}
        if self.stops_everything or not rest:
            return None
        return primary_intent(rest)

    @property
    def search_ended(self) -> bool:
        """Bought or rented elsewhere, or stopped looking: out of future campaigns."""
        return self.reason in SEARCH_ENDED


def understand(text: str, channel: str | None = None) -> Understanding:
    """Read one reply; `channel` is the one it came by (EMAIL, SMS, WHATSAPP), which a bare
    STOP/BAJA keyword stops as carriers require."""
    from app.conversations.classifier import predict_acts  # trained at first use

    scope = opt_out_scope(text, channel)
    acts = set(predict_acts(text)) - {Intent.OPT_OUT}
    if scope is not OptOutScope.NONE:
        acts.add(Intent.OPT_OUT)
        # "STOP" alone: the stop is all it says.
        acts -= {Intent.OTHER, Intent.ACKNOWLEDGEMENT}
    if Intent.NOT_INTERESTED in acts and _unsure_refusal(text, acts):
        # A "no" only the model read, beside a question about the listing or a price objection
        # ("not sure yet, maybe. what's the square footage?", "está muy cara… ¿no tendrá algo
        # más económico?"): the lead is still talking; closing would drop the question.
        acts.discard(Intent.NOT_INTERESTED)
        if not acts - _FALLBACKS:
            acts.add(Intent.PROPERTY_QUESTION)
    if not acts:
        acts.add(Intent.OTHER)
    if acts - _FALLBACKS:  # a fallback never stands beside a real act
        acts -= _FALLBACKS
    frozen = frozenset(acts)
    preferred = channel_preference(text)
    if preferred is not None and scope in (OptOutScope.ALL, OptOutScope(preferred)):
        preferred = None  # "dejen de mandarme mails": no wish for the channel being stopped
    return Understanding(
        intent=primary_intent(frozen),
        acts=frozen,
        opt_out=scope,
        preferred_channel=preferred,
        language=detect_language(text),
        reason=_reason(text, frozen),
    )


def _unsure_refusal(text: str, acts: set[Intent]) -> bool:
    """Whether a NOT_INTERESTED the classifier found is unconfirmed by the refusal rules and
    stands beside a question or a price objection that keeps the conversation going."""
    if Intent.NOT_INTERESTED in rule_acts(text):
        return False
    asks = Intent.PROPERTY_QUESTION in acts or bool(question_clauses(text))
    return asks or Intent.TOO_EXPENSIVE in acts


def _reason(text: str, acts: frozenset[Intent]) -> DeclineReason | None:
    """Why the lead says no to this listing: a refusal's stated reason, and for "too
    expensive" alone ("está muy cara", the conversation goes on) the price."""
    expensive = Intent.TOO_EXPENSIVE in acts
    if Intent.NOT_INTERESTED in acts:
        return decline_reason(text, too_expensive=expensive)
    if expensive and primary_intent(acts) is Intent.TOO_EXPENSIVE:
        return DeclineReason.PRICE
    return None


_ACTION_OF_INTENT: dict[Intent, str] = {
    Intent.VIEWING_REQUEST: "task",
    Intent.PRICE_OR_OFFER: "task",
    Intent.PROPERTY_QUESTION: "answer",
    Intent.INTERESTED: "answer",
    Intent.TOO_EXPENSIVE: "answer",
    Intent.OTHER: "answer",
    Intent.NOT_INTERESTED: "close",
    Intent.RENT_ONLY: "close",
}
_STOP_ACTION = {
    OptOutScope.ALL: "stop_all",
    OptOutScope.SMS: "stop_sms",
    OptOutScope.EMAIL: "stop_email",
    OptOutScope.WHATSAPP: "stop_whatsapp",
}


def planned_actions(understood: Understanding, *, declined_before: bool = False) -> frozenset[str]:
    """What the agent does about a reply, in the corpus's words: stop a channel or everything,
    answer, hand a task to the broker, close, leave campaigns, reopen a declined conversation,
    switch to the channel the lead prefers, or stay silent."""
    actions: set[str] = set()
    if understood.opt_out is not OptOutScope.NONE:
        actions.add(_STOP_ACTION[understood.opt_out])
        if understood.stops_everything:
            return frozenset(actions)
        rest = understood.remaining_intent
    else:
        rest = understood.intent
        if rest is Intent.ACKNOWLEDGEMENT:
            actions.add("no_reply")
            rest = None
    if rest is not None:
        actions.add(_ACTION_OF_INTENT[rest])
        if understood.search_ended:
            actions.add("leave_campaigns")
        if declined_before and rest not in (Intent.NOT_INTERESTED, Intent.RENT_ONLY):
            actions.add("reopen")
    if understood.preferred_channel == "EMAIL":
        actions.add("prefer_email")
    elif understood.preferred_channel is not None:
        actions.add("prefer_sms")
    return frozenset(actions)
