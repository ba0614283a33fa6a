"""What a lead's reply asks to stop: nothing, one channel, or every channel.

Rules, not the model: a missed opt-out costs trust (and, in the US, a fine) and a false one
costs a lead, so they are decided by phrases we can read and test one by one. They are
messaging's, beside the consents they change: the inbound webhooks read them before any
conversation does, and the conversation's own reading (`conversations.intents`) uses them too.
Pure functions, no I/O.
"""

from __future__ import annotations

import enum
import re

from app.core.text import fold


def _rx(*alternatives: str) -> re.Pattern[str]:
    """One word-bounded pattern from alternatives written in folded form (no accents, lower)."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The clauses of a folded reply, split as `conversations.intents` splits them.
_CLAUSE_SPLIT = re.compile(r"([.,;:!?¡¿\n]+|\s-\s|\bpero\b|\bbut\b|\baunque\b)")
_WORD = re.compile(r"[\w']+")


def _clauses(folded: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_SPLIT.split(folded)[::2] if part.strip()]


class OptOutScope(enum.StrEnum):
    """What a reply asked to stop: nothing, one channel, or every channel."""

    NONE = "NONE"
    SMS = "SMS"
    EMAIL = "EMAIL"
    WHATSAPP = "WHATSAPP"
    ALL = "ALL"


# A keyword alone (the SMS convention, external-apis.md section 5): "STOP", "Baja", "alto".
# Inside a sentence these words mean other things ("baja el precio", "un precio alto"), so only
# alone. A keyword alone stops everything (CONVERSATION.md section 5), whatever it came by.
_KEYWORDS = _word_set(
    "stop cancel end quit revoke optout baja alto parar paren pare basta cancelar detener alta"
)
_KEYWORDS_ALL = _word_set("stopall unsubscribe remove desuscribir desuscribirme")
_KEYWORD_PHRASES = ("ya no mas", "opt out", "no mas", "no more", "ya basta", "stop all")
_KEYWORD_FILLERS = _word_set("ya please pls plz porfavor porfa por favor ok now")
_STOP_EMOJI = frozenset("🛑")

SMS_WORDS = (
    r"sms|mensajes? de texto|mensajitos?|textos?|texts?|texting|text messages?|msgs?"
    r"|mensajes? al cel(?:ular)?|por mensajes?"
)
EMAIL_WORDS = r"correos?(?: electronicos?)?|e-?mails?|mails?|emailing|mailing|inbox"
WHATSAPP_WORDS = r"whats ?app?s?|whats|wsp|wasap\w*|guasap\w*"
_HERE_WORDS = r"por aqui|aqui|por este (?:medio|numero|canal)|este numero|this number|here"
_CHANNEL_WORDS = {
    OptOutScope.SMS: re.compile(rf"\b(?:{SMS_WORDS})\b"),
    OptOutScope.EMAIL: re.compile(rf"\b(?:{EMAIL_WORDS})\b"),
    OptOutScope.WHATSAPP: re.compile(rf"\b(?:{WHATSAPP_WORDS})\b"),
}
_HERE = re.compile(rf"\b(?:{_HERE_WORDS})\b")
# "remove my number": the phone channel the reply came by.
_PHONE = re.compile(
    r"\b(?:(?:my|mi) (?:number|numero|cel|celular|phone)|this number|este numero)\b"
)
# What a "don't send me ..." may send: messages, not photos or listings ("no me mandes más
# fotos" is no opt-out).
_MESSAGE_NOUNS = (
    rf"(?:mensajes?|msjs?|info(?:rmacion)?|nada|cosas|promociones|publicidad|spam|notificaciones"
    rf"|{SMS_WORDS}|{EMAIL_WORDS}|{WHATSAPP_WORDS})"
)
# Asking not to be written to, in any person: "escriban", "escribirme", "contacten",
# "molestes", "busquen" (subjunctive, imperative, infinitive and gerund; no indicative).
_ASK_NOT_TO_CONTACT = (
    r"(?:(?:escrib(?:a|as|an|ir|irme|irnos|iendo|iendome)|contact(?:e|es|en|ar|arme|arnos|ando)"
    r"|molest(?:e|es|en|ar|arme|ando))\b"
    # "ya no me busquen" alone, not "no me busques casas en Polanco".
    r"|busqu(?:e|es|en)(?: mas)?$)"
)
# Ways of reaching someone in English, and their -ing: "text", "emailing", "calling".
# "call" only beside another: "don't call me, text me" asks for texts.
_CONTACT_EN = r"(?:contact|text|e-?mail|message|msg|write|bug|spam|ping)(?:ing)?"
# Stop requests. Each match is read with the words after it for the channel it names.
_STOP_REQUESTS = _rx(
    r"unsubscrib\w*",
    r"desuscrib\w*",
    r"opt(?:\s|-)?(?:me )?out",
    r"stop (?:all )?(?:texting|messaging|contacting|emailing|sending|writing|bugging|spamming)",
    r"quit (?:texting|messaging|emailing|contacting|sending)",
    r"(?:do not|don'?t|dont|pls dont|never) (?:ever )?(?:text|message|contact|email|write)"
    r"(?: me| us| anything| any more| anymore| this number| this email| here)",
    r"(?:do not|don'?t|dont|pls dont|never) (?:ever )?send (?:me |us )?(?:any ?more |more )?"
    r"(?:texts|messages|emails|e-mails|mails|sms|anything|stuff|spam)",
    r"no (?:more|further) (?:texts|messages|emails|e-mails|mails|sms|contact|msgs)",
    # "don't text or email me anymore", "stop calling and texting me", "never contact us".
    rf"(?:do not|don'?t|dont|never|stop|quit)(?: ever)?(?: call(?:ing)? ?(?:,|or|and|nor|/))?"
    rf" {_CONTACT_EN}(?: ?(?:,|or|and|nor|n|/) ?(?:{_CONTACT_EN}|call(?:ing)?))* (?:me|us)\b",
    r"(?:don'?t|dont|do not|no longer) (?:want|wanna|need) to (?:hear from|be contacted by)"
    r" (?:you|u|y'all|your)",
    r"(?:delete|erase) my (?:number|email|info|contact|data)",
    r"leave me alone",
    r"remove (?:me|my (?:number|email|info))",
    r"take me off",
    r"lose my (?:number|email)",
    r"(?:dar|dame|darme|den|denme|de|doy|deme|dan) de baja",
    r"dej(?:a|en|e|ar|ame|enme)? de (?:escribir|mandar|enviar|contactar|molestar|spamear)\w*",
    r"(?:ya )?no (?:quiero que )?(?:me|nos) (?:sigan? |sigas )?"
    r"(?:escrib(?:a|as|an|ir|iendo)|contact(?:e|es|en|ar|ando)|molest(?:e|es|en|ar|ando))",
    r"no (?:me|nos) (?:vuelva|vuelvas|vuelvan) a (?:escribir|contactar|mandar|enviar|buscar)",
    # Every form of "don't write to me" that asks (imperative, subjunctive, infinitive), with or
    # without "me": "no escriban más", "favor de no escribirme", "ni me busquen". Never the
    # indicative ("si no me escriben", "no me escribió"): that tells, it does not ask.
    r"(?:no|ni|nunca|jamas) (?:me |nos )?(?:(?:sigan?|sigas|vuelvan?|vuelvas) (?:a )?)?"
    + _ASK_NOT_TO_CONTACT,
    r"(?:ya )?no (?:quiero|queremos|deseo) saber (?:nada )?(?:mas )?de (?:ustedes|usted|ti|ud)",
    r"(?:ya )?no (?:quiero|deseo) (?:recibir |que me (?:manden|envien|mandes|envies) )?(?:mas )?"
    + _MESSAGE_NOUNS,
    r"(?:borr|quit|sac|saqu|elimin)(?:a|en|e|ar)(?:me|nos|n)? de (?:la|su|tu|sus|tus)"
    r" (?:lista|base|bd)\w*",
    r"dej(?:a|en)(?:me|nos) en paz",
    r"basta de (?:mensajes|correos|sms|spam)",
    rf"(?:no|nada de|sin|ni|cero) (?:mas )?(?:{SMS_WORDS}|{EMAIL_WORDS}|{WHATSAPP_WORDS})",
    rf"(?:por )?(?:{SMS_WORDS}|{EMAIL_WORDS}|{WHATSAPP_WORDS}|mensaje) (?:ya )?no\b",
)
# "No me mandes/envíes ..." stops only when what is sent is a message (or nothing at all).
_DONT_SEND = re.compile(
    r"\bno (?:me|nos) (?:sigan? |sigas )?(?:mand|envi)(?:e|es|en|ar|ando)\b(?: (?:mas|ya))*"
    r"(?: (?:por|al|a mi|mi|los|las|tus|sus|esos?|estos?|tantos?|tantas?))*"
    rf"(?: (?:{_MESSAGE_NOUNS})\b|\s*$)"
)
# "No dejes de escribirme", "don't stop texting me": a stop cancelled by a negation.
NEGATED_STOP = _rx(
    r"no (?:dejes|dejen|deje) de",
    r"(?:don'?t|dont|never|do not) (?:stop|quit)",
    r"(?:no quiero|no quisiera) (?:darme de baja|que dejen|que dejes)",
)
_CALLS = re.compile(r"\b(?:call|calling|llam\w*)\b")
_STOP_WINDOW = 6  # words after a stop request read for the channel it names


def _channels_near(clause: str, start: int, end: int) -> set[OptOutScope]:
    """The channels named by a stop request: in it, or in the few words after it."""
    tail = " ".join(_WORD.findall(clause[end:])[:_STOP_WINDOW])
    near = clause[start:end] + " " + tail
    return {scope for scope, pattern in _CHANNEL_WORDS.items() if pattern.search(near)}


def _keyword_only(folded: str) -> str | None:
    """The keyword of a reply that is a keyword alone ("STOP", "baja ya"); None otherwise."""
    for phrase in _KEYWORD_PHRASES:  # "opt out" -> "opt_out": one keyword
        folded = re.sub(rf"\b{phrase}\b", phrase.replace(" ", "_"), folded)
    words = _WORD.findall(folded)
    keywords = [w for w in words if w not in _KEYWORD_FILLERS]
    if not keywords or not all(
        w in _KEYWORDS or w in _KEYWORDS_ALL or w.replace("_", " ") in _KEYWORD_PHRASES
        for w in keywords
    ):
        return None
    return keywords[0]


def opt_out_scope(text: str, channel: str | None = None) -> OptOutScope:
    """What the reply asks to stop; `channel` is the one it came by ("stop here", "remove this
    number" stop it). A keyword alone (STOP, BAJA, CANCELAR, unsubscribe) stops everything.
    """
    folded = fold(text)
    arrival = OptOutScope(channel) if channel in ("SMS", "EMAIL", "WHATSAPP") else OptOutScope.ALL
    keyword = _keyword_only(folded)
    if keyword is not None:
        if keyword == "alta":  # "ALTA" alone is the opt-in word, never a stop
            return OptOutScope.NONE
        return OptOutScope.ALL
    if not _WORD.findall(folded) and _STOP_EMOJI & set(text):
        return OptOutScope.ALL
    scopes: set[OptOutScope] = set()
    for clause in _clauses(folded):
        negated = NEGATED_STOP.search(clause)
        for match in [*_STOP_REQUESTS.finditer(clause), *_DONT_SEND.finditer(clause)]:
            if negated and negated.start() <= match.start() < negated.end() + 12:
                continue
            named = _channels_near(clause, match.start(), match.end())
            if _CALLS.search(match.group()):  # "stop calling and emailing me": any contact
                scopes.add(OptOutScope.ALL)
            elif named:
                scopes |= named
            elif _PHONE.search(clause[match.start() :]):
                scopes.add(arrival if arrival is not OptOutScope.EMAIL else OptOutScope.SMS)
            elif _HERE.search(clause[match.start() :]):
                scopes.add(arrival)
            else:
                scopes.add(OptOutScope.ALL)
    # A STOP in capitals inside a longer text is still a stop, as carriers treat it.
    capital_stop = re.search(r"\bSTOP\b(?! BY)", text)
    if capital_stop and not scopes and not re.search(r"(?i)\b(?:don'?t|not) stop\b", text):
        stop_at = folded.find("stop")
        scopes |= _channels_near(folded, stop_at, stop_at + 4) or {OptOutScope.ALL}
    if not scopes:
        return OptOutScope.NONE
    if OptOutScope.ALL in scopes or len(scopes) > 1:
        return OptOutScope.ALL
    return scopes.pop()
