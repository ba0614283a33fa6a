"""What a reply says about the lead's own data rather than the listing: a new way to reach them
("mejor escríbeme a juan.p@gmail.com", "text me at (305) 555-0101 instead"), someone else who
is looking too (a referral: "mi cuñado también busca casa, su cel es ..."), or a new search
("ahora busco 3 recámaras en Coyoacán hasta 5 millones").

Pure, no I/O. Addresses and numbers are checked with the lead import's own normalisers
(email-validator, phonenumbers in the brokerage's region) and criteria are read with the
import's notes parser, so the agent saves exactly what an import of that text would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.text import fold
from app.leads.models import Operation
from app.leads.rows import read_preferences
from app.leads.values import InvalidValueError, normalize_email, normalize_phone

# Someone else: "mi cuñado", "my sister", "una amiga"; the words that make a contact theirs.
_RELATIVE = re.compile(
    r"\b(?:cunad[oa]s?|herman[oa]s?|prim[oa]s?|ti[oa]s?|amig[oa]s?|compa(?:dre|nero|nera)s?"
    r"|vecin[oa]s?|mama|papa|madre|padre|suegr[oa]s?|hij[oa]s?|jefe|jefa|colega|novi[oa]"
    r"|espos[oa]|conocid[oa]|sobrin[oa]s?|abuel[oa]s?"
    r"|sister|brother|cousin|friend|coworker|co-worker|colleague|neighbou?r|mom|mother|dad"
    r"|father|son|daughter|in-law|uncle|aunt|boss|niece|nephew|buddy)\b"
)
_THEIRS = re.compile(
    r"\b(?:su (?:cel|celular|numero|telefono|tel|whats|whatsapp|correo|mail|email)"
    r"|(?:his|her|their) (?:number|cell|phone|email|e-mail|mail)|se llama|(?:his|her) name"
    r"|tambien (?:busca|anda|esta|quiere|le interesa)|(?:is|are) (?:also )?looking"
    r"|looking too|also looking|le interesa|le puede interesar|might be interested"
    r"|would be interested|(?:refer|recomend|recommend)\w*)"
)
_NAMED = re.compile(
    r"(?:se llama|su nombre es|(?:his|her|their) name is|named|called)\s+"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)?)"
)
# "mi cuñado Pedro": a capitalised name right after the relative.
_NAMED_AFTER = re.compile(
    r"\b(?:mi|my|una?|a)\s+\w+\s+(?P<name>[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)(?=[\s,.]|$)"
)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LIKE = re.compile(r"\S+@\S*")
# A number written for people: "55 1234 5678", "(305) 555-0101", "+52 1 55 1234 5678".
_PHONE = re.compile(r"(?<![\w@])\+?\(?\d[\d\s().-]{2,18}\d(?!\w)")
# The lead points at a contact: "escríbeme a", "mi nuevo cel", "text me at", "my new number".
_CONTACT_WORDS = re.compile(
    r"\b(?:cel|celular|numero|telefono|tel|whats|whatsapp|correo|mail|email|e-mail|phone"
    r"|number|cell|text me|call me|email me|escribeme|escribame|marcame|llamame|contactame)\b"
)
# A new search, said as such: "ahora busco", "we need", "actually looking for".
_SEARCH_WORDS = re.compile(
    r"\b(?:busco|buscamos|buscaria|necesito|necesitamos|quiero|queremos|ocupo|ocupamos"
    r"|need|looking for|want|ahora|actually|mejor|instead|en vez|cambi\w+)\b"
)


@dataclass(frozen=True)
class Contact:
    """Addresses found in a reply: checked ones, and what looked like one but is not valid."""

    email: str | None = None
    phone: str | None = None
    invalid: tuple[str, ...] = ()  # "email", "phone"

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.invalid)


@dataclass(frozen=True)
class Referral:
    """Someone the lead says is looking too."""

    name: str | None
    contact: Contact
    said: str

    @property
    def complete(self) -> bool:
        """Enough to be a lead of its own: a valid way to reach them."""
        return bool(self.contact.email or self.contact.phone)


@dataclass(frozen=True)
class Criteria:
    """A new search, as the import would read it from a note."""

    operation: Operation | None = None
    locations: tuple[str, ...] = ()
    bedrooms: int | None = None
    min_budget: int | None = None
    max_budget: int | None = None
    rent_min_budget: int | None = None
    rent_max_budget: int | None = None
    currency: str | None = None

    def changes(self) -> dict[str, object]:
        """The lead's fields this search sets (only what it says)."""
        values: dict[str, object] = {
            "operation": self.operation,
            "locations": list(self.locations) if self.locations else None,
            "bedrooms": self.bedrooms,
            "currency": self.currency,
        }
        if self.min_budget is not None or self.max_budget is not None:
            values |= {"min_budget": self.min_budget, "max_budget": self.max_budget}
        if self.rent_min_budget is not None or self.rent_max_budget is not None:
            values |= {"rent_min_budget": self.rent_min_budget,
                       "rent_max_budget": self.rent_max_budget}  # fmt: skip
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True)
class LeadUpdate:
    contact: Contact = field(default_factory=Contact)
    referral: Referral | None = None
    criteria: Criteria | None = None

    def __bool__(self) -> bool:
        return bool(self.contact) or self.referral is not None or self.criteria is not None


def _contact(text: str, region: str | None) -> Contact:
    email = phone = None
    invalid: list[str] = []
    for found in _EMAIL_LIKE.finditer(text):
        candidate = found[0].strip(".,;:!?()<>\"'")
        try:
            email = normalize_email(candidate)
            break
        except InvalidValueError:
            continue
    else:
        if _EMAIL_LIKE.search(text):
            invalid.append("email")
    numbers = [m[0].strip() for m in _PHONE.finditer(_EMAIL.sub(" ", text))]
    # A short run of digits is a phone only when the lead says it is ("mi nuevo cel es 55 12").
    pointed = _CONTACT_WORDS.search(fold(text)) is not None
    numbers = [n for n in numbers if sum(c.isdigit() for c in n) >= (4 if pointed else 7)]
    for number in numbers:
        try:
            phone = normalize_phone(number, region)
            break
        except InvalidValueError:
            continue
    else:
        if numbers:
            invalid.append("phone")
    return Contact(email, phone, tuple(invalid))


def without_contacts(text: str) -> str:
    """The words of a reply without its addresses and numbers (which read as no language)."""
    return _PHONE.sub(" ", _EMAIL_LIKE.sub(" ", text))


def _referral_name(text: str) -> str | None:
    found = _NAMED.search(text)
    if found is None:
        found = _NAMED_AFTER.search(text)
        if found is not None and not _RELATIVE.search(fold(found[0])):
            return None
    return found["name"].strip() if found else None


def says_search(text: str) -> bool:
    """Whether the reply may describe a new search (worth reading the brokerage's places)."""
    return _SEARCH_WORDS.search(fold(text)) is not None


def read_update(
    text: str,
    *,
    region: str | None,
    known_locations: Iterable[str] = (),
    current_email: str | None = None,
    current_phone: str | None = None,
) -> LeadUpdate:
    """What the reply changes in the lead's data, if anything. `region` reads national
    numbers (the brokerage's country); an address the lead already has is no change."""
    folded = fold(text)
    contact = _contact(text, region)
    if _RELATIVE.search(folded) and (_THEIRS.search(folded) or contact):
        return LeadUpdate(referral=Referral(_referral_name(text), contact, text.strip()))
    if "phone" in contact.invalid and not contact.email and not _CONTACT_WORDS.search(folded):
        contact = Contact(invalid=tuple(i for i in contact.invalid if i != "phone"))
    if contact.email and current_email and contact.email == current_email.lower():
        contact = Contact(None, contact.phone, contact.invalid)
    if contact.phone and current_phone and contact.phone == current_phone:
        contact = Contact(contact.email, None, contact.invalid)
    criteria = None
    if _SEARCH_WORDS.search(folded) and not contact:
        read = read_preferences(text, default_region=region, known_locations=known_locations)
        operation = read.operation
        rent = read.rent_min_budget is not None or read.rent_max_budget is not None
        purchase = read.min_budget is not None or read.max_budget is not None
        if operation is None and rent != purchase:  # "under 3k a month": a rental
            operation = Operation.RENT if rent else Operation.BUY
        found = Criteria(
            operation=operation,
            locations=tuple(read.locations),
            bedrooms=read.bedrooms,
            min_budget=read.min_budget,
            max_budget=read.max_budget,
            rent_min_budget=read.rent_min_budget,
            rent_max_budget=read.rent_max_budget,
            currency=read.currency if (rent or purchase) else None,
        )
        # A search names at least two things (bedrooms and a place, a budget...): one alone
        # ("busco algo en Roma") is what the listing conversation already handles.
        said = [found.locations, found.bedrooms, rent or purchase]
        if sum(1 for value in said if value) >= 2:
            criteria = found
    return LeadUpdate(contact=contact, criteria=criteria)
