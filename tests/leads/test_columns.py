"""Header detection for English, Spanish and CRM export headers."""

from __future__ import annotations

import pytest

from app.leads.columns import MappingError, Suggestion, detect_field, detect_mapping, suggest_field
from app.leads.fields import LeadField as F


def named(headers: list[str]) -> dict[str, str]:
    return {headers[index]: field.name for index, field in detect_mapping(headers).items()}


def test_hubspot_export_headers() -> None:
    headers = [
        "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
        "Primary Associated Company ID", "Last Activity Date", "Lead Status",
        "Marketing contact status", "Create Date", "Associated Company", "Email 2",
        "Mobile Phone Number", "Email Opt Out", "Lifecycle Stage", "Contact ID",
    ]  # fmt: skip
    assert named(headers) == {
        "Record ID": "EXTERNAL_ID",
        "First Name": "FIRST_NAME",
        "Last Name": "LAST_NAME",
        "Email": "EMAIL",
        "Phone Number": "PHONE",
        "Contact owner": "OWNER",
        "Last Activity Date": "LAST_CONTACT",
        "Lead Status": "STATUS",
        "Create Date": "CREATED_AT",
        "Email 2": "EMAIL",
        "Mobile Phone Number": "PHONE",
        "Lifecycle Stage": "STATUS",
        "Contact ID": "EXTERNAL_ID",
    }


def test_spanish_headers_ignore_case_accents_and_punctuation() -> None:
    headers = [
        "NOMBRE", "Apellido(s)", "correo electronico", "Teléfono 2", "Celular", "Móvil",
        "WhatsApp", "Último contacto", "Presupuesto", "Presupuesto mínimo", "Presupuesto Máximo",
        "Recámaras", "Habitaciones", "Zona", "Colonia", "Barrio", "Ciudad", "Operación",
        "Notas", "Comentarios", "Origen", "Fuente", "Asesor", "Etapa", "Estado",
        "Nombre completo", "Tipo de propiedad",
    ]  # fmt: skip
    assert [field.name for field in detect_mapping(headers).values()] == [
        "FIRST_NAME", "LAST_NAME", "EMAIL", "PHONE", "PHONE", "PHONE", "PHONE", "LAST_CONTACT",
        "BUDGET", "MIN_BUDGET", "MAX_BUDGET", "BEDROOMS", "BEDROOMS", "LOCATION", "LOCATION",
        "LOCATION", "LOCATION", "OPERATION", "NOTES", "NOTES", "SOURCE", "SOURCE", "OWNER",
        "STATUS", "STATUS", "NAME",
    ]  # fmt: skip


def test_explicit_mapping_overrides_column_by_column() -> None:
    headers = ["Name", "Email", "Zona", "Extra"]
    explicit = {"zona": F.NOTES, "EXTRA": F.TAGS, "Email": F.IGNORE}
    assert detect_mapping(headers, explicit) == {0: F.NAME, 2: F.NOTES, 3: F.TAGS}


def test_explicit_mapping_naming_a_missing_column() -> None:
    with pytest.raises(MappingError) as raised:
        detect_mapping(["Name", "Email", ""], {"Telefono": F.PHONE})
    assert (
        str(raised.value)
        == 'Column "Telefono" is not in the file; its columns are: "Name", "Email"'
    )


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # plurals, English and Spanish
        ("Phones", F.PHONE),
        ("Emails 2", F.EMAIL),
        ("Teléfonos", F.PHONE),
        ("Ciudades", F.LOCATION),
        ("Colonias de interés", F.LOCATION),
        ("Recámaras", F.BEDROOMS),
        ("Nombres", F.FIRST_NAME),
        # qualifiers that do not change the field
        ("Preferred Neighborhoods", F.LOCATION),
        ("Desired Location", F.LOCATION),
        ("Bedrooms Desired", F.BEDROOMS),
        ("Lead Name", F.NAME),
        ("Lead Stage", F.STATUS),
        ("Budget (MXN)", F.BUDGET),
        ("Presupuesto deseado", F.BUDGET),
        ("Zonas preferidas", F.LOCATION),
        ("Desired Price Range", F.BUDGET),
        # Follow Up Boss and HubSpot labels, custom properties and internal names
        ("Background", F.NOTES),
        ("Assigned To", F.OWNER),
        ("Lead Type", F.OPERATION),
        ("Number of Bedrooms", F.BEDROOMS),
        ("Original Source", F.SOURCE),
        ("Last Contacted", F.LAST_CONTACT),
        ("hs_lead_status", F.STATUS),
        ("mobilephone", F.PHONE),
        ("createdate", F.CREATED_AT),
        ("hubspot_owner", F.OWNER),
        ("Max Price", F.MAX_BUDGET),
    ],
)
def test_header_variants_are_recognised(header: str, field: F) -> None:
    assert detect_field(header) is field


@pytest.mark.parametrize(
    "header",
    ["Email Opt Out", "Phone Type", "Zip Code", "Source URL", "Assigned Lender", "Color favorito"],
)
def test_headers_that_only_contain_a_known_word_stay_unrecognised(header: str) -> None:
    assert detect_field(header) is None


def test_a_misspelt_header_gets_a_proposal_never_a_mapping() -> None:
    assert detect_field("Telefno") is None
    assert suggest_field("Telefno") == Suggestion(F.PHONE, 0.93, 'looks like "telefono"')
    assert suggest_field("Corre electronico") == Suggestion(
        F.EMAIL, 0.97, 'looks like "correo electronico"'
    )
    # A header far from every label: its values decide, when they look like something.
    assert suggest_field("Contacto", ["ana@example.com", "bob@example.mx", ""]) == Suggestion(
        F.EMAIL, 1.0, "its values look like email addresses"
    )
    assert suggest_field("Dato 1", ["55 1234 5678", "+52 33 1234 5678", "n/a"]) == Suggestion(
        F.PHONE, 0.67, "its values look like phone numbers"
    )
    assert suggest_field("Email Opt Out", ["true", "false"]) is None
    assert suggest_field("Color favorito", ["azul", "verde"]) is None


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("Tipo", ["Compra", "Renta", "Venta", "Renta"]),
        ("Type", ["Buyer", "Renter", "Seller", "Tenant"]),
        ("Contact Type", ["Buy", "Rent", "buy", ""]),
        ("Busca", ["Arriendo", "Compra", "arriendo", "Compra"]),
    ],
)
def test_a_vague_header_whose_values_are_buy_or_rent_is_the_operation(
    header: str, values: list[str]
) -> None:
    headers = ["Email", header]
    samples = [["x@example.com", value] for value in values]
    assert detect_mapping(headers, samples=samples) == {0: F.EMAIL, 1: F.OPERATION}
    assert detect_mapping(headers) == {0: F.EMAIL}  # the header alone says too little
    assert suggest_field(header, values) == Suggestion(
        F.OPERATION, 1.0, "its values say buy, rent or sell"
    )


def test_a_vague_header_of_other_values_is_not_the_operation() -> None:
    samples = [["x@example.com", value] for value in ("Casa", "Departamento", "Terreno")]
    assert detect_mapping(["Email", "Tipo"], samples=samples) == {0: F.EMAIL}
    # an explicit choice stands, and a column that names the operation comes first
    assert detect_mapping(["Email", "Tipo"], {"Tipo": F.IGNORE}, [["x@e.co", "Compra"]]) == {
        0: F.EMAIL
    }
    assert detect_mapping(
        ["Email", "Operación", "Type"], samples=[["x@e.co", "Compra", "Rent"]]
    ) == {0: F.EMAIL, 1: F.OPERATION}
