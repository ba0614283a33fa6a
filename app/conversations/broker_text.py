"""What the broker reads (next actions, task titles), in the brokerage's language.

Wording is data: one table per language, looked up by key and formatted with the few names it
needs. The lead's language never decides these: a Spanish brokerage reads Spanish. Every task
title names the lead, and Spanish titles avoid gendered agreement ("Lead calificado: Fernanda").
"""

from __future__ import annotations

from typing import Literal

BrokerLanguage = Literal["es", "en"]

BROKER_TEXT: dict[BrokerLanguage, dict[str, str]] = {
    "es": {
        "next.approve": "Aprobar o editar el primer mensaje",
        "next.waiting": "Esperando la respuesta del lead",
        "next.start_held": (
            "Primer mensaje demorado por un error ({error}); se intenta otra vez en unos minutos"
        ),
        "next.start_failed": (
            "Primer mensaje no enviado: falló {tries} veces ({error}). Escriba usted al lead"
        ),
        "next.taken_over": "Usted atiende esta conversación",
        "next.held_for_asked": (
            "Primero se responde la propiedad por la que preguntó; esta se ofrece después"
        ),
        "next.viewing": "Llamar al lead: confirmar la hora de la visita",
        "next.qualified": "Llamar al lead: está calificado",
        "next.price": "Llamar al lead por el precio o su oferta",
        "next.question": "Responder la pregunta del lead",
        "next.handoff": "Responder al lead",
        "next.call_back": "Llamar al lead: pidió una llamada",
        "task.call_back": "Llamar a {lead} al {phone}: pidió una llamada",
        "task.referral": "{lead} recomienda a {referred}: pedir su permiso antes de escribirle",
        "task.referral.incomplete": "{lead} recomienda a alguien que también busca: pedir sus"
        " datos",
        "referral.someone": "alguien",
        "referral.summary": (
            '{lead} escribió: "{said}"\nNo se le ha escrito a la persona recomendada: confirme que'
            " está de acuerdo antes de contactarla."
        ),
        "referral.note": 'Recomendado por {lead}: "{said}"',
        "next.referral": "Contactar a la persona que recomendó el lead, con su permiso",
        "task.call_hot_lead": "Llamar hoy a {lead}",
        "task.viewing": "{lead} quiere ver {listing}",
        "task.qualified": "Lead calificado: {lead}, para {listing}",
        "task.price": "Contactar a {lead} sobre ofertas y formas de pago de {listing}",
        "task.offer": "Responder la oferta de {lead} por {listing}",
        "task.negotiate": "Responder a {lead} si el precio de {listing} es negociable",
        "task.negotiate_terms": "Responder a {lead} si se pueden negociar las condiciones de"
        " {listing}",
        "task.question": "{lead} pregunta sobre {listing}",
        "task.handoff": "{lead} espera su respuesta sobre {listing}",
        "a_lead": "Un lead",
        "card.hot": "Coincide con {listing} con {score} puntos ({why}).",
        "card.looking_for": "Busca: {wants}.",
        "card.no_preferences": "sin preferencias registradas",
        "card.up_to": "hasta {amount}",
        "card.bedrooms": "{count} recámaras",
        "card.qualified": "{listing} ({price}). Llamar hoy.",
        "signal.financing": "crédito aprobado o pago de contado",
        "signal.timeline": "tiene fecha para decidir",
        "signal.viewing_requested": "pidió una visita",
        "signal.viewing_confirmed": "confirmó una visita",
        "signal.budget_confirmed": "el precio entra en su presupuesto",
        "signal.interested": "mostró interés",
        "signal.quick_reply": "responde rápido",
        "component.location": "zona",
        "component.price": "precio",
        "component.bedrooms": "recámaras",
        "component.recency": "contacto reciente",
        "component.quality": "datos completos",
        "summary.listing": "Propiedad: {listing}, {place} ({price})",
        "summary.score": "Calificación: {score}/100",
        "summary.lead": "Lead: {wants}.",
        "summary.looking_for": "Busca: {wants}.",
        "summary.areas": "zonas {places}",
        "summary.budget": "presupuesto {amount} {currency}",
        "summary.budget_range": "{low}-{high}",
        "summary.monthly": " al mes",
        "summary.quotes": "En sus palabras:",
        "summary.last_said": "Lo último que dijo el asistente: {text}",
        "intent.INTERESTED": "tiene interés",
        "intent.VIEWING_REQUEST": "quiere una visita",
        "intent.PRICE_OR_OFFER": "preguntó por el precio, una oferta o el crédito",
        "intent.PROPERTY_QUESTION": "preguntó sobre la propiedad",
        "intent.TOO_EXPENSIVE": "le parece cara",
        "intent.NOT_INTERESTED": "no le interesa",
        "intent.RENT_ONLY": "solo quiere rentar",
        "intent.OPT_OUT": "pidió no recibir mensajes",
    },
    "en": {
        "next.approve": "Approve or edit the first message",
        "next.waiting": "Waiting for the lead's reply",
        "next.start_held": (
            "First message delayed by an error ({error}); it is tried again in a few minutes"
        ),
        "next.start_failed": (
            "First message not sent: it failed {tries} times ({error}). Write to the lead yourself"
        ),
        "next.taken_over": "You are handling this conversation",
        "next.held_for_asked": (
            "The listing they asked about is answered first; this one is offered later"
        ),
        "next.viewing": "Call the lead: confirm a viewing time",
        "next.qualified": "Call the lead: they are qualified",
        "next.price": "Call the lead about the price or their offer",
        "next.question": "Answer the lead's question",
        "next.handoff": "Get back to the lead",
        "next.call_back": "Call the lead: they asked for a call",
        "task.call_back": "Call {lead} at {phone}: they asked for a call",
        "task.referral": "{lead} referred {referred}: ask for their permission before writing",
        "task.referral.incomplete": "{lead} referred someone who is looking too: ask for their"
        " details",
        "referral.someone": "someone",
        "referral.summary": (
            '{lead} wrote: "{said}"\nNobody has written to the person referred: confirm they agree'
            " before contacting them."
        ),
        "referral.note": 'Referred by {lead}: "{said}"',
        "next.referral": "Contact the person the lead referred, with their permission",
        "task.call_hot_lead": "Call {lead} today",
        "task.viewing": "{lead} wants to see {listing}",
        "task.qualified": "Qualified lead: {lead}, for {listing}",
        "task.price": "Contact {lead} about offers and payment terms for {listing}",
        "task.offer": "Answer {lead}'s offer for {listing}",
        "task.negotiate": "Tell {lead} whether the price of {listing} is negotiable",
        "task.negotiate_terms": "Tell {lead} whether the terms of {listing} are negotiable",
        "task.question": "{lead} asks about {listing}",
        "task.handoff": "{lead} is waiting for your answer about {listing}",
        "a_lead": "A lead",
        "card.hot": "Matches {listing} with {score} points ({why}).",
        "card.looking_for": "Looking for: {wants}.",
        "card.no_preferences": "no preferences recorded",
        "card.up_to": "up to {amount}",
        "card.bedrooms": "{count} bedrooms",
        "card.qualified": "{listing} ({price}). Call today.",
        "signal.financing": "financing approved or paying cash",
        "signal.timeline": "has a timeline",
        "signal.viewing_requested": "asked for a viewing",
        "signal.viewing_confirmed": "confirmed a viewing",
        "signal.budget_confirmed": "the price fits their budget",
        "signal.interested": "interested",
        "signal.quick_reply": "replies quickly",
        "component.location": "location",
        "component.price": "price",
        "component.bedrooms": "bedrooms",
        "component.recency": "recency",
        "component.quality": "quality",
        "summary.listing": "Property: {listing}, {place} ({price})",
        "summary.score": "Qualification: {score}/100",
        "summary.lead": "Lead: {wants}.",
        "summary.looking_for": "Looking for: {wants}.",
        "summary.areas": "areas {places}",
        "summary.budget": "budget {amount} {currency}",
        "summary.budget_range": "{low}-{high}",
        "summary.monthly": " a month",
        "summary.quotes": "In their words:",
        "summary.last_said": "Last said by the assistant: {text}",
        "intent.INTERESTED": "interested",
        "intent.VIEWING_REQUEST": "wants a viewing",
        "intent.PRICE_OR_OFFER": "asked about price, an offer or financing",
        "intent.PROPERTY_QUESTION": "asked about the property",
        "intent.TOO_EXPENSIVE": "finds it too expensive",
        "intent.NOT_INTERESTED": "not interested",
        "intent.RENT_ONLY": "only wants to rent",
        "intent.OPT_OUT": "asked to stop",
    },
}


def broker_language(language: str | None) -> BrokerLanguage:
    return "en" if language == "en" else "es"


def broker_text(language: str | None, key: str, **names: str) -> str:
    """The broker-facing sentence `key` in the brokerage's language."""
    table = BROKER_TEXT[broker_language(language)]
    if "lead" in names and not names["lead"]:
        names["lead"] = table["a_lead"]
    return table[key].format(**names)
