"""Pure normalisers for lead cell values: phones, emails, dates and money, as brokers write them."""

from __future__ import annotations

import contextlib
import importlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import email_validator
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES
from email_validator.syntax import validate_email_length, validate_email_local_part
from email_validator.types import ValidatedEmail

from app.core.text import fold


class InvalidValueError(ValueError):
    """A cell value we cannot use; str(error) is a message written for the broker."""


# --- phones -----------------------------------------------------------------------------------

_EXCEL_FLOAT = re.compile(r"^\+?\d+\.0$")
# "Cel: ...", "Casa - ...", "WhatsApp ...": a label before the number.
_PHONE_LABEL = re.compile(
    r"^(?:cel(?:ular)?|movil|móvil|mobile|mob|cell|tel(?:efono|éfono)?|phone|ph|casa|home|"
    r"oficina|office|work|trabajo|whatsapp|wa|wsp|fijo|personal|m|h|w|c|t)\b\.?\s*[:.\-]?\s*",
    re.IGNORECASE,
)
_EXTENSION = re.compile(
    r"\s*(?:,|;)?\s*(?:ext(?:ension|ensión)?\.?|x|#)\s*(?P<ext>\d{1,6})\s*$", re.IGNORECASE
)
_NOT_DIGITS = re.compile(r"[^\d+]")
# Room for the values a file repeats (office numbers, shared inboxes); unique values just pass
# through, so a bigger cache only costs memory (about 300 bytes an entry).
_CACHE_SIZE = 4096


class _Rejected(str):
    """A cached rejection: the message. Exceptions are not cached, since each raise of the same
    exception object chains another traceback (and its frames) onto it."""


@lru_cache(maxsize=_CACHE_SIZE)
def _phone_or_error(raw: str, region: str | None) -> str:
    # Cached by raw text: files repeat office numbers and the parse is the import's hot path.
    text = raw.strip()
    if _EXCEL_FLOAT.match(text):  # Excel turned the number into a float: "5512345678.0"
        text = text[:-2]
    error = _Rejected(
        f'Phone "{raw.strip()}" is not a valid phone number for region {region or "unknown"}'
    )
    text = _PHONE_LABEL.sub("", text)
    extension = None
    if found := _EXTENSION.search(text):
        extension, text = found["ext"], text[: found.start()]
    digits = _NOT_DIGITS.sub("", text)
    if region == "MX" and not digits.startswith("+"):
        # Before 2019 a Mexican mobile was dialled 044 (local) or 045 (long distance) + its ten
        # digits, and a landline across cities 01 + ten digits: sheets still hold them.
        if len(digits) == 13 and digits[:3] in ("044", "045"):
            text = digits[3:]
        elif len(digits) == 12 and digits.startswith("01"):
            text = digits[2:]
    e164 = _plain_e164(text, region)
    if e164 is None:
        e164 = _phonenumbers_e164(text, region)
    if not e164:
        return error
    # An extension is kept the way RFC 3966 writes it: the number still dials, the person needs it.
    return f"{e164};ext={extension}" if extension else e164


def _phonenumbers_e164(text: str, region: str | None) -> str:
    """The E.164 form phonenumbers reads in `text`, or "" when it reads no valid number."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return ""
    national = number.national_number or 0
    if number.country_code == 52 and 10**10 <= national < 2 * 10**10:
        # WhatsApp still writes Mexican mobiles with the "1" Mexico dropped in 2019: +52 1 55...
        number.national_number = national % 10**10
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# The fast path (`_plain_e164`): a number written with digits, spaces, dots, hyphens and
# parentheses only, and a "+" only in front (what most lead files hold).
_PLAIN_NUMBER = re.compile(r"\+?[\d ().\-]+", re.ASCII)
# The number types phonenumbers tries, in its order, before the mobile pattern.
_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
)
_Desc = tuple[frozenset[int], re.Pattern[str]] | None


def _desc(desc: object) -> _Desc:
    pattern = getattr(desc, "national_number_pattern", None)
    if desc is None or not pattern:
        return None
    return frozenset(desc.possible_length), re.compile(pattern)  # type: ignore[attr-defined]


def _matches(national: str, desc: _Desc) -> bool:
    if desc is None:
        return False
    lengths, pattern = desc
    return (not lengths or len(national) in lengths) and pattern.fullmatch(national) is not None


@dataclass(frozen=True, slots=True)
class _RegionPatterns:
    """One region's phonenumbers metadata, compiled once, for `_known_type`."""

    general: _Desc
    types: tuple[_Desc, ...]
    mobile: _Desc  # None when the mobile and fixed-line patterns are the same
    leading_digits: re.Pattern[str] | None
    national_prefix: re.Pattern[str] | None
    international_prefix: re.Pattern[str] | None
    country_code: int


@cache
def _region_patterns(region: str) -> _RegionPatterns | None:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region, None)
    if metadata is None:
        return None

    def compiled(pattern: str | None) -> re.Pattern[str] | None:
        return re.compile(pattern) if pattern else None

    return _RegionPatterns(
        general=_desc(metadata.general_desc),
        types=tuple(_desc(getattr(metadata, name)) for name in _TYPES),
        mobile=None if metadata.same_mobile_and_fixed_line_pattern else _desc(metadata.mobile),
        leading_digits=compiled(metadata.leading_digits),
        national_prefix=compiled(metadata.national_prefix_for_parsing),
        international_prefix=compiled(metadata.international_prefix),
        country_code=metadata.country_code or 0,
    )


def _known_type(national: str, patterns: _RegionPatterns) -> bool:
    """phonenumbers' `_number_type_helper(...) != UNKNOWN`, on precompiled patterns."""
    if not _matches(national, patterns.general):
        return False
    return any(_matches(national, desc) for desc in patterns.types) or _matches(
        national, patterns.mobile
    )


def _is_valid(country_code: int, national: str) -> bool:
    """phonenumbers' `is_valid_number` for a number without leading zeros: the region that
    owns the number (the first whose leading digits match, or whose patterns do), then that
    region's patterns."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    if len(regions) == 1:
        patterns = _region_patterns(regions[0])
        return patterns is not None and _known_type(national, patterns)
    for region in regions:
        patterns = _region_patterns(region)
        if patterns is None:
            continue
        if patterns.leading_digits is not None:
            if patterns.leading_digits.match(national):
                return _known_type(national, patterns)
        elif _known_type(national, patterns):
            return True
    return False


def _plain_e164(text: str, region: str | None) -> str | None:
    """What `phonenumbers.parse`, `is_valid_number` and E.164 formatting give for a plainly
    written number ("+52 55 1234 5678", "(305) 555-0123"), without their general machinery:
    the E.164 form, "" when the number is not valid, or None when the text is not one of the
    plain forms whose reading is certain (the caller then asks phonenumbers).

    Plain: only digits, spaces, dots, hyphens and parentheses, a "+" only in front, 8 to 17
    digits; with a "+", a known country code that is not a non-geographic one; without, a
    known region and digits that start with neither the region's international prefix nor its
    country code; in both cases no national prefix in front and no leading zero (phonenumbers
    strips or keeps those by rules of their own). tests/leads/test_values.py checks it against
    phonenumbers on many numbers."""
    if len(text) > 250 or _PLAIN_NUMBER.fullmatch(text) is None:
        return None
    digits = _NOT_DIGITS.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if digits.startswith("0"):
            return None
        for size in (1, 2, 3):
            country_code = int(digits[:size] or "0")
            if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        main = phonenumbers.region_code_for_country_code(country_code)
        if main == phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY:
            return None
        patterns, national = _region_patterns(main), digits[size:]
    else:
        patterns = _region_patterns(region) if region else None
        if (
            patterns is None
            or (patterns.international_prefix and patterns.international_prefix.match(digits))
            or digits.startswith(str(patterns.country_code))
        ):
            return None
        country_code, national = patterns.country_code, digits
    if (
        patterns is None
        or not 8 <= len(national) <= 17
        or national.startswith("0")
        or (patterns.national_prefix is not None and patterns.national_prefix.match(national))
        or (country_code == 52 and 10**10 <= int(national) < 2 * 10**10)  # +52 1: the slow path
    ):
        return None
    return f"+{country_code}{national}" if _is_valid(country_code, national) else ""


def normalize_phone(raw: str, region: str | None) -> str:
    """E.164 form of a phone number; `region` (ISO 3166 alpha-2) applies to numbers without +.

    Reads the forms Mexican sheets hold: 10 digits, +52 1 (WhatsApp's), the retired 044/045
    mobile and 01 long-distance prefixes, labels ("Cel:"), and an extension ("ext. 12", "x12"),
    kept as "+525512345678;ext=12"."""
    result = _phone_or_error(raw, region.upper() if region else None)
    if isinstance(result, _Rejected):
        raise InvalidValueError(result)
    return result


# --- emails -----------------------------------------------------------------------------------


def _cache_domain_checks() -> None:
    """Check each domain once per process, not once per address.

    email-validator spends most of an address's time on its domain (UTS-46 mapping, IDNA,
    special-use names), and a lead file's addresses share a few domains (gmail.com,
    hotmail.com, the brokerage's own). Its domain check is a pure function of its arguments
    whose result is only read, so a cache around it changes no verdict; a domain it rejects
    raises, and is checked again each time (exceptions are not cached).
    """
    module = importlib.import_module("email_validator.validate_email")
    check = getattr(module, "validate_email_domain_name", None)
    if check is not None and not hasattr(check, "cache_info"):
        module.validate_email_domain_name = lru_cache(maxsize=_CACHE_SIZE)(check)  # type: ignore[attr-defined]


_cache_domain_checks()
_EMAIL_MODULE = importlib.import_module("email_validator.validate_email")


# The fast path (`_plain_email`): one @, no quotes or angle brackets, Latin letters at most.
_PLAIN_EMAIL_CHAR = r'[^@"<\u0300-\U0010ffff]'
_PLAIN_EMAIL = re.compile(rf"{_PLAIN_EMAIL_CHAR}+@(?!\[){_PLAIN_EMAIL_CHAR}+")


def _plain_email(text: str) -> str:
    """What `validate_email(text, check_deliverability=False).normalized` gives for a plainly
    written address, without its general parse: the same local-part, domain and length checks
    (they raise EmailNotValidError alike), minus splitting the text character by character
    against quotes, display names and combining marks, which a text of one @, no quotes or
    angle brackets and no character past U+02FF (Latin letters, no combining marks) cannot
    hold. The caller checks `_PLAIN_EMAIL` first; tests/leads/test_values.py checks the result
    against validate_email."""
    local, domain = text.split("@")
    info = validate_email_local_part(
        local,
        allow_smtputf8=email_validator.ALLOW_SMTPUTF8,
        allow_empty_local=email_validator.ALLOW_EMPTY_LOCAL,
        quoted_local_part=False,
        strict=email_validator.STRICT,
    )
    if unicodedata.normalize("NFC", local) != local:
        raise _NotPlain
    found = _EMAIL_MODULE.validate_email_domain_name(
        domain,
        test_environment=email_validator.TEST_ENVIRONMENT,
        globally_deliverable=email_validator.GLOBALLY_DELIVERABLE,
    )
    checked = ValidatedEmail()
    checked.original = text
    checked.local_part, checked.ascii_local_part = info["local_part"], info["ascii_local_part"]
    if (
        checked.ascii_local_part is not None
        and checked.ascii_local_part.lower() in CASE_INSENSITIVE_MAILBOX_NAMES
    ):
        checked.local_part = checked.local_part.lower()
        checked.ascii_local_part = checked.ascii_local_part.lower()
    checked.domain, checked.ascii_domain = found["domain"], found["ascii_domain"]
    checked.normalized = f"{checked.local_part}@{checked.domain}"
    validate_email_length(checked)
    return checked.normalized


class _NotPlain(Exception):
    """The address needs validate_email's general path."""


@lru_cache(maxsize=_CACHE_SIZE)
def _email_or_error(raw: str) -> str:
    text = raw.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip("<> ")
    try:
        if _PLAIN_EMAIL.fullmatch(text) is not None:
            with contextlib.suppress(_NotPlain):
                return _plain_email(text).lower()
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return _Rejected(f'Email "{raw.strip()}" is not a valid email address')


def normalize_email(raw: str) -> str:
    """Syntax-checked (no DNS), lower-cased email address."""
    result = _email_or_error(raw)
    if isinstance(result, _Rejected):
        raise InvalidValueError(result)
    return result


# --- dates ------------------------------------------------------------------------------------

_EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
_EXCEL_SERIAL = re.compile(r"^(\d{5})(\.\d+)?$", re.ASCII)
_TIME = (
    r"(?:[ t,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?)?\s*(?P<tz>z|utc|gmt|[+-]\d{2}:?\d{2})?"
)
_NUMERIC_DATE = re.compile(
    r"^(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})" + _TIME + "$",
    re.ASCII,
)
_WEEKDAY = r"(?:[a-z]+\.?,?\s+)?"
_DAY_MONTH_YEAR = re.compile(
    r"^" + _WEEKDAY + r"(?P<day>\d{1,2})(?:\s+de|\s*-)?\s*(?P<month>[a-z]+)\.?"
    r"(?:\s+del?|\s*-)?,?\s*(?P<year>\d{4})" + _TIME + "$",
    re.ASCII,
)
_MONTH_DAY_YEAR = re.compile(
    r"^"
    + _WEEKDAY
    + r"(?P<month>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    + _TIME
    + "$",
    re.ASCII,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "jan january ene enero",
            "feb february febrero",
            "mar march marzo",
            "apr april abr abril",
            "may mayo",
            "jun june junio",
            "jul july julio",
            "aug august ago agosto",
            "sep sept september set septiembre setiembre",
            "oct october octubre",
            "nov november noviembre",
            "dec december dic diciembre",
        ],
        start=1,
    )
    for name in names.split()
}


def _time_and_zone(match: re.Match[str], local: tzinfo) -> tuple[int, int, int, tzinfo]:
    hour = int(match["hour"] or 0)
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    ampm = match["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for am/pm")
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    tz = match["tz"]
    zone: tzinfo = local if not tz else UTC
    if tz and tz[0] in "+-":
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        zone = timezone(-offset if tz[0] == "-" else offset)
    return hour, minute, second, zone


def _build(
    year: int, month: int, day: int, match: re.Match[str], raw: str, order: str, local: tzinfo
) -> datetime:
    if year < 100:  # two-digit years: 24 -> 2024, 85 -> 1985
        year += 2000 if year < 70 else 1900
    try:
        hour, minute, second, zone = _time_and_zone(match, local)
        value = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except (ValueError, OverflowError):
        raise _date_error(raw, order) from None
    if not 1900 <= year <= 2100:
        raise _date_error(raw, order)
    return value.astimezone(UTC)


def _date_error(raw: str, order: str) -> InvalidValueError:
    return InvalidValueError(f'Date "{raw.strip()}" is not a date we can read (expected {order})')


@dataclass(frozen=True, slots=True)
class DateParser:
    """Reads one file's dates; the day/month order is decided once per file, not per row.

    Accepts ISO dates and datetimes, dd/mm/yyyy or mm/dd/yyyy (also with - or .), yyyy/mm/dd,
    Excel serial numbers, and "5 de enero de 2024" / "Jan 5, 2024" style dates, each with an
    optional time. A date or time without a zone is read in `timezone`, the brokerage's: a
    contact on "2024-03-05" in Mexico City happened that day there, not the evening before.
    """

    day_first: bool
    timezone: str = "UTC"

    @classmethod
    def for_values(
        cls, values: Iterable[str], *, default_day_first: bool, timezone: str = "UTC"
    ) -> DateParser:
        """Choose day-first or month-first from a column's values: 25/03 votes day-first."""
        day_votes = month_votes = 0
        for raw in values:
            match = _NUMERIC_DATE.match(raw.strip().lower())
            if match is None or len(match["a"]) > 2:
                continue
            first, second = int(match["a"]), int(match["b"])
            if first > 12 >= second:
                day_votes += 1
            elif second > 12 >= first:
                month_votes += 1
        if day_votes == month_votes:
            return cls(day_first=default_day_first, timezone=timezone)
        return cls(day_first=day_votes > month_votes, timezone=timezone)

    @property
    def order(self) -> str:
        return "dd/mm/yyyy" if self.day_first else "mm/dd/yyyy"

    def parse(self, raw: str) -> datetime:
        """An aware UTC datetime, or InvalidValueError naming the expected order."""
        return _parse_date(raw, self.day_first, self.timezone)


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    try:
        return UTC if name == "UTC" else ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_date(raw: str, day_first: bool, zone_name: str = "UTC") -> datetime:
    # Cached: a file's dates repeat (a campaign day, an export day). Errors are not cached.
    order = "dd/mm/yyyy" if day_first else "mm/dd/yyyy"
    local = _zone(zone_name)
    text = raw.strip().lower()
    if len(text) >= 10 and text[4] == "-" and text[:4].isdigit():
        try:
            value = datetime.fromisoformat(text.upper())
        except ValueError:
            pass
        else:
            if not 1900 <= value.year <= 2100:
                raise _date_error(raw, order)
            if value.tzinfo is None:
                value = value.replace(tzinfo=local)
            return value.astimezone(UTC)
    if match := _EXCEL_SERIAL.match(text):
        serial = float(text)
        if 20000 <= serial < 80000:  # 1954..2119: anything else is not a date
            # Excel's serials are wall-clock days and times, with no zone: the brokerage's.
            wall = _EXCEL_EPOCH + timedelta(days=serial)
            return wall.replace(tzinfo=local).astimezone(UTC)
        raise _date_error(raw, order)
    if match := _NUMERIC_DATE.match(text):
        a, b, c = int(match["a"]), int(match["b"]), int(match["c"])
        if len(match["a"]) > 2:
            return _build(a, b, c, match, raw, order, local)
        if len(match["c"]) == 3 or len(match["c"]) == 1:
            raise _date_error(raw, order)
        day, month = (a, b) if day_first else (b, a)
        return _build(c, month, day, match, raw, order, local)
    folded = fold(text)
    match = _DAY_MONTH_YEAR.match(folded) or _MONTH_DAY_YEAR.match(folded)
    if match is not None and (month_number := _MONTHS.get(match["month"])):
        return _build(int(match["year"]), month_number, int(match["day"]), match, raw, "", local)
    raise _date_error(raw, order)


def default_day_first(region: str | None) -> bool:
    """Month-first only where the region writes dates that way (the US and its territories)."""
    return (region or "").upper() not in {"US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "PH"}


# --- money ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MoneyRange:
    """A budget in whole currency units. A lone amount is a ceiling: min None, max the amount.

    `currency` is an ISO 4217 code when the text names one ("MXN", "USD", "pesos", "€"), else
    None (a bare "$" could be pesos or dollars: the brokerage's currency applies).
    """

    min: int | None
    max: int | None
    currency: str | None = None


_MAX_AMOUNT = 10**15  # Colombian pesos reach 10^10; anything past 10^15 is not a budget.
_AMOUNT = re.compile(
    r"(?P<number>\d+(?:[.,']\d+)*)\s*"
    r"(?P<unit>mil\s+millones|millones|millon|millions|million|mdp|mm|m|k|mil|miles|b|bn|billion)?"
    r"(?![a-z0-9])",
    re.ASCII,
)
_UNITS = {
    "mil millones": 1_000_000_000,  # Spanish: a thousand million (Colombian homes are priced so)
    "k": 1_000,
    "mil": 1_000,
    "miles": 1_000,
    "m": 1_000_000,
    "mm": 1_000_000,
    "mdp": 1_000_000,
    "millon": 1_000_000,
    "millones": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_CURRENCIES = (
    (re.compile(r"\b(?:mxn|mxp|pesos?|mdp)\b|mx\$"), "MXN"),
    (re.compile(r"\b(?:usd|dlls?|dls|dolares|dollars?)\b|us\$|u\$s"), "USD"),
    (re.compile(r"\b(?:eur|euros?)\b|€"), "EUR"),
    (re.compile(r"\b(cop|cad|ars|clp|pen|gbp|dop|crc|gtq|uyu|brl)\b|£"), ""),
)
_CEILING = re.compile(r"\b(?:hasta|up to|max|maximo|under|below|menos de|no mas de)\b|<")
_FLOOR = re.compile(r"\b(?:desde|min|minimo|at least|mas de|over|above|from)\b|>|\+$")


def currency_in_text(folded: str) -> str | None:
    """An ISO code from a currency cell or text: "MXN", "usd", "pesos", "dólares", "€"."""
    text = folded.strip()
    if len(text) == 3 and text.isalpha() and text.isascii():
        return text.upper()
    return _currency(text)


def _currency(text: str) -> str | None:
    for pattern, code in _CURRENCIES:
        if match := pattern.search(text):
            return code or ("GBP" if match[0] == "£" else match[0].upper())
    return None


def _decimal(number: str, has_unit: bool) -> Decimal:
    """'5,000,000' and '5.000.000' are thousands; '4,5' and '4.5' decimals; '1,500' is 1500."""
    number = number.replace("'", "")
    dot, comma = number.rfind("."), number.rfind(",")
    if dot >= 0 and comma >= 0:
        last = max(dot, comma)
        whole, fraction = number[:last], number[last + 1 :]
        return Decimal(whole.replace(".", "").replace(",", "") + "." + fraction)
    separator = "." if dot >= 0 else "," if comma >= 0 else ""
    if not separator:
        return Decimal(number)
    parts = number.split(separator)
    if len(parts) > 2 or (len(parts[1]) == 3 and not has_unit):
        return Decimal("".join(parts))
    return Decimal(parts[0] + "." + parts[1])


@lru_cache(maxsize=_CACHE_SIZE)  # a file's budgets repeat; errors are not cached
def parse_money(raw: str) -> MoneyRange:
    """A budget or price range from '$5,000,000', '4-6M', '4 a 6 millones', 'USD 450000'..."""
    text = fold(raw)
    amounts: list[tuple[Decimal, int | None]] = []
    for match in _AMOUNT.finditer(text):
        unit = " ".join(match["unit"].split()) if match["unit"] else ""  # "mil  millones"
        try:
            amounts.append((_decimal(match["number"], bool(unit)), _UNITS.get(unit)))
        except InvalidOperation:
            continue
        if len(amounts) == 2:
            break
    if not amounts:
        raise InvalidValueError(f'Budget "{raw.strip()}" is not an amount of money')
    if len(amounts) == 2 and amounts[0][1] is None and amounts[1][1] and amounts[0][0] < 1000:
        # "4-6M", "300-400k": the unit written once applies to both ends, when the first is small;
        # "entre 800 y 1 mil millones" are 800 millones (a range does not run downwards).
        first, (second, factor) = amounts[0][0], amounts[1]
        if factor == _UNITS["mil millones"] and first > second:
            factor = _UNITS["millones"]
        amounts[0] = (first, factor)
    values = [int((number * (unit or 1)).to_integral_value()) for number, unit in amounts]
    if any(value > _MAX_AMOUNT for value in values):
        raise InvalidValueError(f'Budget "{raw.strip()}" is too large to be a budget')
    currency = _currency(text)
    values = [value for value in values if value > 0]  # "0" is how sheets say "unknown"
    if not values:
        return MoneyRange(None, None, currency)
    if len(values) == 2:
        return MoneyRange(min(values), max(values), currency)
    if _FLOOR.search(text) and not _CEILING.search(text):
        return MoneyRange(values[0], None, currency)
    return MoneyRange(None, values[0], currency)
