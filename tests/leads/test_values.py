"""Phone, email, date and money normalisers: examples brokers write, and property tests."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given
from hypothesis import strategies as st

from app.core.text import fold
from app.leads.values import (
    _PLAIN_EMAIL,
    DateParser,
    InvalidValueError,
    MoneyRange,
    _phonenumbers_e164,
    _plain_e164,
    _plain_email,
    normalize_email,
    normalize_phone,
    parse_money,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$5,000,000", MoneyRange(None, 5_000_000)),
        ("5.000.000", MoneyRange(None, 5_000_000)),
        ("$1.500.000", MoneyRange(None, 1_500_000)),
        ("$4.5M", MoneyRange(None, 4_500_000)),
        ("4,5M", MoneyRange(None, 4_500_000)),
        ("4-6M", MoneyRange(4_000_000, 6_000_000)),
        ("$4M - $6M", MoneyRange(4_000_000, 6_000_000)),
        ("4 a 6 millones", MoneyRange(4_000_000, 6_000_000)),
        ("500k", MoneyRange(None, 500_000)),
        ("300-400k", MoneyRange(300_000, 400_000)),
        ("MXN 3,000,000", MoneyRange(None, 3_000_000, "MXN")),
        ("USD 450000", MoneyRange(None, 450_000, "USD")),
        ("3 millones de pesos", MoneyRange(None, 3_000_000, "MXN")),
        ("hasta 5 mdp", MoneyRange(None, 5_000_000, "MXN")),
        ("desde 3M", MoneyRange(3_000_000, None)),
        ("1.234.567,89 €", MoneyRange(None, 1_234_568, "EUR")),
        ("0", MoneyRange(None, None)),
    ],
)
def test_money_as_brokers_write_it(raw: str, expected: MoneyRange) -> None:
    assert parse_money(raw) == expected


def test_money_that_is_not_money() -> None:
    with pytest.raises(InvalidValueError, match=r'^Budget "a lot" is not an amount of money$'):
        parse_money("a lot")


@given(st.text())
def test_money_never_crashes(raw: str) -> None:
    try:
        result = parse_money(raw)
    except InvalidValueError:
        return
    for bound in (result.min, result.max):
        assert bound is None or 0 < bound <= 10**15


@given(st.integers(min_value=1, max_value=10**12))
def test_money_keeps_what_it_parses(amount: int) -> None:
    assert parse_money(f"${amount:,}") == MoneyRange(None, amount)
    assert parse_money(f"{amount:,}".replace(",", ".")) == MoneyRange(None, amount)
    assert parse_money(f"MXN {amount}") == MoneyRange(None, amount, "MXN")


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999))
def test_money_ranges_with_one_unit(low: int, high: int) -> None:
    assert parse_money(f"{low}-{high}k") == MoneyRange(min(low, high) * 1000, max(low, high) * 1000)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(305) 555-0100", "US", "+13055550100"),
        ("55 1234 5678", "MX", "+525512345678"),
        ("+52 1 55 1234 5678", "US", "+525512345678"),
        ("5512345678.0", "mx", "+525512345678"),
        ("612 345 678", "ES", "+34612345678"),
    ],
)
def test_phones_become_e164(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


def test_bad_phone_message_names_the_region() -> None:
    with pytest.raises(InvalidValueError) as raised:
        normalize_phone("12345", "MX")
    assert str(raised.value) == 'Phone "12345" is not a valid phone number for region MX'


@given(st.text(), st.sampled_from(["US", "MX", "ES", None]))
def test_phone_never_crashes(raw: str, region: str | None) -> None:
    try:
        result = normalize_phone(raw, region)
    except InvalidValueError:
        return
    assert result.startswith("+") and result[1:].isdigit()


@given(st.sampled_from(["US", "MX", "ES", "CO", "GB"]), st.integers(min_value=0, max_value=10**6))
def test_e164_parses_to_itself(region: str, seed: int) -> None:
    example = phonenumbers.example_number(region)
    assert example is not None
    number = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert normalize_phone(number, "US") == number
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert normalize_phone(national, region) == number


# Numbers brokers' files hold, including the forms phonenumbers reads by rules of its own.
TRICKY_PHONES = [
    ("(305) 555-0100", "US"),
    ("305.555.0100", "US"),
    ("+1 305 555 0100", "MX"),
    ("1-305-555-0100", "US"),
    ("1 305 555 0100", "MX"),
    ("011 52 55 1234 5678", "US"),
    ("00 52 55 1234 5678", "MX"),
    ("55 1234 5678", "MX"),
    ("5512345678", "US"),
    ("52 55 1234 5678", "MX"),
    ("5255 1234 5678", "MX"),
    ("+52 55 1234 5678", "US"),
    ("+52 1 55 1234 5678", "US"),
    ("+521 55 1234 5678", "MX"),
    ("044 55 1234 5678", "MX"),
    ("045 55 1234 5678", "MX"),
    ("01 55 1234 5678", "MX"),
    ("+52 044 55 1234 5678", "MX"),
    ("+34 612 345 678", "US"),
    ("612 345 678", "ES"),
    ("+44 (0) 20 7946 0958", "US"),
    ("020 7946 0958", "GB"),
    ("+39 06 6982 1234", "US"),
    ("+800 1234 5678", "US"),
    ("+1 242 357 1234", "US"),
    ("(787) 555-0100", "US"),
    ("(416) 555-0100", "US"),
    ("(416) 555-0100", "CA"),
    ("+1 800 555 0100", "MX"),
    ("555-0100", "US"),
    ("+0 55 1234 5678", "MX"),
    ("+ 52 55 1234 5678", "US"),
    ("(55) 1234-5678", "MX"),
    ("+52 (55) 1234-5678", "ES"),
    ("55 1234 5678 ", None),
    ("+52 55 1234 5678", None),
    ("305 555 01000", "US"),
    ("305 555 010", "US"),
    ("+1 305 555 0100 123", "US"),
]


@pytest.mark.parametrize(("text", "region"), TRICKY_PHONES)
def test_plain_phone_fast_path_reads_as_phonenumbers_does(text: str, region: str | None) -> None:
    fast = _plain_e164(text, region)
    assert fast is None or fast == _phonenumbers_e164(text, region)


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(305) 555-0100 ext. 12", "US", "+13055550100;ext=12"),
        ("305-555-0100 x7", "US", "+13055550100;ext=7"),
        ("+52 55 1234 5678 #45", "MX", "+525512345678;ext=45"),
        ("044 55 1234 5678", "MX", "+525512345678"),
        ("045 55 1234 5678", "MX", "+525512345678"),
        ("01 55 1234 5678", "MX", "+525512345678"),
        ("+52 1 55 1234 5678", "MX", "+525512345678"),
        ("Cel: 55 1234 5678", "MX", "+525512345678"),
        ("+1 (305) 555-0100", "MX", "+13055550100"),
    ],
)
def test_phones_as_mexican_and_us_sheets_write_them(raw: str, region: str, expected: str) -> None:
    assert normalize_phone(raw, region) == expected


def test_fast_path_takes_the_common_forms() -> None:
    """The forms most files hold skip phonenumbers' general parse (the import's hot path)."""
    assert _plain_e164("(305) 555-0100", "US") == "+13055550100"
    assert _plain_e164("+52 55 1234 5678", "US") == "+525512345678"
    assert _plain_e164("55 1234 5678", "MX") == "+525512345678"
    assert _plain_e164("+34 612 345 678", "MX") == "+34612345678"
    assert _plain_e164("+1 305 555 010", "US") == ""  # read, and not a valid number


_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.VOIP,
]


@given(
    st.sampled_from(sorted(phonenumbers.SUPPORTED_REGIONS)),
    st.sampled_from(_TYPES),
    st.text("0123456789", min_size=0, max_size=4),
    st.sampled_from(
        [
            phonenumbers.PhoneNumberFormat.E164,
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
        ]
    ),
    st.sampled_from(["US", "MX", "ES", "CA", "GB", "IT", None]),
)
def test_plain_phone_fast_path_agrees_on_any_region(
    region: str, kind: int, tail: str, form: int, default: str | None
) -> None:
    """Valid numbers of every region and type, with their last digits changed (valid or not),
    written in each format and read from another region: the fast path, when it reads the text,
    says what phonenumbers says."""
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None:
        return
    national = phonenumbers.national_significant_number(example)
    national = national[: len(national) - len(tail)] + tail
    try:
        number = phonenumbers.parse(f"+{example.country_code}{national}", None)
    except phonenumbers.NumberParseException:
        return
    text = phonenumbers.format_number(number, form)
    for reading in (default, region):
        fast = _plain_e164(text, reading)
        assert fast is None or fast == _phonenumbers_e164(text, reading), (text, reading)


@given(st.text("0123456789+ ()-.", max_size=20), st.sampled_from(["US", "MX", "ES", "CA", None]))
def test_plain_phone_fast_path_agrees_on_any_digits(text: str, region: str | None) -> None:
    fast = _plain_e164(text, region)
    assert fast is None or fast == _phonenumbers_e164(text, region)


def test_emails_are_lower_cased_and_checked() -> None:
    assert normalize_email(" Ana.Perez@Example.COM ") == "ana.perez@example.com"
    assert normalize_email("mailto:<bob@example.com>") == "bob@example.com"
    with pytest.raises(InvalidValueError) as raised:
        normalize_email("ana@@example.com")
    assert str(raised.value) == 'Email "ana@@example.com" is not a valid email address'


@given(st.text())
def test_email_never_crashes(raw: str) -> None:
    try:
        result = normalize_email(raw)
    except InvalidValueError:
        return
    assert result == result.lower() and "@" in result


def test_a_files_addresses_share_their_domain_check_and_keep_every_verdict() -> None:
    """A 100k-row file checks gmail.com once, not 100k times; no address gets another verdict."""
    import importlib

    from email_validator import EmailNotValidError, syntax, validate_email

    from app.leads import values

    module = importlib.import_module("email_validator.validate_email")
    cached = getattr(module, "validate_email_domain_name")  # noqa: B009
    calls = 0

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return syntax.validate_email_domain_name(*args, **kwargs)  # type: ignore[arg-type]

    setattr(module, "validate_email_domain_name", counted)  # noqa: B010
    try:
        values._cache_domain_checks()
        values._email_or_error.cache_clear()
        for i in range(500):
            assert normalize_email(f"Lead.{i}@Gmail.com") == f"lead.{i}@gmail.com"
        assert calls == 1
    finally:
        setattr(module, "validate_email_domain_name", cached)  # noqa: B010
        values._email_or_error.cache_clear()

    addresses = [
        "ana@example.com", "ANA@EXAMPLE.COM", "josé@münchen.de", "ana@localhost", "ana@x.test",
        "ana@exa_mple.com", "ana@ab--cd.com", "ana@-example.com", "ana@example", "ana@123.456",
        "a" * 65 + "@example.com", "ana@" + "a" * 64 + ".com", "ana@xn--mnchen-3ya.de",
    ]  # fmt: skip
    for address in addresses * 2:  # the second time from the cache
        try:
            expected: str | None = validate_email(
                address, check_deliverability=False
            ).normalized.lower()
        except EmailNotValidError:
            expected = None
        try:
            got: str | None = normalize_email(address)
        except InvalidValueError:
            got = None
        assert got == expected, address


DAY_FIRST = DateParser(day_first=True)
MONTH_FIRST = DateParser(day_first=False)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("2024-03-05T14:30:00Z", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05 14:30:00-06:00", datetime(2024, 3, 5, 20, 30, tzinfo=UTC)),
        ("2024/03/05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("05/03/2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("5.3.24 2:30 PM", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("45356", datetime(2024, 3, 5, tzinfo=UTC)),
        ("45356.75", datetime(2024, 3, 5, 18, tzinfo=UTC)),
        ("5 de marzo de 2024", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue, Mar 5, 2024 9:00 am", datetime(2024, 3, 5, 9, tzinfo=UTC)),
    ],
)
def test_dates_day_first(raw: str, expected: datetime) -> None:
    assert DAY_FIRST.parse(raw) == expected


def test_date_order_is_decided_per_file_from_the_values() -> None:
    us = DateParser.for_values(["03/04/2024", "12/25/2023", ""], default_day_first=True)
    assert us == MONTH_FIRST
    assert us.parse("03/04/2024") == datetime(2024, 3, 4, tzinfo=UTC)
    mx = DateParser.for_values(["03/04/2024", "25/12/2023"], default_day_first=False)
    assert mx == DAY_FIRST
    assert DateParser.for_values(["03/04/2024"], default_day_first=False) == MONTH_FIRST
    with pytest.raises(InvalidValueError) as raised:
        us.parse("25/12/2023")
    assert str(raised.value) == 'Date "25/12/2023" is not a date we can read (expected mm/dd/yyyy)'


@given(st.text(), st.booleans())
def test_date_parser_never_crashes(raw: str, day_first: bool) -> None:
    try:
        result = DateParser(day_first).parse(raw)
    except InvalidValueError:
        return
    assert result.tzinfo is UTC


@given(st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)))
def test_dates_keep_what_they_parse(moment: datetime) -> None:
    moment = moment.replace(microsecond=0, tzinfo=UTC)
    assert DAY_FIRST.parse(moment.isoformat()) == moment
    assert DAY_FIRST.parse(moment.strftime("%d/%m/%Y %H:%M:%S")) == moment
    assert MONTH_FIRST.parse(moment.strftime("%m/%d/%Y %H:%M:%S")) == moment
    if moment.year >= 1955:
        serial = moment.replace(hour=0, minute=0, second=0) - datetime(1899, 12, 30, tzinfo=UTC)
        assert DAY_FIRST.parse(str(serial // timedelta(days=1))) == moment.replace(
            hour=0, minute=0, second=0
        )


def _validated(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _plain(text: str) -> str | None:
    try:
        return _plain_email(text)
    except EmailNotValidError:
        return None


TRICKY_EMAILS = [
    "Ana.Perez@Example.COM",
    "ANA@EXAMPLE.COM",
    "maría.núñez@example.com",
    "josé@correo.mx",
    "ana@müller.de",
    "ana@xn--mller-kva.de",
    "ana@EXAMPLE.com.mx",
    "Postmaster@example.com",
    "ana..perez@example.com",
    ".ana@example.com",
    "ana.@example.com",
    "ana perez@example.com",
    "ana@example",
    "ana@localhost",
    "ana@example.com.",
    "ana@-example.com",
    "ana@example..com",
    "ana@exa_mple.com",
    "ana+tag@example.com",
    "a!#$%&'*+/=?^_`{|}~-@example.com",
    "ana@example.invalid",
    "ana@123.123.123.123",
    "ñ@ñ.com",
    "ana\tperez@example.com",
    "ana\u00a0perez@example.com",
    "ana\u00adperez@example.com",
    "a" * 64 + "@example.com",
    "a" * 65 + "@example.com",
    "ana@" + "a" * 63 + ".com",
    "ana@" + "a" * 64 + ".com",
    "ana@" + ".".join(["a" * 60] * 5) + ".com",
    "ßtraße@example.de",
    "ana@straße.de",
    "ÿ@example.com",
    "µ@example.com",
    "ª@example.com",
    "¼@example.com",
]


@pytest.mark.parametrize("text", TRICKY_EMAILS)
def test_plain_email_fast_path_checks_as_validate_email_does(text: str) -> None:
    if _PLAIN_EMAIL.fullmatch(text):
        assert _plain(text) == _validated(text)


def test_plain_email_fast_path_takes_the_common_forms() -> None:
    for text in ("Ana.Perez@Example.COM", "maría.núñez@example.com", "ana@müller.de"):
        assert _PLAIN_EMAIL.fullmatch(text)
    for text in ('"ana"@example.com', "Ana <ana@example.com>", "a@b@example.com", "ana@[1.2.3.4]"):
        assert not _PLAIN_EMAIL.fullmatch(text)


def test_plain_email_characters_never_compose() -> None:
    """The fast path skips validate_email's character-by-character split, which only differs
    from splitting at the @ when a character composes with the next (NFC): none below U+0300
    does, alone or beside another."""
    chars = [chr(code) for code in range(0x300)]
    for first in chars:
        assert unicodedata.normalize("NFC", first) == first
        for second in chars:
            pair = first + second
            assert unicodedata.normalize("NFC", pair)[0] == first, pair


@given(
    st.text(st.characters(max_codepoint=0x2FF), max_size=20),
    st.text(st.characters(max_codepoint=0x2FF), max_size=20),
    st.sampled_from(["example.com", "EXAMPLE.com.mx", "müller.de", "xn--mller-kva.de", "a.b.c"]),
)
def test_plain_email_fast_path_agrees_on_any_latin_text(
    local: str, domain_start: str, domain: str
) -> None:
    for text in (f"{local}@{domain}", f"{local}@{domain_start}{domain}"):
        if _PLAIN_EMAIL.fullmatch(text):
            assert _plain(text) == _validated(text), text


def _fold_slowly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip()


@given(st.text(st.characters(max_codepoint=0x7F)) | st.text())
def test_fold_of_plain_ascii_is_the_general_fold(text: str) -> None:
    assert fold.__wrapped__(text) == _fold_slowly(text)
