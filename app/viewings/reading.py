"""What a lead's reply means for the viewing on the table: a slot accepted, a change of day or
time, or a cancellation (pure: the text, the slots offered and the local date in, a reading out).

Read only while a viewing is PROPOSED or CONFIRMED on the conversation; anything it does not
recognise is left to the intent classifier. Spanish and English, typos and missing accents
(the text is folded first), times as people write them: "a las 13:00", "a la 1", "1pm",
"13 hrs", "a las 10 está bien"; slots by position: "la primera", "ok the second one".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from app.accounts.availability import VIEWING_LENGTH
from app.core.text import fold

Action = Literal["ACCEPT", "CHOOSE", "RESCHEDULE", "CANCEL", "KEEP"]


@dataclass(frozen=True)
class ViewingReply:
    """ACCEPT: `slot` is the offered slot chosen. CHOOSE: the lead named a day with several
    slots (`choices`), ask which. RESCHEDULE: another `day` and/or `at` (None: any other time).
    CANCEL: the lead cannot come. KEEP: the lead confirms the viewing already booked."""

    action: Action
    slot: datetime | None = None
    choices: tuple[datetime, ...] = ()
    day: date | None = None
    at: time | None = None


_WEEKDAY_WORDS = {
    "lunes": 0, "monday": 0, "mon": 0,
    "martes": 1, "tuesday": 1, "tues": 1, "tue": 1,
    "miercoles": 2, "mier": 2, "wednesday": 2, "wed": 2,
    "jueves": 3, "thursday": 3, "thurs": 3, "thu": 3,
    "viernes": 4, "friday": 4, "fri": 4,
    "sabado": 5, "sab": 5, "saturday": 5, "sat": 5,
    "domingo": 6, "dom": 6, "sunday": 6, "sun": 6,
}  # fmt: skip
_WEEKDAY = re.compile(r"\b(" + "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True)) + r")\b")
_ORDINALS = {
    "primer": 0, "primera": 0, "primero": 0, "first": 0, "1st": 0, "1a": 0, "1ra": 0, "1ro": 0,
    "segunda": 1, "segundo": 1, "second": 1, "2nd": 1, "2a": 1, "2da": 1, "2do": 1,
    "tercera": 2, "tercero": 2, "tercer": 2, "third": 2, "3rd": 2, "3a": 2, "3ra": 2, "3ro": 2,
    "ultima": -1, "ultimo": -1, "last": -1,
}  # fmt: skip
# "la primera", "the second one", "opción 2", "#3"; "primero" alone is also "first of all",
# so the bare word counts only with an article or "one"/"opción".
_ORDINAL = re.compile(
    r"\b(?:(?:la|el|the|opcion|option|horario)\s+)("
    + "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + r")\b|\b("
    + "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + r")\s+(?:one|option|opcion|slot|time|horario)\b"
)
_NUMBERED = re.compile(r"(?:\b(?:opcion|option|numero|number|no\.?)\s*|#)([1-9])\b")
_ONLY_NUMBER = re.compile(r"^\D{0,6}?\b([1-9])\b\W*$")

# Times: "13:00", "1:30pm", "a las 10", "a la 1", "at 1", "1pm", "13 hrs", "13h".
_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.h]([0-5]\d)\s*(am|pm|a\.m\.|p\.m\.|hrs?|h)?\b")
_MARKED_HOUR = re.compile(
    r"\b(?:a\s+las?|de\s+las?|tipo|at|around|by)\s+([01]?\d|2[0-3])\b"
    r"(?:\s*(am|pm|a\.m\.|p\.m\.|hrs?|h)\b)?"
)
# "10 está bien", "ok 13": a bare number, taken as an hour only when a slot starts then.
_BARE_NUMBER = re.compile(r"\b([01]?\d|2[0-3])\b")
_SUFFIXED_HOUR = re.compile(r"\b([01]?\d|2[0-3])\s*(am|pm|a\.m\.|p\.m\.|hrs?|h)\b")
_AFTERNOON = re.compile(r"\b(de|en|por)\s+la\s+tarde\b|\bafternoon\b|\bevening\b|\bnoche\b")
_MORNING = re.compile(r"\b(de|en|por)\s+la\s+manana\b|\bmorning\b")
_NOON = re.compile(r"\b(mediodia|medio\s+dia|noon)\b")
_DAY_NUMBER = re.compile(
    r"\b(?:el\s+(?:dia\s+)?|dia\s+|the\s+)([12]?\d|3[01])(?:st|nd|rd|th)?\b(?!\s*(?::|hrs?\b|h\b|am\b|pm\b))"
    r"|\b([12]?\d|3[01])(?:st|nd|rd|th)\b"
)

_CANCEL = re.compile(
    r"\b(ya\s+no\s+(puedo|podre|voy|vamos|podemos|alcanzo|llego)"
    r"|no\s+(voy\s+a\s+poder|vamos\s+a\s+poder|podre|podremos|alcanzo\s+a\s+llegar|llego|voy\s+a\s+ir|vamos\s+a\s+ir|puedo\s+ir|podre\s+ir)"
    r"|cancel\w*|anul\w*|se\s+me\s+(complico|atraveso|cruzo)|surgio\s+(algo|un)|me\s+surgio"
    r"|can'?t\s+(make\s+it|come|go|attend)|cannot\s+(make\s+it|come|go|attend)"
    r"|won'?t\s+(make\s+it|be\s+able)|not\s+(going\s+to|gonna)\s+make\s+it|unable\s+to"
    r"|something\s+came\s+up|no\s+longer\s+(come|make|attend)|call\s+(it\s+)?off)\b"
)
# A verb that moves the viewing may carry its object: "pasarla", "moverlo", "cambiarla",
# "hacerla", "pásala" (folded: "pasala"), "la recorremos".
_CLITIC = r"(?:la|lo|las|los|nos|le|selo|sela)"
_MOVE_VERBS = (
    r"pas(?:ar|amos|emos)" + _CLITIC + r"?\s+(?:para|al?|el|pa)\b|pasala"
    r"|(?:hacer|dejar|hace|deja|hacemos|dejamos)" + _CLITIC + r"|hazla|dejala"
    r"|(?:recorrer|posponer|aplazar|atrasar|adelantar)" + _CLITIC + r"?"
    r"|pospon\w*|aplaz\w*|atrasa\w*|adelanta\w*"
)
_RESCHEDULE = re.compile(
    r"\b(mejor|prefiero|preferiria|prefer|rather|reagend\w*|reprogram\w*|cambi\w*|mover\w*|muev\w*|recorr\w*"
    r"|otro\s+(dia|horario|momento)|otra\s+(hora|fecha)|en\s+vez|en\s+lugar"
    r"|(se\s+)?(puede|podemos|podria|podriamos|podra)\s+(ser|hacer|ir|vernos|dejar|pasar)"
    + _CLITIC
    + r"?"
    r"|"
    + _MOVE_VERBS
    + r"|reschedul\w*|postpone\w*|instead|another\s+(day|time)|different\s+(day|time)"
    r"|other\s+(day|time)"
    r"|how\s+about|what\s+about|move\s+it|push\s+it|bump\s+it|change\s+(it|the)|switch"
    r"|(can|could)\s+(we|i)\s+(do|make\s+it|come|go|see\s+it|move|push)|would\s+\w+\s+work|does\s+\w+\s+work)\b"
)
# What says the booked viewing stands: "confirmo", "sigue en pie", "ahí nos vemos", "still on".
_KEEP = re.compile(
    r"\b(confirm\w*|sigue\s+en\s+pie|seguimos|en\s+pie|ahi\s+(nos\s+vemos|estare|estaremos|estamos)"
    r"|alla\s+nos\s+vemos|nos\s+vemos|ahi\s+llego|ahi\s+llegamos|cuenta\s+conmigo|cuenten\s+con"
    r"|lo\s+del|la\s+visita|la\s+cita|still\s+on|we'?re\s+on|see\s+you|count\s+(me|us)\s+in"
    r"|the\s+(viewing|showing|appointment)|all\s+set|we'?ll\s+be\s+there|i'?ll\s+be\s+there)\b"
)
_NONE_OF_THEM = re.compile(
    r"\b(ninguno|ninguna|ningun|none\s+of|neither|no\s+me\s+(queda|quedan|acomoda|acomodan|sirve|sirven)"
    r"|no\s+puedo|no\s+podemos|can'?t\s+do|doesn'?t\s+work|don'?t\s+work|not\s+available|no\s+estoy)\b"
)
_YES = re.compile(
    r"\b(si|sii+|simon|ok|okay|oki|va|vale|sale|perfecto|perfect|excelente|claro|listo|dale|de\s+acuerdo"
    r"|me\s+(queda|late|parece|acomoda|sirve|funciona)|esta\s+bien|ta\s+bien|bien|confirm\w*|agend\w*|aparta\w*"
    r"|yes|yep|yeah|yup|sure|sounds\s+good|great|works|good|fine|book\s+it|see\s+you|nos\s+vemos)\b"
)


@dataclass(frozen=True)
class _When:
    days: tuple[date, ...] = ()
    hour: int | None = None
    minute: int | None = None
    ordinal: int | None = None

    @property
    def named(self) -> bool:
        return bool(self.days) or self.hour is not None


def _day_of_week(today: date, weekday: int) -> date:
    """The next such weekday after today (a lead says "el martes" for the coming one)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _day_of_month(today: date, number: int) -> date | None:
    year, month = today.year, today.month
    for _ in range(2):
        try:
            candidate = date(year, month, number)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _days(text: str, today: date) -> list[date]:
    days: list[date] = []
    if re.search(r"\bpasado\s+manana\b|\bday\s+after\s+tomorrow\b", text):
        days.append(today + timedelta(days=2))
    elif re.search(
        r"(?<!la\s)(?<!por\s)\bmanana\b(?!\s+(?:en\s+la\s+)?(?:manana))|\btomorrow\b", text
    ):
        # "mañana" is tomorrow unless it is "la mañana" (the morning).
        days.append(today + timedelta(days=1))
    if re.search(r"\b(hoy|today)\b", text):
        days.append(today)
    for match in _WEEKDAY.finditer(text):
        days.append(_day_of_week(today, _WEEKDAY_WORDS[match[1]]))
    for match in _DAY_NUMBER.finditer(text):
        found = _day_of_month(today, int(match[1] or match[2]))
        if found is not None:
            days.append(found)
    return list(dict.fromkeys(days))


_HOUR_WORDS = {
    "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
_HOUR_WORD = re.compile(
    r"\b(a\s+las?|de\s+las?|at|around)\s+("
    + "|".join(_HOUR_WORDS)
    + r")\b(\s+y\s+media|\s+thirty)?"
)


def _digits(text: str) -> str:
    """ "a la una y media" -> "a la 1:30", "at two" -> "at 2"."""
    return _HOUR_WORD.sub(lambda m: f"{m[1]} {_HOUR_WORDS[m[2]]}" + (":30" if m[3] else ""), text)


def _hour(text: str) -> tuple[int | None, int | None]:
    """The hour named (24h when it says so, else as written) and its minutes."""
    text = _digits(text)
    if _NOON.search(text):
        return 12, 0
    suffix = None
    clock = _CLOCK.search(text)
    if clock:
        hour, minute, suffix = int(clock[1]), int(clock[2]), clock[3]
    elif marked := _MARKED_HOUR.search(text):
        hour, minute, suffix = int(marked[1]), None, marked[2]
    elif suffixed := _SUFFIXED_HOUR.search(text):
        hour, minute, suffix = int(suffixed[1]), None, suffixed[2]
    else:
        return None, None
    suffix = (suffix or "").replace(".", "")
    if (suffix == "pm" or _AFTERNOON.search(text)) and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    return hour, minute


def _when(text: str, today: date, offered: int) -> _When:
    hour, minute = _hour(text)
    ordinal = None
    if found := _ORDINAL.search(text):
        ordinal = _ORDINALS[found[1] or found[2]]
    elif (found := _NUMBERED.search(text)) or (
        (found := _ONLY_NUMBER.match(text)) and int(found[1]) <= offered and hour is None
    ):
        ordinal = int(found[1]) - 1
    days = _days(_CLOCK.sub(" ", text), today)
    return _When(tuple(days), hour, minute, ordinal)


def _loose_hour(text: str, offered: Sequence[datetime]) -> _When:
    """The bare number of "10 está bien" when exactly one offered slot starts at that hour."""
    for found in _BARE_NUMBER.finditer(text):
        hour = int(found[1])
        if len([slot for slot in offered if _same_hour(slot, hour, None)]) == 1:
            return _When(hour=hour)
    return _When()


def _same_hour(slot: datetime, hour: int, minute: int | None) -> bool:
    """ "a la 1" is 13:00 and "a las 5" 17:00: viewings happen in the day, so an hour under 8
    written without am/pm means the afternoon."""
    hours = {hour} if hour >= 12 or hour == 0 else {hour, hour + 12}
    return slot.hour in hours and (minute is None or slot.minute == minute)


def _matching(offered: Sequence[datetime], when: _When) -> list[datetime]:
    if when.ordinal is not None:
        try:
            chosen = offered[when.ordinal]
        except IndexError:
            return []
        return [chosen]
    found = list(offered)
    if when.days:
        found = [slot for slot in found if slot.date() in when.days]
    if when.hour is not None:
        found = [slot for slot in found if _same_hour(slot, when.hour, when.minute)]
        if when.minute is None and len(found) > 1:
            # "10am" is 10:00, not 10:30: an hour said without minutes is on the hour.
            found = [slot for slot in found if slot.minute == 0] or found
    return found


def _new_time(when: _When) -> time | None:
    if when.hour is None:
        return None
    hour = when.hour if when.hour >= 8 or when.hour == 0 else when.hour + 12
    return time(hour % 24, when.minute or 0)


def _reschedule(text: str, today: date, offered: int) -> ViewingReply:
    """A change: the day and hour asked for after the word that asked for it ("no puedo el
    martes, mejor el jueves" is Thursday)."""
    marker = _RESCHEDULE.search(text)
    tail = text[marker.start() :] if marker else text
    when = _when(tail, today, offered)
    if not when.named and marker is None:
        when = _When()
    return ViewingReply("RESCHEDULE", day=when.days[-1] if when.days else None, at=_new_time(when))


def read_viewing_reply(
    message: str,
    offered: Sequence[datetime],
    today: date,
    *,
    confirmed: datetime | None = None,
) -> ViewingReply | None:
    """What `message` does to the viewing: `offered` are the slots proposed (local time) while
    the viewing is PROPOSED, `confirmed` its time once CONFIRMED; `today` is the local date.
    None when the message is about something else."""
    text = fold(message)
    if not text:
        return None
    if confirmed is not None:
        return _about_booking(text, message, confirmed, today)
    return _about_offer(text, message, offered, today)


def _about_booking(text: str, message: str, booked: datetime, today: date) -> ViewingReply | None:
    """A reply once the viewing is booked, read by what it says about that booking: a change
    asked for (a word that moves it, or a time other than the booked one beside a "can't"),
    a cancellation (a "can't" and no other time), the booking confirmed (a word that keeps
    it, or its own day or hour named), or nothing about it (None)."""
    changing = _RESCHEDULE.search(text)
    cancelling = _CANCEL.search(text) is not None
    refusing = _NONE_OF_THEM.search(text) is not None
    # The time asked for is the one after the word that asks ("no puedo el sábado, mejor el
    # martes" is Tuesday); a "can't" names the booked day, the time after it the new one.
    tail = text[changing.start() :] if changing else text
    when = _when(tail, today, 0)
    other_days = tuple(day for day in when.days if day != booked.date())
    other_hour = when.hour is not None and not _same_hour(booked, when.hour, when.minute)
    elsewhere = bool(other_days) or (other_hour and not (when.days and not other_days))
    wish = read_wish(tail, today)
    if changing or ((cancelling or refusing) and elsewhere):
        day = other_days[-1] if other_days else None
        at = _new_time(when) if other_hour else None
        if wish.limits_hours and not wish.around:  # "el martes en la tarde": hours, not a time
            at = None
        return ViewingReply("RESCHEDULE", day=day, at=at)
    if cancelling:
        return ViewingReply("CANCEL")
    if refusing and when.named:  # "el sábado no puedo", about the viewing booked
        return ViewingReply("RESCHEDULE")
    if refusing:
        return None
    names_booking = bool(when.days) and not other_days and not other_hour
    if _KEEP.search(text) or names_booking:
        return ViewingReply("KEEP")
    return None


def _about_offer(
    text: str, message: str, offered: Sequence[datetime], today: date
) -> ViewingReply | None:
    """A reply while slots are offered: one of them chosen (by day, hour or position), a day
    with several asked about, another time asked for, or no time suits."""
    rescheduling = _RESCHEDULE.search(text) is not None
    cancelling = _CANCEL.search(text) is not None
    refusing = _NONE_OF_THEM.search(text) is not None
    if cancelling and not rescheduling:
        return ViewingReply("CANCEL")
    wish = read_wish(message, today)
    if (wish.limits_hours or wish.weekdays) and (rescheduling or refusing or not wish.around):
        # "solo puedo después de las 7", "el jueves en la tarde": hours the lead can come, not
        # a time: an offered slot inside them on the day named is chosen, else new slots.
        if wish.dates and not refusing:
            fitting = [
                slot
                for slot in offered
                if slot.date() in wish.dates and wish.allows(slot, VIEWING_LENGTH)
            ]
            if len(fitting) == 1:
                return ViewingReply("ACCEPT", slot=fitting[0])
            if len(fitting) > 1:
                return ViewingReply("CHOOSE", choices=tuple(fitting))
        return ViewingReply("RESCHEDULE", day=wish.dates[-1] if wish.dates else None)
    if rescheduling:
        if not cancelling and not refusing:
            # "mejor el martes a la 1" with Tuesday 13:00 among the slots is a choice.
            when = _when(text[_RESCHEDULE.search(text).start() :], today, len(offered))  # type: ignore[union-attr]
            chosen = _matching(offered, when) if when.named or when.ordinal is not None else []
            if len(chosen) == 1:
                return ViewingReply("ACCEPT", slot=chosen[0])
        return _reschedule(text, today, len(offered))
    when = _when(text, today, len(offered))
    if not when.named and when.ordinal is None and _YES.search(text):
        when = _loose_hour(text, offered)
    if refusing:
        if when.named or re.search(r"\b(ninguno|ninguna|none|neither|esos|those)\b", text):
            return ViewingReply("RESCHEDULE")
        return None
    if when.ordinal is not None or when.named:
        chosen = _matching(offered, when)
        if len(chosen) == 1:
            return ViewingReply("ACCEPT", slot=chosen[0])
        if len(chosen) > 1:
            return ViewingReply("CHOOSE", choices=tuple(chosen))
        if when.named and (_YES.search(text) or len(text.split()) <= 8 or when.days):
            # A time that was not offered: the lead proposes their own.
            return ViewingReply(
                "RESCHEDULE", day=when.days[-1] if when.days else None, at=_new_time(when)
            )
        return None
    if len(offered) == 1 and _YES.search(text) and "?" not in message:
        return ViewingReply("ACCEPT", slot=offered[0])
    return None


# "llevo a mi esposa", "voy con mi novio", "vamos a ir", "my wife is coming too", "we'll be
# there": more than the lead comes.
_TOGETHER = re.compile(
    r"\b(llevo|traigo|voy\s+con|vengo\s+con|vamos|iremos|estaremos|llegamos|venimos|tenemos"
    r"|queremos|mi\s+(esposa|esposo|pareja|novia|novio|mujer|marido|familia|socio|socia)\s+y\s+yo"
    r"|(bring|bringing|coming\s+with)\b|my\s+(wife|husband|partner|fiance|fiancee|family)"
    r"|we|we'?ll|we'?re|both\s+of\s+us|the\s+two\s+of\s+us)\b"
)


def together(message: str) -> bool:
    """Whether the lead comes with someone (the booking is confirmed to them all)."""
    return _TOGETHER.search(fold(message)) is not None


def besides_booking(message: str, today: date) -> str:
    """The sentences of a reply that are not about the booked viewing ("Confirmo lo del
    sábado. ¿Tiene estacionamiento?" -> "¿Tiene estacionamiento?"), answered beside the
    booking said back; "" when the reply is only about it."""
    sentences = re.split(r"(?<=[.?!\n])\s*", message)
    return " ".join(
        sentence.strip()
        for sentence in sentences
        if sentence.strip()
        and not _KEEP.search(fold(sentence))
        and not _when(fold(sentence), today, 0).named
    )


def names_a_time(message: str) -> bool:
    """Whether a message names a day and an hour to come ("¿podría verla el viernes a las
    12:30?"): a question the viewing's answer takes up, not one for the broker."""
    return asked_time(message, date(2000, 1, 3)) is not None


def asked_time(message: str, today: date) -> datetime | None:
    """The one day and hour a lead asks to come ("listo martes a las 3", "can I see it next
    wednesday at 5pm?", "thursday after work like 6:30"), as a naive local time; None when
    they name no day, several days, or no hour (then slots are offered)."""
    wish = read_wish(message, today)
    if len(wish.dates) != 1 or wish.around is None:
        return None
    return datetime.combine(wish.dates[0], wish.around)


# --- when the lead can come ------------------------------------------------------------------

_AFTER_WORDS = (
    r"(?:despues|depues|despue|despues|dspues|dsps|dsp|luego)\s+de(?:\s+las?)?"
    r"|a\s+partir\s+de(?:\s+las?)?|desde\s+las?|no\s+(?:puedo\s+)?antes\s+de(?:\s+las?)?"
    r"|after|from|later\s+than|not\s+before|no\s+earlier\s+than"
)
_BEFORE_WORDS = (
    r"antes\s+de(?:\s+las?)?|hasta\s+las?|no\s+(?:puedo\s+)?despues\s+de(?:\s+las?)?"
    r"|before|until|till|by|not\s+after|no\s+later\s+than"
)
# An hour, never a count of something else ("después de 2 semanas", "from 5th Avenue").
_HOUR_BOUND = (
    r"(?P<hour>[01]?\d|2[0-3])(?![\d/])(?:[:.](?P<minute>[0-5]\d))?"
    r"\s*(?P<half>am|pm|a\.m\.|p\.m\.|hrs?|h)?"
    r"(?!\s*(?:minutos|mins?|semanas?|weeks?|dias?|days?|mes|meses|months?|horas?|hours?"
    r"|anos?|years?|st|nd|rd|th|de\s+(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto"
    r"|septiembre|octubre|noviembre|diciembre))\b)"
)
_AFTER = re.compile(rf"\b(?:{_AFTER_WORDS})\s+{_HOUR_BOUND}")
_BEFORE = re.compile(rf"\b(?:{_BEFORE_WORDS})\s+{_HOUR_BOUND}")
_BEFORE_NOON = re.compile(r"\b(?:antes\s+de(?:l)?\s+(?:medio\s*dia|mediodia)|before\s+noon)\b")
_AFTER_NOON = re.compile(r"\b(?:despues\s+de(?:l)?\s+(?:medio\s*dia|mediodia)|after\s+noon)\b")
_MORNINGS = re.compile(
    r"\b(?:(?:de|en|por)\s+la\s+manana|(?:en\s+)?las\s+mananas|temprano|mornings?|early)\b"
)
_AFTERNOONS = re.compile(r"\b(?:(?:de|en|por)\s+la\s+tarde|las\s+tardes|afternoons?)\b")
_EVENINGS = re.compile(r"\b(?:(?:de|en|por)\s+la\s+noche|las\s+noches|evenings?|nights?|tonight)\b")
_NOT_MORNINGS = re.compile(
    r"\bno\s+(?:puedo\s+|me\s+queda\s+)?(?:(?:de|en|por)\s+la\s+manana|(?:en\s+)?las\s+mananas)"
    r"|\b(?:can'?t|cannot|not)\s+(?:do\s+)?(?:in\s+the\s+)?mornings?\b"
)
_WEEKDAYS_ONLY = re.compile(
    r"\b(?:entre\s+semana|weekdays?|during\s+the\s+week|de\s+lunes\s+a\s+viernes"
    r"|monday\s+(?:to|through|thru)\s+friday|dias?\s+habiles?)\b"
)
_WEEKEND = re.compile(r"\b(?:fin(?:es)?\s+de\s+semana|finde|weekends?)\b")


@dataclass(frozen=True)
class Wish:
    """When a lead says they can come: `dates` named ("el jueves"), `weekdays` allowed
    (weekdays, the weekend; empty: any), a viewing starting at or after `after`, starting
    before `until`, over by `ends_by`, and a time named as a wish (`around`: "como a las 5")."""

    dates: tuple[date, ...] = ()
    weekdays: frozenset[int] = frozenset()
    after: time | None = None
    until: time | None = None
    ends_by: time | None = None
    around: time | None = None

    @property
    def limits_hours(self) -> bool:
        return any(t is not None for t in (self.after, self.until, self.ends_by))

    @property
    def said(self) -> bool:
        """Whether the lead said anything about when."""
        return bool(self.dates or self.weekdays or self.limits_hours or self.around)

    def allows(self, start: datetime, length: timedelta) -> bool:
        """Whether a viewing at `start` (local time) lasting `length` is inside the wish."""
        if self.weekdays and start.weekday() not in self.weekdays:
            return False
        clock = start.time()
        if self.after is not None and clock < self.after:
            return False
        if self.until is not None and clock >= self.until:
            return False
        if self.ends_by is not None:
            end = start + length
            if end.date() > start.date() or end.time() > self.ends_by:
                return False
        return True


def _bound(found: re.Match[str], text: str) -> time:
    """The hour of "después de las 7", "before 2pm": a bare hour under 8 is the afternoon."""
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    half = (found["half"] or "").replace(".", "")
    evening = _AFTERNOONS.search(text) or _EVENINGS.search(text)
    if half == "pm" or (half != "am" and hour < 12 and (hour < 8 or evening)):
        hour = (hour % 12) + 12
    elif half == "am" and hour == 12:
        hour = 0
    return time(hour, minute)


def read_wish(message: str, today: date) -> Wish:
    """The days and hours a lead says they can come, in Spanish or English, from a message
    like "solo puedo después de las 7pm", "weekday evening after 6" or "jueves en la tarde como
    a las 5" (folded: typos in accents do not matter)."""
    text = fold(message)
    after: time | None = None
    until: time | None = None
    ends_by: time | None = None
    if found := _AFTER.search(text):
        after = _bound(found, text)
    elif _AFTER_NOON.search(text):
        after = time(12)
    if found := _BEFORE.search(text):
        ends_by = _bound(found, text)
    elif _BEFORE_NOON.search(text):
        ends_by = time(12)
    bounds = _AFTER.sub(" ", _BEFORE.sub(" ", text))
    if _NOT_MORNINGS.search(text):
        after = max(after or time(12), time(12))
    elif _MORNINGS.search(bounds):
        until = time(12)
    elif _AFTERNOONS.search(bounds):
        after = max(after or time(12), time(12))
        until = time(19)
    elif _EVENINGS.search(bounds):
        night = re.search(r"\bnoches?\b", bounds) is not None
        after = max(after or time(18), time(19) if night else time(18))
    weekdays: frozenset[int] = frozenset()
    if _WEEKDAYS_ONLY.search(text):
        weekdays = frozenset(range(5))
    elif _WEEKEND.search(text):
        weekdays = frozenset((5, 6))
    dates = tuple(day for day in _days(_CLOCK.sub(" ", bounds), today) if day != today) or tuple(
        _days(_CLOCK.sub(" ", bounds), today)
    )
    if weekdays and re.search(r"\blunes\s+a\s+viernes|\bmonday\s+(to|through|thru)\s+fri", text):
        dates = ()  # "de lunes a viernes" names a range, not two days
    hour, minute = _hour(bounds)
    around = None
    if hour is not None:
        around = _new_time(_When(hour=hour, minute=minute))
    return Wish(dates, weekdays, after, until, ends_by, around)


def requested_day(message: str, today: date) -> date | None:
    """The day a lead asks to come ("el sábado", "mañana", "el 12"), if they name one."""
    days = _days(_CLOCK.sub(" ", fold(message)), today)
    return days[-1] if days else None
