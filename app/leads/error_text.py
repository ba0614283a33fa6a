"""The import's row errors in the brokerage's language.

The parser writes each error once, in English, with the broker's own values quoted in it; a
Spanish brokerage reads it in Spanish. The wording is data: each English message shape beside
its translation, `{names}` standing for the parts that vary (the value, the region, a count).
Pure, no I/O.
"""

from __future__ import annotations

import re
from functools import lru_cache

# English shape -> Spanish (usted: the broker reads these). Longer shapes first where one
# starts like another.
_SPANISH: tuple[tuple[str, str], ...] = (
    (
        'Phone "{value}" is not a valid phone number for region {region}',
        'El teléfono "{value}" no es un número válido para la región {region}',
    ),
    (
        'Email "{value}" is not a valid email address',
        'El correo "{value}" no es una dirección válida',
    ),
    (
        'Date "{value}" is not a date we can read (expected {order})',
        'La fecha "{value}" no se puede leer (se esperaba {order})',
    ),
    (
        'Date "{value}" is in the future; not used as the last contact',
        'La fecha "{value}" está en el futuro; no se usó como último contacto',
    ),
    (
        'Budget "{value}" is not an amount of money',
        'El presupuesto "{value}" no es una cantidad de dinero',
    ),
    (
        'Budget "{value}" is too large to be a budget',
        'El presupuesto "{value}" es demasiado grande para ser un presupuesto',
    ),
    (
        'Bedrooms "{value}" is not a number of bedrooms',
        'Recámaras: "{value}" no es un número de recámaras',
    ),
    (
        'Currency "{value}" is not one we know (use a code like MXN or USD)',
        'La moneda "{value}" no es una que conozcamos (use un código como MXN o USD)',
    ),
    (
        "Row skipped: it has no valid email or phone number",
        "Fila omitida: no tiene un correo ni un teléfono válidos",
    ),
    ("Row skipped: it has no email or phone number", "Fila omitida: no tiene correo ni teléfono"),
    (
        "Row skipped: this person's lead was erased and they must not be contacted again",
        "Fila omitida: el lead de esta persona se borró a petición suya y no se le debe volver"
        " a contactar",
    ),
    (
        "Line has {cells} cells but the header has {headers}: {shown} and {more} more not"
        " imported (a comma inside a value without quotes?)",
        "La línea tiene {cells} celdas pero el encabezado tiene {headers}: {shown} y {more} más"
        " no se importaron (¿una coma dentro de un valor sin comillas?)",
    ),
    (
        "Line has {cells} cells but the header has {headers}: {shown} not imported (a comma"
        " inside a value without quotes?)",
        "La línea tiene {cells} celdas pero el encabezado tiene {headers}: {shown} no se"
        " importó (¿una coma dentro de un valor sin comillas?)",
    ),
)
# Words inside a value the parser wrote itself ("region unknown", "dd/mm/yyyy").
_SPANISH_WORDS = {"unknown": "desconocida", "dd/mm/yyyy": "dd/mm/aaaa", "mm/dd/yyyy": "mm/dd/aaaa"}

_TRANSLATIONS = {"es": _SPANISH}
_NAME = re.compile(r"\{(\w+)\}")


def _pattern(shape: str) -> re.Pattern[str]:
    parts = _NAME.split(shape)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.*?)"
        for index, part in enumerate(parts)
    )
    return re.compile(f"{regex}$", re.DOTALL)


@lru_cache(maxsize=4)
def _compiled(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((_pattern(english), said) for english, said in _TRANSLATIONS.get(language, ()))


def import_error_text(message: str, language: str | None) -> str:
    """`message` as a broker of this language reads it (English and unknown shapes as they
    are)."""
    for pattern, said in _compiled(language or "en"):
        found = pattern.match(message)
        if found is not None:
            values = {
                name: _SPANISH_WORDS.get(value, value) for name, value in found.groupdict().items()
            }
            return said.format(**values)
    return message
