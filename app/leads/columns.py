"""Which lead field each CSV column feeds: English and Spanish headers, CRM export labels."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from app.core.text import fold
from app.leads.fields import LeadField

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NUMBERED = re.compile(r"^(?:\d+ )?(.*?)(?: \d+)?$")  # "Email 2", "Phone 3", "1 Email"

_VOCABULARY: dict[LeadField, str] = {
    LeadField.NAME: """name; full name; contact name; lead name; client name; customer name;
        nombre completo; nombre y apellido; nombre y apellidos; nombre del cliente; cliente;
        nombre cliente; prospecto; nombre del prospecto""",
    LeadField.FIRST_NAME: "first name; first; firstname; given name; nombre; nombres; primer nombre",
    LeadField.LAST_NAME: """last name; last; lastname; surname; family name; apellido; apellidos;
        apellido s;
        apellido paterno; apellido materno""",
    LeadField.EMAIL: """email; e mail; email address; e mail address; mail; emails; primary email;
        personal email; work email; home email; other email; correo; correo electronico;
        correo e; email personal; direccion de correo; mail personal""",
    LeadField.PHONE: """phone; phone number; phones; mobile; mobile phone; mobile phone number;
        mobile number; cell; cell phone; cellphone; telephone; tel; home phone; work phone;
        other phone; primary phone; whatsapp; whatsapp number; telefono; telefonos; tel movil;
        telefono movil; telefono celular; telefono fijo; celular; cel; movil; numero;
        numero de telefono; numero de celular; numero de whatsapp""",
    LeadField.LAST_CONTACT: """last contact; last contacted; last contact date; last activity;
        last activity date; last communication; last touch; last engagement date;
        last communication date; ultimo contacto; fecha de ultimo contacto; fecha ultimo contacto;
        ultima actividad; ultima interaccion; fecha de ultima actividad; ultimo seguimiento""",
    LeadField.CREATED_AT: """created; create date; created at; created date; date created;
        date added; registration date; created on; fecha de alta; fecha alta; fecha de creacion;
        fecha de registro; fecha registro; alta""",
    LeadField.STATUS: """status; lead status; lifecycle stage; stage; lead stage; pipeline stage;
        estado; etapa; estatus; status del lead; etapa del lead; situacion; estado del lead""",
    LeadField.NOTES: """notes; note; comments; comment; description; background; message;
        notas; nota; comentarios; comentario; observaciones; observacion; descripcion; mensaje""",
    LeadField.BUDGET: """budget; price; price range; budget range; presupuesto; precio;
        rango de precio; rango de presupuesto; monto; inversion""",
    LeadField.MIN_BUDGET: """min budget; minimum budget; budget min; min price; minimum price;
        price min; presupuesto minimo; presupuesto min; precio minimo; precio min""",
    LeadField.MAX_BUDGET: """max budget; maximum budget; budget max; max price; maximum price;
        price max; presupuesto maximo; presupuesto max; precio maximo; precio max""",
    LeadField.RENT_BUDGET: """rent budget; monthly rent; max rent; rent; rent range; monthly budget;
        renta; renta mensual; presupuesto renta; presupuesto de renta; renta maxima; alquiler""",
    LeadField.CURRENCY: "currency; moneda; divisa; currency code",
    LeadField.LOCATION: """location; locations; area; areas; neighborhood; neighbourhood; zone;
        city; preferred location; preferred locations; preferred area; desired location;
        zona; zonas; colonia; colonias; barrio; sector; ciudad; provincia; municipio;
        delegacion; alcaldia; ubicacion; zona de interes; zonas de interes; localidad""",
    LeadField.BEDROOMS: """bedrooms; beds; bed; br; bedroom; recamaras; recamara; habitaciones;
        habitacion; dormitorios; cuartos; numero de recamaras; no de recamaras; num recamaras""",
    LeadField.OPERATION: """operation; transaction type; lead type; buy or rent; operacion;
        tipo de operacion; operacion de interes""",
    LeadField.LANGUAGE: "language; preferred language; lang; idioma; lengua; idioma preferido",
    LeadField.EXTERNAL_ID: """record id; contact id; id; external id; crm id; lead id;
        person id; id cliente; id del cliente; folio""",
    LeadField.SOURCE: """source; lead source; original source; origen; fuente; canal;
        medio; origen del lead""",
    LeadField.OWNER: """contact owner; owner; lead owner; agent; assigned to; assigned agent;
        asesor; asesor asignado; agente; vendedor; responsable""",
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


class MappingError(ValueError):
    """An explicit mapping names a column the file does not have."""


@lru_cache(maxsize=4096)
def header_key(header: str) -> str:
    """'Correo Electrónico 2' -> 'correo electronico': folded, punctuation and numbering gone."""
    words = _NOT_WORD.sub(" ", fold(header)).strip()
    match = _NUMBERED.match(words)
    return match.group(1) if match else words


def detect_field(header: str) -> LeadField | None:
    """The field a header names, or None when we do not recognise it."""
    key = header_key(header)
    if not key:
        return None
    if field := _KNOWN.get(key):
        return field
    words = set(key.split())
    if words & _NOT_CONTACT:
        return None
    if words & _EMAIL_WORDS:
        return LeadField.EMAIL
    if words & _PHONE_WORDS:
        return LeadField.PHONE
    return None


def detect_mapping(
    headers: Sequence[str], explicit: Mapping[str, LeadField] | None = None
) -> dict[int, LeadField]:
    """Column index -> field for every column we can use; IGNOREd and unknown columns are left out.

    Several columns may feed EMAIL, PHONE, LOCATION, LAST_NAME, NOTES and TAGS; the row parser
    takes the first non-empty value for the other fields. An explicit mapping (header text ->
    field, matched like detection: case, accents and spacing do not matter) overrides detection
    column by column.
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
    return mapping
