"""The first text (SMS) of a conversation: its own short template, not the e-mail cut down
(pure: facts in, text out).

One or two short sentences that say who writes and what for, within 2 segments together with
the stop line the outbox adds to a first text to a number (CONVERSATION.md section 3). Spanish
keeps its accents, so it is counted as UCS-2: the template tries the fullest wording first and
drops details (the brokerage, then the size, then the price) until the text fits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from app.conversations.facts import kind_phrase, listing_phrase
from app.conversations.intents import detect_language
from app.conversations.replies import LeadFacts, PropertyFacts, format_location, format_price
from app.core.text import fold
from app.messaging.segments import sms_segments
from app.messaging.stop_line import stop_line

MAX_FIRST_TEXT_SEGMENTS = 2
_TITLE_MAX = 40


def _bedrooms(count: int, language: str) -> str:
    if language == "es":
        return f"{count} recámara" if count == 1 else f"{count} recámaras"
    return f"{count} bedroom" if count == 1 else f"{count} bedrooms"


def _candidates(
    lead: LeadFacts,
    prop: PropertyFacts,
    language: str,
    usted: bool,
    agent: str | None,
    brokerage: str | None,
    fits_budget: bool,
) -> Iterator[str]:
    es = language == "es"
    name = lead.first_name
    hello = (f"Hola, {name}." if name else "Hola.") if es else (f"Hi {name}," if name else "Hi,")
    where = format_location(prop)
    what = prop.title if len(prop.title) <= _TITLE_MAX else None
    translated = bool(what) and detect_language(prop.title) not in (None, language)
    if what and translated:  # "3BR house" to a Spanish lead: its kind and place in Spanish
        named = kind_phrase(prop, language) or listing_phrase(prop, language, definite=False)
        what = named[:1].upper() + named[1:]
    price = format_price(prop, "es" if es else "en")
    rooms = _bedrooms(prop.bedrooms, language) if prop.bedrooms else None
    if es:
        ask = "¿Le interesa?" if usted else "¿Te interesa?"
        budget = ", en su presupuesto" if usted else ", en tu presupuesto"
    else:
        ask = "Interested?"
        budget = ", within your budget"
    # Who writes, fullest first: "Lucía Ferrer, de Casa Rioja", "Lucía, de Casa Rioja",
    # "Lucía Ferrer", "Lucía", or the brokerage alone when no one is named.
    # With a brokerage, every wording names it (section 2: who writes and from where); the
    # agent's name alone was what a Mexican text fell back to.
    whos: list[str] = []
    first = agent.split()[0] if agent and agent.split() else None
    for person in dict.fromkeys(p for p in (agent, first) if p):
        if brokerage and person != brokerage:
            whos.append(f"{person}, de {brokerage}" if es else f"{person} from {brokerage}")
    if brokerage:
        whos.append(brokerage)
    whos += [who for who in dict.fromkeys((agent, first)) if who and who not in whos]
    places = []
    at = " en " if es else " in "
    if what:
        # Each place once: the parts of the location the title already says are not repeated.
        unsaid = [p.strip() for p in where.split(",") if p.strip() and fold(p.strip()) not in
                  fold(what)] if not translated else []  # fmt: skip
        places.append(f"{what}{at}{', '.join(unsaid)}" if unsaid else what)
        if len(unsaid) > 1:
            places.append(f"{what}{at}{unsaid[0]}")
        if unsaid and prop.location and fold(prop.location.split(",")[0]) in fold(what):
            places.append(what)  # the title already says where, the city aside
    home = "Una propiedad en " if es else "A home in "
    for shown in dict.fromkeys((where, prop.location, prop.location.split(",")[0].strip())):
        if shown:  # "Del Carmen, Coyoacán, Ciudad de México", then shorter
            places.append(f"{home}{shown}")
    # Shortest: its kind and its first place ("Una casa en Del Carmen"), so that who writes
    # and from which brokerage always fit.
    kind = kind_phrase(prop, language)
    if kind and len(kind) < len(places[-1]):
        places.append(kind[:1].upper() + kind[1:])
    details = [
        (rooms, price + (budget if fits_budget else "")),
        (rooms, price),
        (None, price),
        (None, None),
    ]
    # What is dropped first: details before the place, the place before the price, the price
    # before the writer's full name and brokerage, and who writes last of all (section 2: who
    # is writing, and from which brokerage, comes first).
    options = [
        (who_rank, place_rank, detail_rank)
        for who_rank in range(len(whos) + 1)
        for place_rank in range(len(places))
        for detail_rank in range(len(details))
    ]
    options.sort(key=lambda o: (o[0] == len(whos), o[0], details[o[2]][1] is None, o[1], o[2]))
    for who_rank, place_rank, detail_rank in options:
        who = whos[who_rank] if who_rank < len(whos) else ""
        place = places[place_rank]
        size, cost = details[detail_rank]
        facts = ", ".join(fact for fact in (size, cost) if fact)
        about = f"{place}: {facts}." if facts else f"{place}."
        if es and who and who == brokerage:  # no person named: "Le escribimos de Casa Rioja."
            intro = f"{'Le' if usted else 'Te'} escribimos de {who}. "
            yield f"{hello} {intro}{about} {ask}"
        elif es:
            intro = f"Soy {who}. " if who else ""
            yield f"{hello} {intro}{about} {ask}"
        elif who:
            yield f"{hello} this is {who}. {about[0].upper()}{about[1:]} {ask}"
        else:  # no one to name: the greeting ends its sentence ("Hi Ana. A home in…")
            yield f"{hello[:-1]}. {about[0].upper()}{about[1:]} {ask}"


def first_text(
    lead: LeadFacts,
    prop: PropertyFacts,
    language: str,
    *,
    formality: str = "TU",
    agent: str | None = None,
    brokerage: str | None = None,
    breakdown: Mapping[str, float] | None = None,
) -> str:
    """The first SMS to a lead about a listing: the fullest wording that, with the stop line,
    costs at most two segments."""
    usted = formality.upper() == "USTED"
    line = stop_line(language, formality)
    fits_budget = float((breakdown or {}).get("price", 0) or 0) > 0
    last = ""
    for text in _candidates(lead, prop, language, usted, agent, brokerage, fits_budget):
        last = text
        if sms_segments(f"{text}\n{line}") <= MAX_FIRST_TEXT_SEGMENTS:
            return text
    # Nothing fitted (a very long place name): cut the shortest wording at a word boundary.
    while last and sms_segments(f"{last}…\n{line}") > MAX_FIRST_TEXT_SEGMENTS:
        last = last.rsplit(" ", 1)[0]
    return f"{last}…"
