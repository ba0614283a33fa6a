"""One CSV row to a lead draft or to the reasons it was rejected, with its physical line number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from app.core.text import fold
from app.leads.csv_reader import CsvTable
from app.leads.fields import LeadField
from app.leads.fields import LeadField as F
from app.leads.preferences import (
    REGION_CURRENCIES,
    BudgetKind,
    LocationFinder,
    Operation,
    bedrooms_in_notes,
    budget_kind,
    budgets_in_notes,
    fold_text,
    guess_language,
    merge_locations,
    parse_bedrooms,
    parse_language,
    parse_operation,
    split_locations,
)
from app.leads.values import (
    DateParser,
    InvalidValueError,
    MoneyRange,
    currency_in_text,
    default_day_first,
    normalize_email,
    normalize_phone,
    parse_money,
)

DATE_SAMPLE_ROWS = 5000
_EMAILS_SEPARATOR = re.compile(r"[\s,;]+")
_PHONES_SEPARATOR = re.compile(r"\s*(?:[,;/|\n]|\s(?:y|o|or|and)\s)\s*")
_EXTENSION_ONLY = re.compile(r"^(?:ext(?:ension|ensión)?\.?|x|#)\s*\d{1,6}$", re.IGNORECASE)
# A last contact later than this past the import's start is a typo or a scheduled task.
_FUTURE_SLACK = timedelta(hours=1)
_TAGS_SEPARATOR = re.compile(r"\s*[,;|]\s*")


@dataclass(slots=True)
class RowError:
    """Why a row, or one value in it, was not imported. `column` is the header text, or None
    when the problem is the row as a whole (no way to reach the lead)."""

    line: int
    column: str | None
    message: str


@dataclass(slots=True)
class LeadDraft:
    """A lead as read from one row, normalised and not yet saved. The first email and phone are
    the primary ones. `warnings` are values we could not use in a row we kept."""

    line: int
    name: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    last_contact_at: datetime | None = None
    created_at: datetime | None = None
    status: str | None = None
    notes: str | None = None
    # A purchase budget and a monthly rent budget, both in `currency`.
    min_budget: int | None = None
    max_budget: int | None = None
    rent_min_budget: int | None = None
    rent_max_budget: int | None = None
    currency: str | None = None
    locations: list[str] = field(default_factory=list)
    bedrooms: int | None = None
    operation: Operation | None = None
    language: str | None = None
    external_id: str | None = None
    source: str | None = None
    owner: str | None = None
    tags: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


_DATE_FIELDS = (LeadField.LAST_CONTACT, LeadField.CREATED_AT)


def decide_date_parsers(
    mapping: Mapping[int, LeadField],
    sample: Iterable[tuple[int, list[str]]],
    default_region: str | None,
    timezone: str = "UTC",
) -> dict[int, DateParser]:
    """One DateParser per date column, its day/month order chosen from the sample's values."""
    columns = [index for index, target in mapping.items() if target in _DATE_FIELDS]
    rows = list(sample)
    return {
        index: DateParser.for_values(
            (cells[index] for _, cells in rows if index < len(cells)),
            default_day_first=default_day_first(default_region),
            timezone=timezone,
        )
        for index in columns
    }


@dataclass(frozen=True, slots=True)
class _NotesReading:
    """What a row's notes say, whatever else the row holds."""

    folded: str
    operation: Operation | None
    locations: tuple[str, ...]
    bedrooms: int | None
    language: str | None  # None: the notes do not tell (the name may)


_NO_NOTES = _NotesReading("", None, (), None, None)
# Files repeat notes ("Lead from Facebook ad", a CRM's templates): each distinct text is read
# once per worker process. A unique note only passes through (about 1 KB an entry).
_NOTES_CACHE = 4096


@lru_cache(maxsize=_NOTES_CACHE)
def _read_notes(notes: str, locations: LocationFinder) -> _NotesReading:
    folded = fold_text(notes)
    return _NotesReading(
        folded,
        parse_operation(folded),
        tuple(locations.in_notes(notes, folded)),
        bedrooms_in_notes(folded),
        guess_language(folded, None),
    )


@lru_cache(maxsize=_NOTES_CACHE)
def _split_locations(cell: str) -> tuple[str, ...]:
    """A location cell's places; files repeat a few neighbourhoods over and over."""
    return tuple(split_locations(cell))


@lru_cache(maxsize=_NOTES_CACHE)
def _budgets_in_notes(
    folded_notes: str, operation: Operation | None, currency: str | None
) -> tuple[tuple[BudgetKind, MoneyRange], ...]:
    return tuple(budgets_in_notes(folded_notes, operation, currency))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


class RowParser:
    """Turns (line, cells) into a LeadDraft, or into RowErrors when the row is rejected.

    A row is rejected only when it has no valid email and no valid phone; its errors name each
    wrong contact value and end with a row-level error (column None). Any other bad value (a
    second email, a date, a budget) keeps the lead and is reported in `LeadDraft.warnings`.
    """

    def __init__(
        self,
        headers: Sequence[str],
        mapping: Mapping[int, LeadField],
        *,
        default_region: str | None,
        date_parsers: Mapping[int, DateParser] | None = None,
        known_locations: Iterable[str] = (),
        timezone: str = "UTC",
        now: datetime | None = None,
    ) -> None:
        self.headers = list(headers)
        self.region = default_region.upper() if default_region else None
        # A budget that names no currency ("$3.5M") is in the region's.
        self.currency = REGION_CURRENCIES.get(self.region or "")
        self._now = now or datetime.now(UTC)
        # Column indexes per field, looked up once: enum hashing is slow on the per-row path.
        columns: dict[LeadField, list[int]] = {target: [] for target in LeadField}
        for index, target in sorted(mapping.items()):
            columns[target].append(index)
        self._columns = {target: tuple(indexes) for target, indexes in columns.items()}
        fallback = DateParser(day_first=default_day_first(default_region), timezone=timezone)
        self._dates = {
            index: (date_parsers or {}).get(index, fallback)
            for target in _DATE_FIELDS
            for index in self._columns[target]
        }
        c = self._columns
        self._name, self._first_name, self._last_name = c[F.NAME], c[F.FIRST_NAME], c[F.LAST_NAME]
        self._email, self._phone, self._notes, self._tags = (
            c[F.EMAIL],
            c[F.PHONE],
            c[F.NOTES],
            c[F.TAGS],
        )
        self._last_contact, self._created_at = c[F.LAST_CONTACT], c[F.CREATED_AT]
        self._status, self._external_id = c[F.STATUS], c[F.EXTERNAL_ID]
        self._source, self._owner = c[F.SOURCE], c[F.OWNER]
        self._budgets = (
            (F.RENT_BUDGET, c[F.RENT_BUDGET]),
            (F.BUDGET, c[F.BUDGET]),
            (F.MIN_BUDGET, c[F.MIN_BUDGET]),
            (F.MAX_BUDGET, c[F.MAX_BUDGET]),
        )
        self._currency = c[F.CURRENCY]
        self._location, self._bedrooms = c[F.LOCATION], c[F.BEDROOMS]
        self._operation, self._language = c[F.OPERATION], c[F.LANGUAGE]
        self._locations = LocationFinder(known_locations)

    @classmethod
    def for_table(
        cls,
        table: CsvTable,
        mapping: Mapping[int, LeadField],
        *,
        default_region: str | None,
        known_locations: Iterable[str] = (),
        sample_rows: int = DATE_SAMPLE_ROWS,
        timezone: str = "UTC",
    ) -> RowParser:
        """A parser whose date orders come from the table's first rows (left in `table.rows`)."""
        sample = table.peek(sample_rows) if any(t in _DATE_FIELDS for t in mapping.values()) else []
        return cls(
            table.headers,
            mapping,
            default_region=default_region,
            date_parsers=decide_date_parsers(mapping, sample, default_region, timezone),
            known_locations=known_locations,
            timezone=timezone,
        )

    def _header(self, index: int) -> str:
        return self.headers[index] if index < len(self.headers) else f"Column {index + 1}"

    @staticmethod
    def _values(cells: list[str], columns: tuple[int, ...]) -> list[tuple[int, str]]:
        found = []
        for index in columns:
            if index < len(cells) and (value := cells[index].strip()):
                found.append((index, value))
        return found

    @staticmethod
    def _first(cells: list[str], columns: tuple[int, ...]) -> str | None:
        for index in columns:
            if index < len(cells) and (value := cells[index].strip()):
                return value
        return None

    def parse(self, line: int, cells: list[str]) -> LeadDraft | list[RowError]:
        problems: list[RowError] = []
        emails: list[str] = []
        for index, value in self._values(cells, self._email):
            parts = _EMAILS_SEPARATOR.split(value) if value.count("@") > 1 else (value,)
            for part in parts:
                if not part:
                    continue
                try:
                    emails.append(normalize_email(part))
                except InvalidValueError as error:
                    problems.append(RowError(line, self._header(index), str(error)))
        phones: list[str] = []
        for index, value in self._values(cells, self._phone):
            numbers: list[str] = []
            for part in _PHONES_SEPARATOR.split(value):
                if part and _EXTENSION_ONLY.match(part) and numbers:
                    numbers[-1] += " " + part  # "55 1234 5678, ext. 12"
                elif part:
                    numbers.append(part)
            for part in numbers:
                try:
                    phones.append(normalize_phone(part, self.region))
                except InvalidValueError as error:
                    problems.append(RowError(line, self._header(index), str(error)))
        if len(phones) > 1:
            # The first number that takes a text is the one to write to: extensions go last.
            phones.sort(key=lambda phone: ";ext=" in phone)
        if not emails and not phones:
            reason = "no valid email or phone number" if problems else "no email or phone number"
            problems.append(RowError(line, None, f"Row skipped: it has {reason}"))
            return problems

        draft = LeadDraft(line, emails=_unique(emails), phones=_unique(phones), warnings=problems)
        draft.name = self._first(cells, self._name) or (
            " ".join(
                value
                for columns in (self._first_name, self._last_name)
                for _, value in self._values(cells, columns)
            )
            or None
        )
        draft.last_contact_at = self._latest_date(
            line, cells, self._last_contact, problems, past_only=True
        )
        draft.created_at = self._latest_date(line, cells, self._created_at, problems)
        draft.status = self._first(cells, self._status)
        draft.external_id = self._first(cells, self._external_id)
        draft.source = self._first(cells, self._source)
        draft.owner = self._first(cells, self._owner)
        draft.notes = "\n".join(value for _, value in self._values(cells, self._notes)) or None
        draft.tags = _unique(
            tag
            for _, value in self._values(cells, self._tags)
            for tag in _TAGS_SEPARATOR.split(value)
            if tag
        )
        self._preferences(draft, cells, problems)
        if len(cells) > len(self.headers):
            self._extra_cells(line, cells, problems)
        return draft

    def _extra_cells(self, line: int, cells: list[str], problems: list[RowError]) -> None:
        """Values past the header's last column belong to no column: said, never dropped quietly
        (often a comma inside an unquoted value)."""
        extra = [(i, value.strip()) for i, value in enumerate(cells) if i >= len(self.headers)]
        values = [(i, value) for i, value in extra if value]
        if not values:
            return
        shown = ", ".join(f'"{value[:40]}"' for _, value in values[:3])
        more = f" and {len(values) - 3} more" if len(values) > 3 else ""
        problems.append(
            RowError(
                line,
                self._header(values[0][0]),
                f"Line has {len(cells)} cells but the header has {len(self.headers)}: "
                f"{shown}{more} not imported (a comma inside a value without quotes?)",
            )
        )

    def _latest_date(
        self,
        line: int,
        cells: list[str],
        columns: tuple[int, ...],
        problems: list[RowError],
        *,
        past_only: bool = False,
    ) -> datetime | None:
        latest: datetime | None = None
        for index, value in self._values(cells, columns):
            try:
                parsed = self._dates[index].parse(value)
            except InvalidValueError as error:
                problems.append(RowError(line, self._header(index), str(error)))
                continue
            if past_only and parsed > self._now + _FUTURE_SLACK:
                problems.append(
                    RowError(
                        line,
                        self._header(index),
                        f'Date "{value}" is in the future; not used as the last contact',
                    )
                )
                continue
            if latest is None or parsed > latest:
                latest = parsed
        return latest

    def _preferences(self, draft: LeadDraft, cells: list[str], problems: list[RowError]) -> None:
        line = draft.line
        notes = draft.notes or ""
        reading = _read_notes(notes, self._locations) if notes else _NO_NOTES
        folded_notes = reading.folded

        # The operation first: it tells what a budget without words around it is for.
        operation = self._first(cells, self._operation)
        if operation is not None:
            draft.operation = parse_operation(fold(operation), column=True)
        if draft.operation is None:
            draft.operation = reading.operation

        currency = self._first(cells, self._currency)
        if currency is not None:
            draft.currency = currency_in_text(fold(currency))
            if draft.currency is None:
                problems.append(
                    RowError(
                        line,
                        self._header(self._currency[0]),
                        f'Currency "{currency}" is not one we know (use a code like MXN or USD)',
                    )
                )
        for target, columns in self._budgets:
            for index, value in self._values(cells, columns):
                try:
                    money = parse_money(value)
                except InvalidValueError as error:
                    problems.append(RowError(line, self._header(index), str(error)))
                    continue
                if target is LeadField.MIN_BUDGET:
                    money = MoneyRange(
                        money.min if money.min is not None else money.max, None, money.currency
                    )
                elif target is LeadField.MAX_BUDGET:
                    money = MoneyRange(
                        None, money.max if money.max is not None else money.min, money.currency
                    )
                kind = (
                    BudgetKind.RENT
                    if target is LeadField.RENT_BUDGET
                    else budget_kind(
                        "", fold(value), money, draft.operation, draft.currency or self.currency
                    )
                )
                self._add_budget(draft, kind, money)
        if folded_notes and (
            (draft.min_budget is None and draft.max_budget is None)
            or (draft.rent_min_budget is None and draft.rent_max_budget is None)
        ):
            for kind, money in _budgets_in_notes(
                folded_notes, draft.operation, draft.currency or self.currency
            ):
                self._add_budget(draft, kind, money)
        has_budget = any(
            value is not None
            for value in (
                draft.min_budget,
                draft.max_budget,
                draft.rent_min_budget,
                draft.rent_max_budget,
            )
        )
        if has_budget and draft.currency is None:
            draft.currency = self.currency

        draft.locations = merge_locations(
            (
                place
                for _, value in self._values(cells, self._location)
                for place in _split_locations(value)
            ),
            reading.locations,
        )

        for index, value in self._values(cells, self._bedrooms):
            try:
                draft.bedrooms = parse_bedrooms(value)
                break
            except InvalidValueError as error:
                problems.append(RowError(line, self._header(index), str(error)))
        if draft.bedrooms is None:
            draft.bedrooms = reading.bedrooms

        language = self._first(cells, self._language)
        draft.language = parse_language(language) if language else None
        if draft.language is None:
            draft.language = reading.language or guess_language(
                "", draft.name, draft.phones[0] if draft.phones else None
            )

    @staticmethod
    def _add_budget(draft: LeadDraft, kind: BudgetKind, money: MoneyRange) -> None:
        """The first budget of each kind stands; its ends fill only blanks."""
        if money.min is None and money.max is None:
            return
        if kind is BudgetKind.RENT:
            if draft.rent_min_budget is None and draft.rent_max_budget is None:
                draft.rent_min_budget, draft.rent_max_budget = money.min, money.max
            elif draft.rent_max_budget is None and money.max is not None and money.min is None:
                draft.rent_max_budget = money.max
            elif draft.rent_min_budget is None and money.min is not None and money.max is None:
                draft.rent_min_budget = money.min
        elif draft.min_budget is None and draft.max_budget is None:
            draft.min_budget, draft.max_budget = money.min, money.max
        elif draft.max_budget is None and money.max is not None and money.min is None:
            draft.max_budget = money.max
        elif draft.min_budget is None and money.min is not None and money.max is None:
            draft.min_budget = money.min
        draft.currency = draft.currency or money.currency


def read_preferences(
    text: str, *, default_region: str | None, known_locations: Iterable[str] = ()
) -> LeadDraft:
    """What a piece of free text says the lead wants (operation, places, bedrooms, budgets of
    each kind and currency), read exactly as an imported row's notes are: a lead who writes
    "ahora busco 3 recámaras en Coyoacán hasta 5 millones" is understood like that note."""
    parser = RowParser(
        ["notes"],
        {0: LeadField.NOTES},
        default_region=default_region,
        known_locations=known_locations,
    )
    draft = LeadDraft(0, notes=text)
    parser._preferences(draft, [text], [])
    return draft
