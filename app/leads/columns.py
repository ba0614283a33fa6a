"""Which lead field each CSV column feeds: English and Spanish headers, CRM export labels.

Pure: a header is folded (case, accents, punctuation, numbering), its plural words made singular
and its qualifiers ("Preferred ...", "Lead ...", "(MXN)") dropped before it is looked up. A column
we still do not recognise gets a *suggested* field (a fuzzy match of its header, or what its values
look like) that the broker confirms with an explicit mapping: a guess is never applied silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.core.text import fold
from app.leads.fields import LeadField

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBERED = re.compile(r"^(?:\d+ )?(.*?)(?: \d+)?$")  # "Email 2", "Phone 3", "1 Email"

_VOCABULARY: dict[LeadField, str] = {
    LeadField.NAME: """name; full name; contact name; lead name; client name; customer name;
        nombre completo; nombre y apellido; nombre y apellidos; nombre del cliente; cliente;
        nombre cliente; prospecto; nombre del prospecto; display name""",
    LeadField.FIRST_NAME: "first name; first; firstname; given name; nombre; primer nombre",
    LeadField.LAST_NAME: """last name; last; lastname; surname; family name; apellido; apellidos;
        apellido s;
        apellido paterno; apellido materno""",
    LeadField.EMAIL: """email; e mail; email address; e mail address; mail; emails; primary email;
        personal email; work email; home email; other email; correo; correo electronico;
        correo e; email personal; direccion de correo; mail personal; email principal""",
    LeadField.PHONE: """phone; phone number; phones; mobile; mobile phone; mobile phone number;
        mobile number; cell; cell phone; cellphone; telephone; tel; home phone; work phone;
        other phone; primary phone; whatsapp; whatsapp number; telefono; telefonos; tel movil;
        telefono movil; telefono celular; telefono fijo; celular; cel; movil; numero;
        numero de telefono; numero de celular; numero de whatsapp; mobilephone;
        mobile phone number; telefono principal; telefono de contacto""",
    LeadField.LAST_CONTACT: """last contact; last contacted; last contact date; last activity;
        last activity date; last communication; last touch; last engagement date;
        last communication date; ultimo contacto; fecha de ultimo contacto; fecha ultimo contacto;
        ultima actividad; ultima interaccion; fecha de ultima actividad; ultimo seguimiento;
        notes last contacted; last activity at; last contacted date; date of last contact;
        last call; last email; fecha de ultimo seguimiento; fecha ultima actividad""",
    LeadField.CREATED_AT: """created; create date; created at; created date; date created;
        date added; registration date; created on; fecha de alta; fecha alta; fecha de creacion;
        fecha de registro; fecha registro; alta; createdate; created time; became a lead date;
        fecha de ingreso""",
    LeadField.STATUS: """status; lead status; lifecycle stage; stage; lead stage; pipeline stage;
        estado; etapa; estatus; status del lead; etapa del lead; situacion; estado del lead;
        lifecyclestage; hs lead status; deal stage; lead stage""",
    LeadField.NOTES: """notes; note; comments; comment; description; background; message;
        notas; nota; comentarios; comentario; observaciones; observacion; descripcion; mensaje;
        additional information; details; detalles; informacion adicional""",
    LeadField.BUDGET: """budget; price; price range; budget range; presupuesto; precio;
        rango de precio; rango de presupuesto; monto; inversion; price point; purchase budget;
        budget amount; presupuesto de compra""",
    LeadField.MIN_BUDGET: """min budget; minimum budget; budget min; min price; minimum price;
        price min; presupuesto minimo; presupuesto min; precio minimo; precio min; price from;
        budget from; precio desde""",
    LeadField.MAX_BUDGET: """max budget; maximum budget; budget max; max price; maximum price;
        price max; presupuesto maximo; presupuesto max; precio maximo; precio max; price to;
        budget to; precio hasta""",
    LeadField.RENT_BUDGET: """rent budget; monthly rent; max rent; rent; rent range; monthly budget;
        renta; renta mensual; presupuesto renta; presupuesto de renta; renta maxima; alquiler""",
    LeadField.CURRENCY: "currency; moneda; divisa; currency code",
    LeadField.LOCATION: """location; locations; area; areas; neighborhood; neighbourhood; zone;
        city; preferred location; preferred locations; preferred area; desired location;
        zona; zonas; colonia; colonias; barrio; sector; ciudad; provincia; municipio;
        delegacion; alcaldia; ubicacion; zona de interes; zonas de interes; localidad;
        neighborhood of interest; target area; search area; area of interest; suburb;
        lugar; colonia de interes; area de interes""",
    LeadField.BEDROOMS: """bedrooms; beds; bed; br; bedroom; recamaras; recamara; habitaciones;
        habitacion; dormitorios; dormitorio; cuartos; cuarto; numero de recamaras;
        no de recamaras; num recamaras; number of bedrooms; no of bedrooms; bedroom count;
        min bedrooms; minimum bedrooms; beds min; bedrooms min; recamaras minimas""",
    LeadField.OPERATION: """operation; transaction type; lead type; buy or rent; operacion;
        tipo de operacion; operacion de interes; buyer or renter; looking to;
        tipo de cliente; compra o renta; buying or renting""",
    LeadField.LANGUAGE: "language; lang; idioma; lengua; locale",
    LeadField.EXTERNAL_ID: """record id; contact id; id; external id; crm id; lead id;
        person id; id cliente; id del cliente; folio; hs object id; fub id""",
    LeadField.SOURCE: """source; lead source; original source; origen; fuente; canal;
        medio; origen del lead; original source type; lead source detail; campaign; campana""",
    LeadField.OWNER: """contact owner; owner; lead owner; agent; assigned to; assigned agent;
        asesor; asesor asignado; agente; vendedor; responsable; hubspot owner;
        assigned user; agent name; asesor responsable; propietario""",
    LeadField.TAGS: "tags; tag; labels; etiquetas; etiqueta",
}
_KNOWN: dict[str, LeadField] = {
    key.strip(): field
    for field, keys in _VOCABULARY.items()
    for key in keys.split(";")
    if key.strip()
}
_EMAIL_WORDS = frozenset({"email", "mail", "correo", "emails"})
_PHONE_WORDS = frozenset(
    {"phone", "mobile", "cell", "telephone", "whatsapp", "telefono", "celular", "movil", "tel"}
)
# Words that make "Email Opt Out" or "Phone Type" something other than the address itself.
_NOT_CONTACT = frozenset(
    {"opt", "optout", "out", "status", "type", "consent", "bounce", "bounced", "unsubscribed",
     "verified", "subscription", "marketing", "date", "fecha", "domain", "tipo", "opened",
     "clicked", "sent", "count", "valid", "ext", "extension"}
)  # fmt: skip


# Words every vocabulary entry is made of; a plural header word ("Phones", "Zonas",
# "Habitaciones", "Properties") is read as its singular when that is one of them, and so is each
# entry, so "Colonias de interés" finds "colonia de interes".
_VOCABULARY_WORDS = frozenset(word for key in _KNOWN for word in key.split())


def _singular(word: str) -> str:
    if len(word) < 4:
        return word
    for stem in (word[:-3] + "y" if word.endswith("ies") else "", word[:-2], word[:-1]):
        if stem and word.endswith(("s",)) and stem in _VOCABULARY_WORDS:
            return stem
    return word


def _singular_key(key: str) -> str:
    return " ".join(_singular(word) for word in key.split())


for _key, _field in list(_KNOWN.items()):
    _KNOWN.setdefault(_singular_key(_key), _field)
# Qualifiers that do not change which field a header names: "Preferred Neighborhoods",
# "Lead Phone", "Budget (MXN)", "Presupuesto deseado", HubSpot's "hs_" internal names.
_QUALIFIERS = frozenset(
    {"preferred", "desired", "wanted", "target", "favorite", "favourite", "ideal", "lead",
     "leads", "contact", "client", "customer", "primary", "main", "buyer", "renter", "hs",
     "fub", "crm", "your", "my", "current", "preferido", "preferida", "preferidos",
     "preferidas", "deseado", "deseada", "deseados", "deseadas", "del", "de", "la", "el",
     "los", "las", "cliente", "prospecto", "principal", "mxn", "usd", "eur", "cad", "cop",
     "ars", "pesos", "dollars", "dolares", "mn", "in", "of", "the"}
)  # fmt: skip
# rapidfuzz ratio (0-100) from which a header's nearest label is proposed: typos and close
# spellings, not headers that merely contain a known word ("Email Opt Out").
SUGGESTION_SCORE = 80


class MappingError(ValueError):
    """An explicit mapping names a column the file does not have."""


@lru_cache(maxsize=4096)
def header_key(header: str) -> str:
    """'Correo Electrónico 2' -> 'correo electronico': folded, punctuation and numbering gone."""
    words = _NOT_WORD.sub(" ", fold(header)).strip()
    match = _NUMBERED.match(words)
    return match.group(1) if match else words


@lru_cache(maxsize=4096)
def _lookup_keys(header: str) -> tuple[str, ...]:
    """The forms of a header to look up, most literal first."""
    key = header_key(header)
    singular = _singular_key(key)
    bare = " ".join(w for w in singular.split() if w not in _QUALIFIERS)
    return tuple(dict.fromkeys(k for k in (key, singular, bare) if k))


@lru_cache(maxsize=4096)
def detect_field(header: str) -> LeadField | None:
    """The field a header names, or None when we do not recognise it."""
    keys = _lookup_keys(header)
    if not keys:
        return None
    for key in keys:
        if field := _KNOWN.get(key):
            return field
    words = set(keys[-1].split()) | set(keys[0].split())
    if words & _NOT_CONTACT:
        return None
    if words & _EMAIL_WORDS:
        return LeadField.EMAIL
    if words & _PHONE_WORDS:
        return LeadField.PHONE
    return None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A field proposed for a column we did not recognise, and why: the broker confirms it."""

    field: LeadField
    confidence: float  # 0-1
    reason: str


# Headers too vague to name a field ("Type", "Tipo", "Contact Type"): what their values are
# decides. An operation column's values: "Compra/Renta/Venta", "Buyer/Renter/Seller/Tenant".
_VAGUE_HEADERS = frozenset(
    {"type", "tipo", "kind", "clase", "categoria", "category", "class", "busca", "buscan",
     "busqueda", "interes", "interest", "intent"}
)  # fmt: skip
_OPERATION_VALUES = frozenset(
    {"compra", "comprar", "comprador", "compradora", "renta", "rentar", "arrendatario",
     "arrendamiento", "inquilino", "inquilina", "alquiler", "alquilar", "venta", "vender",
     "vendedor", "vendedora", "buy", "buyer", "buying", "purchase", "rent", "renter", "renting",
     "rental", "tenant", "lease", "sell", "seller", "selling", "sale", "landlord", "ambas",
     "ambos", "both", "buy rent", "buyer renter", "compra renta", "compra venta", "venta renta",
     "arriendo", "arrendar", "arrendataria", "compra arriendo", "arriendo compra",
     "venta arriendo", "arriendo venta"}
)  # fmt: skip
# Share of a column's non-empty values that must be operation words to recognise it.
OPERATION_SHARE = 0.8


def operation_share(values: Iterable[str]) -> float:
    """The share of the non-empty values that say buy, rent or sell ("Compra", "Buyer")."""
    keys = [header_key(value) for value in values if value.strip()]
    return sum(key in _OPERATION_VALUES for key in keys) / len(keys) if keys else 0.0


def is_operation_column(header: str, values: Iterable[str]) -> bool:
    """A vague header ("Tipo", "Type") whose values are buy/rent/sell words names the
    operation: "Tipo" of Compra/Renta is, "Tipo" of Casa/Departamento is not."""
    keys = _lookup_keys(header)
    return bool(keys) and keys[-1] in _VAGUE_HEADERS and operation_share(values) >= OPERATION_SHARE


_EMAILISH = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_PHONEISH = re.compile(r"^\+?[\d\s().\-]{7,20}$")


def suggest_field(header: str, samples: Iterable[str] = ()) -> Suggestion | None:
    """A field for an unrecognised column: its header's nearest known label, else its values'
    shape (addresses, phone numbers); None when nothing is close enough to propose."""
    # Imported here: only an import with unrecognised columns needs it, and the parse workers
    # (which import this module) stay smaller without it.
    from rapidfuzz import fuzz, process

    keys = _lookup_keys(header)
    if keys:
        found = process.extractOne(
            keys[-1], _KNOWN.keys(), scorer=fuzz.ratio, score_cutoff=SUGGESTION_SCORE
        )
        if found is not None:
            label, score, _ = found
            return Suggestion(_KNOWN[label], round(score / 100, 2), f'looks like "{label}"')
    values = [value.strip() for value in samples if value.strip()]
    if values and (share := operation_share(values)) >= 0.6:
        return Suggestion(LeadField.OPERATION, round(share, 2), "its values say buy, rent or sell")
    if values:
        for pattern, field, what in (
            (_EMAILISH, LeadField.EMAIL, "email addresses"),
            (_PHONEISH, LeadField.PHONE, "phone numbers"),
        ):
            share = sum(1 for value in values if pattern.match(value)) / len(values)
            if share >= 0.6:
                return Suggestion(field, round(share, 2), f"its values look like {what}")
    return None


def detect_mapping(
    headers: Sequence[str],
    explicit: Mapping[str, LeadField] | None = None,
    samples: Sequence[Sequence[str]] = (),
) -> dict[int, LeadField]:
    """Column index -> field for every column we can use; IGNOREd and unknown columns are left out.

    Several columns may feed EMAIL, PHONE, LOCATION, LAST_NAME, NOTES and TAGS; the row parser
    takes the first non-empty value for the other fields. An explicit mapping (header text ->
    field, matched like detection: case, accents and spacing do not matter) overrides detection
    column by column. With sample rows, a vaguely named column whose values are buy/rent/sell
    words ("Tipo": Compra, Renta) feeds OPERATION when no column names it.
    """
    chosen: dict[str, LeadField] = {}
    if explicit:
        keys = {header_key(header) for header in headers} | set(headers)
        for header, target in explicit.items():
            if header not in keys and header_key(header) not in keys:
                raise MappingError(
                    f'Column "{header}" is not in the file; its columns are: '
                    + ", ".join(f'"{h}"' for h in headers if h.strip())
                )
            chosen[header_key(header)] = target
    mapping: dict[int, LeadField] = {}
    for index, header in enumerate(headers):
        field: LeadField | None = chosen.get(header_key(header)) if chosen else None
        if field is None:
            field = detect_field(header)
        if field is not None and field is not LeadField.IGNORE:
            mapping[index] = field
    if samples and LeadField.OPERATION not in mapping.values():
        for index, header in enumerate(headers):
            if index in mapping or (chosen and header_key(header) in chosen):
                continue
            values = [row[index] for row in samples if index < len(row)]
            if is_operation_column(header, values):
                mapping[index] = LeadField.OPERATION
                break
    return mapping
