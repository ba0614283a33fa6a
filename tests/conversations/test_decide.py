"""The rules of a conversation's life, without a database: what each reply changes."""

from __future__ import annotations

from app.conversations.decide import ConversationView, decide
from app.conversations.intents import Intent
from app.conversations.model import ReplyDecision
from app.conversations.models import ConversationStatus, TaskKind

WAITING = ConversationView(
    status=ConversationStatus.WAITING,
    qualification_score=40,
    listing_operation="SALE",
    listing_title="Casa en Coyoacán",
    lead_name="Ana",
    broker_language="es",
)


def _reply(intent: Intent, score: int = 50, text: str | None = "ok") -> ReplyDecision:
    return ReplyDecision(intent=intent, language="es", reply=text, qualification_score=score)


def test_a_viewing_request_hands_off_with_a_viewing_task_in_the_brokers_language() -> None:
    transition = decide(WAITING, _reply(Intent.VIEWING_REQUEST, 70))

    assert transition.status is ConversationStatus.HANDED_OFF
    assert transition.task is not None
    assert transition.task.kind is TaskKind.VIEWING
    assert transition.task.title == "Ana quiere ver Casa en Coyoacán"
    assert transition.next_action == "Llamar al lead: confirmar la hora de la visita"
    assert not transition.qualified


def test_crossing_the_qualification_line_is_reported_once() -> None:
    crossing = decide(WAITING, _reply(Intent.INTERESTED, 80))
    assert crossing.qualified
    already = ConversationView(**{**WAITING.__dict__, "qualification_score": 80})
    assert not decide(already, _reply(Intent.INTERESTED, 90)).qualified


def test_a_refusal_closes_and_a_rent_only_lead_of_a_sale_listing_rents_only() -> None:
    refusal = decide(WAITING, _reply(Intent.NOT_INTERESTED, 10))
    assert (refusal.status, refusal.follow_up, refusal.closed) == (
        ConversationStatus.CLOSED,
        False,
        True,
    )
    assert not refusal.lead_rents_only
    assert decide(WAITING, _reply(Intent.RENT_ONLY, 10)).lead_rents_only


def test_an_opt_out_ends_the_conversation() -> None:
    transition = decide(WAITING, _reply(Intent.OPT_OUT, 0))
    assert transition.opt_out and transition.closed and transition.task is None


def test_english_brokerage_reads_english() -> None:
    english = ConversationView(**{**WAITING.__dict__, "broker_language": "en"})
    offer = ReplyDecision(
        intent=Intent.PRICE_OR_OFFER,
        language="es",
        reply="ok",
        qualification_score=50,
        promise="HANDOFF",
        about="price",
    )
    transition = decide(english, offer)
    assert transition.task is not None
    assert (
        transition.task.title == "Contact Ana about offers and payment terms for Casa en Coyoacán"
    )
    assert transition.next_action == "Call the lead about the price or their offer"
