"""The morning digest's words (es with tú or usted, en) and its Jinja2 templates (text and HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.digest.repository import Call, Waiting
from app.viewings.wording import Language, clock, day_name

_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",)),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)

_ES_TU: dict[str, str] = {
    "subject": "Tu día: {calls} por llamar, {waiting} respuestas esperándote",
    "greeting": "Buenos días, {name}.",
    "intro": "Este es tu día en {brokerage}, {date}.",
    "calls": "A quién llamar hoy",
    "no_calls": "Hoy no hay nadie a quien llamar.",
    "VIEWING": "visita a las {time} en {listing}",
    # "Lead calificado", as the broker's tasks say: "calificado" alone would agree with the
    # person (a Beto, an Ana) and read wrong for half of them.
    "QUALIFIED": "lead calificado para {listing} (puntaje {score})",
    "HOT": "coincidencia fuerte con {listing}",
    "more": "…y {n} más en tu panel.",
    "yesterday": "Lo que hizo la IA ayer",
    "first_messages": "primeros mensajes enviados",
    "follow_ups": "seguimientos enviados",
    "replies": "respuestas a prospectos",
    "viewing_messages": "confirmaciones y recordatorios de visitas",
    "leads_replied": "prospectos respondieron",
    "leads_qualified": "prospectos calificados",
    "meetings": "visitas confirmadas",
    "quiet": "Un día tranquilo: no salió ningún mensaje.",
    "waiting": "Respuestas que te esperan",
    "no_waiting": "No hay nada esperándote.",
    "QUESTION": "una pregunta que solo tú puedes responder",
    "APPROVAL": "una respuesta redactada por aprobar",
    "TAKEN_OVER": "escribió en una conversación que tomaste",
    "drafts": "{n} primeros mensajes esperan tu aprobación.",
    "open": "Abre tu panel",
    "settings": "Recibes este correo cada mañana a las 8:00. Puedes desactivarlo en "
    "Configuración: {url}",
    # One of a kind (the keys above are for any other count).
    "subject_one": "Tu día: {calls} por llamar, {waiting} respuesta esperándote",
    "first_messages_one": "primer mensaje enviado",
    "follow_ups_one": "seguimiento enviado",
    "replies_one": "respuesta a un prospecto",
    "viewing_messages_one": "confirmación o recordatorio de visita",
    "leads_replied_one": "prospecto respondió",
    "leads_qualified_one": "prospecto calificado",
    "meetings_one": "visita confirmada",
    "drafts_one": "{n} primer mensaje espera tu aprobación.",
}

# Spanish in tú and in usted (the brokerage's formality), and English.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "subject": "Your day: {calls} to call, {waiting} replies waiting",
        "greeting": "Good morning, {name}.",
        "intro": "Here is your day at {brokerage}, {date}.",
        "calls": "Whom to call today",
        "no_calls": "Nobody needs a call today.",
        "VIEWING": "viewing at {time} at {listing}",
        "QUALIFIED": "qualified for {listing} (score {score})",
        "HOT": "hot match for {listing}",
        "more": "…and {n} more on your dashboard.",
        "yesterday": "What the AI did yesterday",
        "first_messages": "first messages sent",
        "follow_ups": "follow-ups sent",
        "replies": "answers to leads",
        "viewing_messages": "viewing confirmations and reminders",
        "leads_replied": "leads replied",
        "leads_qualified": "leads qualified",
        "meetings": "viewings confirmed",
        "quiet": "A quiet day: no messages went out.",
        "waiting": "Replies waiting for you",
        "no_waiting": "Nothing is waiting for you.",
        "QUESTION": "a question only you can answer",
        "APPROVAL": "a drafted answer to approve",
        "TAKEN_OVER": "wrote in a conversation you took over",
        "drafts": "{n} first messages are waiting for your approval.",
        "open": "Open your dashboard",
        "settings": "You get this e-mail every morning at 8:00. Turn it off in Settings: {url}",
        # One of a kind (the keys above are for any other count).
        "subject_one": "Your day: {calls} to call, {waiting} reply waiting",
        "first_messages_one": "first message sent",
        "follow_ups_one": "follow-up sent",
        "replies_one": "answer to a lead",
        "viewing_messages_one": "viewing confirmation or reminder",
        "leads_replied_one": "lead replied",
        "leads_qualified_one": "lead qualified",
        "meetings_one": "viewing confirmed",
        "drafts_one": "{n} first message is waiting for your approval.",
    },
    "es_tu": _ES_TU,
    # Usted: what differs from tú (the rest is the same words).
    "es_usted": {
        **_ES_TU,
        "subject": "Su día: {calls} por llamar, {waiting} respuestas esperándole",
        "intro": "Este es su día en {brokerage}, {date}.",
        "more": "…y {n} más en su panel.",
        "waiting": "Respuestas que le esperan",
        "no_waiting": "No hay nada esperándole.",
        "QUESTION": "una pregunta que solo usted puede responder",
        "TAKEN_OVER": "escribió en una conversación que usted tomó",
        "drafts": "{n} primeros mensajes esperan su aprobación.",
        "open": "Abra su panel",
        "settings": "Recibe este correo cada mañana a las 8:00. Puede desactivarlo en "
        "Configuración: {url}",
        "subject_one": "Su día: {calls} por llamar, {waiting} respuesta esperándole",
        "drafts_one": "{n} primer mensaje espera su aprobación.",
    },
}

SHOWN = 15  # calls and waiting replies listed in full; the rest are counted


@dataclass(frozen=True)
class Yesterday:
    first_messages: int
    follow_ups: int
    replies: int
    viewing_messages: int
    leads_replied: int
    leads_qualified: int
    meetings: int


@dataclass(frozen=True)
class DigestContent:
    name: str
    brokerage: str
    language: str  # es | en
    formality: str  # TU | USTED
    day: date
    calls: list[Call]
    yesterday: Yesterday
    waiting: list[Waiting]
    drafts: int
    dashboard_url: str
    settings_url: str
    zone: Any = field(default=None)

    @property
    def empty(self) -> bool:
        y = self.yesterday
        worked = y.first_messages + y.follow_ups + y.replies + y.viewing_messages
        return not (self.calls or self.waiting or self.drafts or worked)


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


def words_for(language: str, formality: str) -> dict[str, str]:
    if language == "en":
        return WORDS["en"]
    return WORDS["es_usted" if formality == "USTED" else "es_tu"]


def render(content: DigestContent) -> RenderedDigest:
    language: Language = "en" if content.language == "en" else "es"
    w = words_for(language, content.formality)

    def call_line(call: Call) -> str:
        at = call.at.astimezone(content.zone) if call.at and content.zone else call.at
        return w[call.reason].format(
            time=clock(at, language) if at else "",
            listing=call.listing,
            score=call.score,
        )

    def counted(key: str, n: int) -> str:
        """The words for `n` of a kind: "1 primer mensaje enviado", "2 primeros mensajes..."."""
        return w[f"{key}_one"] if n == 1 else w[key]

    y = content.yesterday
    worked = [
        (n, counted(key, n))
        for key, n in (
            ("first_messages", y.first_messages),
            ("follow_ups", y.follow_ups),
            ("replies", y.replies),
            ("viewing_messages", y.viewing_messages),
        )
    ]
    results = [
        (n, counted(key, n))
        for key, n in (
            ("leads_replied", y.leads_replied),
            ("leads_qualified", y.leads_qualified),
            ("meetings", y.meetings),
        )
    ]
    waiting = len(content.waiting)
    subject = counted("subject", waiting).format(calls=len(content.calls), waiting=waiting)
    context: dict[str, Any] = {
        "lang": language,
        "w": w,
        "subject": subject,
        "greeting": w["greeting"].format(name=content.name.split()[0] if content.name else ""),
        "intro": w["intro"].format(
            brokerage=content.brokerage, date=day_name(content.day, language)
        ),
        "calls": [
            {
                "name": c.lead_name,
                "phone": c.phone or "",
                "email": c.email or "",
                "why": call_line(c),
            }
            for c in content.calls[:SHOWN]
        ],
        "more_calls": w["more"].format(n=len(content.calls) - SHOWN)
        if len(content.calls) > SHOWN
        else "",
        "worked": [(n, label) for n, label in worked if n],
        "results": [(n, label) for n, label in results if n],
        "waiting": [
            {
                "name": item.lead_name,
                "listing": item.listing,
                "why": w[item.kind],
                "text": _snippet(item.text),
            }
            for item in content.waiting[:SHOWN]
        ],
        "more_waiting": w["more"].format(n=len(content.waiting) - SHOWN)
        if len(content.waiting) > SHOWN
        else "",
        "drafts": counted("drafts", content.drafts).format(n=content.drafts)
        if content.drafts
        else "",
        "dashboard_url": content.dashboard_url,
        "settings": w["settings"].format(url=content.settings_url),
    }
    return RenderedDigest(
        subject=subject,
        text=_ENV.get_template("digest.txt").render(context),
        html=_ENV.get_template("digest.html").render(context),
    )


def _snippet(text: str, limit: int = 140) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
