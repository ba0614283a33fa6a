"""Header detection for English, Spanish and CRM export headers."""

from __future__ import annotations

import pytest

from app.leads.columns import MappingError, detect_mapping
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
