"""What the agent says about a viewing, in Spanish (tú or usted) and English, and the broker's
task for it in the brokerage's language (pure: facts in, text out).

Dates are the listing's local time; an address is said only when the listing has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import groupby
from typing import Literal

from app.messaging.segments import sms_segments

Language = Literal["es", "en"]
Formality = Literal["TU", "USTED"]

_WEEKDAYS = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def clock(at: datetime, language: Language) -> str:
    """'13:00' / '1:00 PM'."""
    if language == "es":
        return f"{at:%H:%M}"
    return f"{at.hour % 12 or 12}:{at:%M} {'AM' if at.hour < 12 else 'PM'}"


def day_name(at: date, language: Language, *, month: bool = True) -> str:
    """'martes 8 de diciembre' / 'Tuesday, December 8' (without the month: 'martes 8')."""
    weekday = _WEEKDAYS[language][at.weekday()]
    if language == "es":
        return f"{weekday} {at.day}" + (f" de {_MONTHS['es'][at.month - 1]}" if month else "")
    return f"{weekday}, {_MONTHS['en'][at.month - 1]} {at.day}"


def when(at: datetime, language: Language, article: str = "el") -> str:
    """'el martes 8 de diciembre a las 13:00' (or 'del martes...') / 'Tuesday, December 8 at
    1:00 PM'."""
    if language == "es":
        hour = "a la" if at.hour == 1 else "a las"
        return f"{article} {day_name(at, language)} {hour} {clock(at, language)}"
    return f"{day_name(at, language)} at {clock(at, language)}"


def _either(items: Sequence[str], conjunction: str) -> str:
    """'a, b o c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def slots_phrase(slots: Sequence[datetime], language: Language) -> str:
    """'el martes 8 de diciembre a las 10:00 o a las 13:00, o el miércoles 9 a las 11:00'."""
    days = []
    first = True
    for _, group in groupby(slots, key=lambda slot: slot.date()):
        times = list(group)
        if language == "es":
            hours = _either(
                [f"{'a la' if t.hour == 1 else 'a las'} {clock(t, language)}" for t in times], "o"
            )
            days.append(f"el {day_name(times[0], language, month=first)} {hours}")
        else:
            hours = _either([clock(t, language) for t in times], "or")
            days.append(f"{day_name(times[0], language)} at {hours}")
        first = False
    return (", o " if language == "es" else ", or ").join(days)


@dataclass(frozen=True)
class Voice:
    """Who is spoken to and how: the lead's first name, language and the brokerage's formality."""

    language: Language
    formality: Formality = "TU"
    first_name: str | None = None
    # The agent signs as themself (`replies.own_voice`): what the broker will do is said in
    # the first person ("te mando la dirección"), never "Jorge te manda" above Jorge's name.
    own: bool = False

    @property
    def usted(self) -> bool:
        return self.language == "es" and self.formality == "USTED"

    def pick(self, tu: str, usted: str, en: str) -> str:
        if self.language == "en":
            return en
        return usted if self.usted else tu

    @property
    def comma_name(self) -> str:
        return f", {self.first_name}" if self.first_name else ""

    @property
    def hello(self) -> str:
        if self.language == "en":
            return f"Hi {self.first_name}" if self.first_name else "Hi"
        return f"Hola{self.comma_name}"


@dataclass(frozen=True)
class Said:
    subject: str
    body: str
    # The e-mail's own wording where it differs from the text's ("te adjunto la invitación",
    # not "te la mandé a tu correo" inside that e-mail).
    email_body: str | None = None
    # The SMS's own wording where the body is too long for a text: the date, the time and the
    # address within two segments (the e-mail carries the rest, and the invite).
    text: str | None = None


# A text about a viewing costs at most this many segments (CONVERSATION.md section 3).
MAX_TEXT_SEGMENTS = 2


def _short(*candidates: str) -> str:
    """The first candidate, fullest first, that fits in two segments; the last one when none
    does (a very long address is still said whole)."""
    for candidate in candidates:
        if sms_segments(candidate) <= MAX_TEXT_SEGMENTS:
            return candidate
    return candidates[-1]


def _at_address(address: str, language: Language) -> str:
    return (
        f", en {address}"
        if address and language == "es"
        else (f", at {address}" if address else "")
    )


def offer(
    voice: Voice,
    title: str,
    slots: Sequence[datetime],
    unavailable: datetime | None,
    *,
    named: datetime | None = None,
    taken: bool = False,
    closed: bool = False,
) -> Said:
    """Two or three concrete slots, grouped by day; first why the day asked for
    (`unavailable`: fully booked, or `closed`, a day with no viewing hours at all) or the time
    the lead named (`named`: `taken` by another viewing, else outside the hours) cannot be
    booked. One slot is asked about as one, not as a choice."""
    phrase = slots_phrase(slots, voice.language)
    missing = ""
    if named is not None:
        day = day_name(named, voice.language, month=False)
        hour = clock(named, voice.language)
        at = "a la" if named.hour == 1 else "a las"
        if voice.language == "es":
            missing = f"El {day} {at} {hour} " + (
                "ya está ocupado. " if taken else "no tengo horario de visitas. "
            )
        else:
            missing = f"{day.split(',')[0]} at {hour} is " + (
                "already taken. " if taken else "outside our viewing hours. "
            )
    elif unavailable is not None:
        day = day_name(unavailable, voice.language, month=False)
        weekday = day.split(",")[0]
        missing = (
            voice.pick(
                f"Los {_plural(weekday)} no hay visitas. ",
                f"Los {_plural(weekday)} no hay visitas. ",
                f"There are no viewings on {weekday}s. ",
            )
            if closed
            else voice.pick(
                f"El {day} ya no tengo horario. ",
                f"El {day} ya no tengo horario. ",
                f"{weekday} is fully booked. ",
            )
        )
    one = len(slots) == 1
    body = voice.pick(
        f"Claro{voice.comma_name}. {missing}Para ver {title} te propongo {phrase}. "
        + ("¿Te queda bien?" if one else "¿Cuál te queda mejor?"),
        f"Con gusto{voice.comma_name}. {missing}Para ver {title} le propongo {phrase}. "
        + ("¿Le queda bien?" if one else "¿Cuál le queda mejor?"),
        f"Of course{voice.comma_name}. {missing}To see {title} I can offer {phrase}. "
        + ("Does that work for you?" if one else "Which works best for you?"),
    )
    return Said(voice.pick(f"Visita a {title}", f"Visita a {title}", f"Viewing {title}"), body)


def _plural(weekday: str) -> str:
    """Spanish weekdays in the plural: "los sábados", "los domingos"; lunes to viernes stay."""
    day = weekday.split()[0]
    return day if day.endswith("s") else f"{day}s"


def which_time(voice: Voice, choices: Sequence[datetime]) -> Said:
    """The lead named a day with several slots: which hour."""
    hours = [clock(at, voice.language) for at in choices]
    day = day_name(choices[0], voice.language, month=False)
    if voice.language == "es":
        options = " o ".join(
            f"{'a la' if at.hour == 1 else 'a las'} {clock(at, 'es')}" for at in choices
        )
        body = f"Perfecto. ¿El {day} {options}?"
    else:
        body = f"Great. On {day}, at {' or '.join(hours)}?"
    return Said("", body)


def confirmation(
    voice: Voice,
    title: str,
    starts_at: datetime,
    address: str,
    invite_by_email: bool,
    agent: str = "",
) -> Said:
    """The booking confirmed; without an address on the listing, `agent` sends it (their task
    says so): the lead is never left thinking the area is where to go."""
    slot = when(starts_at, voice.language)
    place = _at_address(address, voice.language)
    if not address and voice.own:
        place += ". " + voice.pick(
            "Te mando la dirección exacta antes de la visita",
            "Le envío la dirección exacta antes de la visita",
            "I'll send you the exact address before the viewing",
        )
    elif not address:
        who = agent or voice.pick("El agente", "El agente", "Your agent")
        place += ". " + voice.pick(
            f"{who} te manda la dirección exacta antes de la visita",
            f"{who} le envía la dirección exacta antes de la visita",
            f"{who} will send you the exact address before the viewing",
        )
    invite = (
        voice.pick(
            "Te mandé la invitación a tu correo. ",
            "Le envié la invitación a su correo. ",
            "I've sent the calendar invite to your email. ",
        )
        if invite_by_email
        else ""
    )
    attached = voice.pick(
        "Te adjunto la invitación para tu calendario. ",
        "Le adjunto la invitación para su calendario. ",
        "The calendar invite is attached. ",
    )

    def body(invite: str) -> str:
        return voice.pick(
            f"Listo{voice.comma_name}: tu visita a {title} quedó agendada para {slot}{place}. "
            f"{invite}Un día antes te la recuerdo; si algo cambia, avísame.",
            f"Listo{voice.comma_name}: su visita a {title} quedó agendada para {slot}{place}. "
            f"{invite}Un día antes se la recuerdo; si algo cambia, avíseme.",
            f"Done{voice.comma_name}: your viewing of {title} is booked for {slot}{place}. "
            f"{invite}I'll remind you the day before; if anything changes, just let me know.",
        )

    subject = voice.pick(
        f"Visita confirmada: {title}", f"Visita confirmada: {title}", f"Viewing confirmed: {title}"
    )
    # The text: the day, the hour and where (or who sends the address), and where the invite
    # went; the listing's name and the lead's go first when two segments cannot hold them.
    if address:
        later = ""
    elif voice.own:
        later = " " + voice.pick(
            "Te mando la dirección antes.",
            "Le envío la dirección antes.",
            "I'll send you the address before.",
        )
    else:
        who = agent or voice.pick("El agente", "El agente", "Your agent")
        later = " " + voice.pick(
            f"{who} te manda la dirección antes.",
            f"{who} le envía la dirección antes.",
            f"{who} will send you the address before.",
        )
    note = f" {invite.strip()}" if invite else ""

    def text(name: str, of: str, at: str) -> str:
        where = _at_address(address, voice.language)
        return voice.pick(
            f"Listo{name}: tu visita{of} es {at}{where}.{later}{note}",
            f"Listo{name}: su visita{of} es {at}{where}.{later}{note}",
            f"Done{name}: your viewing{of} is {at}{where}.{later}{note}",
        )

    of = voice.pick(f" a {title}", f" a {title}", f" of {title}")
    short_slot = _short_when(starts_at, voice.language)
    sms = _short(
        text(voice.comma_name, of, slot),
        text(voice.comma_name, "", slot),
        text("", "", slot),
        text("", "", short_slot),
    )
    return Said(subject, body(invite), body(attached) if invite_by_email else None, sms)


def _short_when(at: datetime, language: Language) -> str:
    """'el martes 8 a las 13:00' / 'Tue, Dec 8 at 1:00 PM': the slot in fewer characters."""
    if language == "es":
        hour = "a la" if at.hour == 1 else "a las"
        return f"el {day_name(at, language, month=False)} {hour} {clock(at, language)}"
    weekday = _WEEKDAYS["en"][at.weekday()][:3]
    return f"{weekday}, {_MONTHS['en'][at.month - 1][:3]} {at.day} at {clock(at, language)}"


def see_you(voice: Voice, starts_at: datetime, *, together: bool, asked: bool) -> Said:
    """The booked viewing said back to a lead who confirms it or asks whether it stands: the
    day and time, nothing new (`together`: the lead comes with someone; `asked`: they asked)."""
    slot = when(starts_at, voice.language)
    if asked:
        opening = voice.pick("Sí", "Sí", "Yes")
    else:
        opening = voice.pick("Perfecto", "Perfecto", "Great")
    # "Lo/la espero" would guess the lead's gender: usted alone is "nos vemos".
    body = voice.pick(
        f"{opening}{voice.comma_name}: {'los' if together else 'te'} espero {slot}.",
        f"{opening}{voice.comma_name}: {'los espero' if together else 'nos vemos'} {slot}.",
        f"{opening}{voice.comma_name}: see you{' both' if together else ''} on {slot}.",
    )
    return Said(voice.pick("Tu visita", "Su visita", "Your viewing"), body)


def moved_by_broker(voice: Voice, title: str, starts_at: datetime, address: str) -> Said:
    slot = when(starts_at, voice.language)
    place = _at_address(address, voice.language)
    hello = voice.hello
    body = voice.pick(
        f"{hello}. Tuvimos que mover tu visita a {title}: ahora es {slot}{place}. "
        "Si no te queda, dime y buscamos otro horario.",
        f"{hello}. Tuvimos que mover su visita a {title}: ahora es {slot}{place}. "
        "Si no le queda, dígame y buscamos otro horario.",
        f"{hello}. We had to move your viewing of {title}: it is now {slot}{place}. "
        "If that doesn't work for you, tell me and we'll find another time.",
    )
    subject = voice.pick(
        f"Cambio de horario: {title}", f"Cambio de horario: {title}", f"New time: {title}"
    )

    def text(of: str, at: str) -> str:
        return voice.pick(
            f"{hello}. Movimos tu visita{of}: ahora es {at}{place}. ¿Te queda?",
            f"{hello}. Movimos su visita{of}: ahora es {at}{place}. ¿Le queda?",
            f"{hello}. We moved your viewing{of}: it is now {at}{place}. Does that work?",
        )

    of = voice.pick(f" a {title}", f" a {title}", f" of {title}")
    short_slot = _short_when(starts_at, voice.language)
    sms = _short(text(of, slot), text("", slot), text("", short_slot))
    return Said(subject, body, text=sms)


def cancelled_by_broker(voice: Voice, title: str, starts_at: datetime) -> Said:
    slot = when(starts_at, voice.language, "del")
    hello = voice.hello
    body = voice.pick(
        f"{hello}. Lo siento: tenemos que cancelar tu visita a {title} {slot}. "
        "¿Te propongo otro horario?",
        f"{hello}. Lo siento: tenemos que cancelar su visita a {title} {slot}. "
        "¿Le propongo otro horario?",
        f"{hello}. I'm sorry: we have to cancel your viewing of {title} on {slot}. "
        "Shall I suggest another time?",
    )
    subject = voice.pick(
        f"Visita cancelada: {title}", f"Visita cancelada: {title}", f"Viewing cancelled: {title}"
    )

    def text(of: str, at: str) -> str:
        return voice.pick(
            f"{hello}. Lo siento: tenemos que cancelar tu visita{of} {at}. "
            "¿Te propongo otro horario?",
            f"{hello}. Lo siento: tenemos que cancelar su visita{of} {at}. "
            "¿Le propongo otro horario?",
            f"{hello}. I'm sorry: we have to cancel your viewing{of} on {at}. "
            "Shall I suggest another time?",
        )

    of = voice.pick(f" a {title}", f" a {title}", f" of {title}")
    short_slot = _short_when(starts_at, voice.language).replace("el ", "del ", 1)
    sms = _short(text(of, slot), text("", slot), text("", short_slot))
    return Said(subject, body, text=sms)


def cancelled_by_lead(voice: Voice, starts_at: datetime | None) -> Said:
    slot = f" {when(starts_at, 'es', 'del')}" if starts_at and voice.language == "es" else ""
    slot_en = f" on {when(starts_at, 'en')}" if starts_at else ""
    body = voice.pick(
        f"Entendido{voice.comma_name}: cancelé tu visita{slot}. Cuando quieras, buscamos otro "
        "horario.",
        f"Entendido{voice.comma_name}: cancelé su visita{slot}. Cuando guste, buscamos otro "
        "horario.",
        f"No problem{voice.comma_name}: I've cancelled your viewing{slot_en}. Whenever you like, "
        "we can find another time.",
    )
    return Said(voice.pick("Visita cancelada", "Visita cancelada", "Viewing cancelled"), body)


def reminder(voice: Voice, title: str, starts_at: datetime, address: str) -> Said:
    place = _at_address(address, voice.language)
    day = day_name(starts_at, voice.language)
    hour = clock(starts_at, voice.language)
    at = "a la" if starts_at.hour == 1 else "a las"
    hello = voice.hello
    body = voice.pick(
        f"{hello}. Te recuerdo tu visita a {title} mañana, {day}, {at} {hour}{place}. "
        "Si algo cambia, avísame.",
        f"{hello}. Le recuerdo su visita a {title} mañana, {day}, {at} {hour}{place}. "
        "Si algo cambia, avíseme.",
        f"{hello}. A reminder of your viewing of {title} tomorrow, {day}, at {hour}{place}. "
        "If anything changes, just let me know.",
    )
    subject = voice.pick(
        f"Mañana: visita a {title}", f"Mañana: visita a {title}", f"Tomorrow: viewing {title}"
    )

    def text(of: str) -> str:
        return voice.pick(
            f"{hello}. Te recuerdo tu visita{of} mañana, {day}, {at} {hour}{place}. "
            "Si algo cambia, avísame.",
            f"{hello}. Le recuerdo su visita{of} mañana, {day}, {at} {hour}{place}. "
            "Si algo cambia, avíseme.",
            f"{hello}. A reminder of your viewing{of} tomorrow, {day}, at {hour}{place}. "
            "If anything changes, just let me know.",
        )

    of = voice.pick(f" a {title}", f" a {title}", f" of {title}")
    return Said(subject, body, text=_short(text(of), text("")))


def hours_phrase(windows: Sequence[tuple[int, time, time]], language: Language) -> str:
    """The brokerage's viewing hours: 'de lunes a viernes de 10:00 a 18:00 y el sábado de
    10:00 a 14:00' / 'Monday to Friday from 10:00 AM to 6:00 PM and Saturday from ...'."""
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, start, end in sorted(windows):
        by_day.setdefault(weekday, []).append((start, end))
    groups: list[tuple[list[int], list[tuple[time, time]]]] = []
    for weekday in sorted(by_day):
        if groups and groups[-1][0][-1] == weekday - 1 and groups[-1][1] == by_day[weekday]:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], by_day[weekday]))
    names = _WEEKDAYS[language]

    def hour(at: time) -> str:
        return clock(datetime.combine(date.min, at), language)

    parts = []
    for days, spans in groups:
        if language == "es":
            if len(days) == 1:
                when_ = f"el {names[days[0]]}"
            elif len(days) == 2:
                when_ = f"el {names[days[0]]} y el {names[days[1]]}"
            else:
                when_ = f"de {names[days[0]]} a {names[days[-1]]}"
            hours = " y ".join(f"de {hour(a)} a {hour(b)}" for a, b in spans)
        else:
            if len(days) == 1:
                when_ = names[days[0]]
            elif len(days) == 2:
                when_ = f"{names[days[0]]} and {names[days[1]]}"
            else:
                when_ = f"{names[days[0]]} to {names[days[-1]]}"
            hours = " and ".join(f"from {hour(a)} to {hour(b)}" for a, b in spans)
        parts.append(f"{when_} {hours}")
    return _either(parts, "y" if language == "es" else "and")


def nothing_fits(voice: Voice, agent: str, hours: str) -> Said:
    """The lead can come only when there are no viewings: said plainly, and the broker asked
    to propose a time (their task says so)."""
    body = (
        voice.pick(
            f"Gracias{voice.comma_name}. En ese horario no tengo visitas: son {hours}. Busco un "
            "horario que te quede y te escribo en breve.",
            f"Gracias{voice.comma_name}. En ese horario no tengo visitas: son {hours}. Busco un "
            "horario que le quede y le escribo en breve.",
            f"Thanks{voice.comma_name}. I have no viewings at that time: they are {hours}. I'll "
            "look for a time that works for you and write to you shortly.",
        )
        if voice.own
        else voice.pick(
            f"Gracias{voice.comma_name}. En ese horario no tengo visitas: son {hours}. Le pido "
            f"a {agent} que te proponga un horario que te quede; te escribe en breve.",
            f"Gracias{voice.comma_name}. En ese horario no tengo visitas: son {hours}. Le pido "
            f"a {agent} que le proponga un horario que le quede; le escribe en breve.",
            f"Thanks{voice.comma_name}. I have no viewings at that time: they are {hours}. I'll "
            f"ask {agent} to suggest a time that works for you; they'll be in touch shortly.",
        )
    )
    return Said(voice.pick("Tu visita", "Su visita", "Your viewing"), body)


def none_suit(voice: Voice, agent: str) -> Said:
    """No time offered suits the lead, and they named none: the broker proposes one."""
    body = (
        voice.pick(
            f"Entiendo{voice.comma_name}. ¿Qué día y a qué hora te queda bien? Mientras, busco un "
            "horario que proponerte y te escribo en breve.",
            f"Entiendo{voice.comma_name}. ¿Qué día y a qué hora le queda bien? Mientras, busco un "
            "horario que proponerle y le escribo en breve.",
            f"I understand{voice.comma_name}. Which day and time would work for you? Meanwhile "
            "I'll look for a time to suggest and write to you shortly.",
        )
        if voice.own
        else voice.pick(
            f"Entiendo{voice.comma_name}. ¿Qué día y a qué hora te queda bien? Le pido también "
            f"a {agent} que te proponga un horario; te escribe en breve.",
            f"Entiendo{voice.comma_name}. ¿Qué día y a qué hora le queda bien? Le pido también "
            f"a {agent} que le proponga un horario; le escribe en breve.",
            f"I understand{voice.comma_name}. Which day and time would work for you? I'll also ask "
            f"{agent} to suggest a time; they'll be in touch shortly.",
        )
    )
    return Said(voice.pick("Tu visita", "Su visita", "Your viewing"), body)


def propose_task_text(
    language: Language, lead_name: str, contact: str, title: str, said: str, hours: str
) -> tuple[str, str]:
    """The broker's VIEWING task when no time offered suits the lead: propose one."""
    if language == "es":
        return (
            f"Proponer a {lead_name} un horario para ver {title}",
            f"{contact}\nPropiedad: {title}\nNingún horario de visita le queda. Escribió: "
            f"«{said}»\nHorario de visitas: {hours}.",
        )
    return (
        f"Suggest {lead_name} a time to see {title}",
        f"{contact}\nProperty: {title}\nNo viewing time suits them. They wrote: «{said}»"
        f"\nViewing hours: {hours}.",
    )


def moving_task_text(
    language: Language,
    lead_name: str,
    contact: str,
    title: str,
    was: datetime,
    offered: Sequence[datetime],
    said: str,
) -> tuple[str, str]:
    """The broker's VIEWING task once the lead asks to move a booked viewing: the old time is
    no longer booked (nobody goes), and what the lead was offered instead."""
    times = ", ".join(when(at, language) for at in offered)
    if language == "es":
        return (
            f"Visita con {lead_name}: pidió cambiar la del {day_name(was, language)}, "
            f"{clock(was, language)}",
            f"{contact}\nPropiedad: {title}\nLa visita de {when(was, language)} ya no está "
            f"agendada: pidió otro horario («{said}»).\nSe le propuso: {times}. Esta tarea se "
            "actualiza cuando elija.",
        )
    return (
        f"Viewing with {lead_name}: asked to move {when(was, language)}",
        f"{contact}\nProperty: {title}\nThe viewing of {when(was, language)} is no longer "
        f"booked: they asked for another time («{said}»).\nOffered instead: {times}. This task "
        "is updated when they choose.",
    )


def held(voice: Voice, agent: str) -> Said:
    """Said instead of a viewing message the fact guard held: no time, no place, no fact."""
    body = (
        voice.pick(
            f"Gracias{voice.comma_name}. Te escribo en breve para confirmar los detalles de la "
            "visita.",
            f"Gracias{voice.comma_name}. Le escribo en breve para confirmar los detalles de la "
            "visita.",
            f"Thanks{voice.comma_name}. I'll write to you shortly to confirm the viewing details.",
        )
        if voice.own
        else voice.pick(
            f"Gracias{voice.comma_name}. {agent} te escribe en breve para confirmar los detalles "
            "de la visita.",
            f"Gracias{voice.comma_name}. {agent} le escribe en breve para confirmar los detalles "
            "de la visita.",
            f"Thanks{voice.comma_name}. {agent} will write to you shortly to confirm the viewing "
            "details.",
        )
    )
    return Said(voice.pick("Tu visita", "Su visita", "Your viewing"), body)


def held_task_text(language: Language, lead_name: str, title: str, body: str) -> tuple[str, str]:
    """The broker's task when a viewing message was held: write to the lead instead."""
    if language == "es":
        return (
            f"Escribe a {lead_name} sobre la visita a {title}",
            "El mensaje automático no se envió porque menciona algo que la propiedad no "
            f"respalda. Revísalo y escríbele tú:\n{body}",
        )
    return (
        f"Write to {lead_name} about the viewing of {title}",
        "The automatic message was not sent because it states something the listing does not "
        f"back. Check it and write to them yourself:\n{body}",
    )


def task_text(
    language: Language,
    lead_name: str,
    contact: str,
    title: str,
    starts_at: datetime,
    address: str,
) -> tuple[str, str]:
    """The broker's VIEWING task (title, summary) in the brokerage's language; without an
    address on the listing, it asks the broker to send the lead the exact one."""
    slot = when(starts_at, language)
    if language == "es":
        return (
            f"Visita con {lead_name}: "
            f"{day_name(starts_at, language)}, {clock(starts_at, language)}"
            + ("" if address else " (enviar la dirección)"),
            f"{contact}\nPropiedad: {title}"
            + (f", {address}" if address else "")
            + f"\nVisita confirmada para {slot}."
            + (
                ""
                if address
                else "\nEnvía al lead la dirección exacta: la propiedad no tiene una registrada."
            ),
        )
    return (
        f"Viewing with {lead_name}: {slot}" + ("" if address else " (send the address)"),
        f"{contact}\nProperty: {title}"
        + (f", {address}" if address else "")
        + f"\nViewing confirmed for {slot}."
        + ("" if address else "\nSend the lead the exact address: the listing has none on file."),
    )


_NEXT_ACTIONS: dict[Language, dict[str, str]] = {
    "es": {
        "choose": "Esperando que el lead elija un horario de visita",
        "booked": "Visita {when}: recibir al lead en la propiedad",
        "cancelled": "Visita cancelada: esperando la respuesta del lead",
        "propose": "Proponer al lead un horario de visita",
    },
    "en": {
        "choose": "Waiting for the lead to choose a viewing time",
        "booked": "Viewing {when}: meet the lead at the listing",
        "cancelled": "Viewing cancelled: waiting for the lead's reply",
        "propose": "Suggest a viewing time to the lead",
    },
}


def next_action(language: Language, key: str, starts_at: datetime | None = None) -> str:
    """The conversation's next step for the broker, in the brokerage's language."""
    moment = when(starts_at, language) if starts_at is not None else ""
    return _NEXT_ACTIONS[language][key].format(when=moment)
