"""One CSV row to a lead draft or to the reasons it was rejected, with its physical line number."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from app.core.text import fold
from app.leads.csv_reader import CsvTable
from app.leads.fields import LeadField
from app.leads.fields import LeadField as F
from app.leads.preferences import (
    LocationFinder,
    Operation,
    bedrooms_in_notes,
    budget_in_notes,
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
    default_day_first,
    normalize_email,
    normalize_phone,
    parse_money,
)

DATE_SAMPLE_ROWS = 5000
_EMAILS_SEPARATOR = re.compile(r"[\s,;]+")
_PHONES_SEPARATOR = re.compile(r"\s*[,;/|]\s*")
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
    min_budget: int | None = None
    max_budget: int | None = None
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
) -> dict[int, DateParser]:
    """One DateParser per date column, its day/month order chosen from the sample's values."""
    columns = [index for index, target in mapping.items() if target in _DATE_FIELDS]
    rows = list(sample)
    return {
        index: DateParser.for_values(
            (cells[index] for _, cells in rows if index < len(cells)),
            default_day_first=default_day_first(default_region),
        )
        for index in columns
    }


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
    ) -> None:
        self.headers = list(headers)
        self.region = default_region.upper() if default_region else None
        # Column indexes per field, looked up once: enum hashing is slow on the per-row path.
        columns: dict[LeadField, list[int]] = {target: [] for target in LeadField}
        for index, target in sorted(mapping.items()):
            columns[target].append(index)
        self._columns = {target: tuple(indexes) for target, indexes in columns.items()}
        fallback = DateParser(day_first=default_day_first(default_region))
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
            (F.BUDGET, c[F.BUDGET]),
            (F.MIN_BUDGET, c[F.MIN_BUDGET]),
            (F.MAX_BUDGET, c[F.MAX_BUDGET]),
        )
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
    ) -> RowParser:
        """A parser whose date orders come from the table's first rows (left in `table.rows`)."""
        sample = table.peek(sample_rows) if any(t in _DATE_FIELDS for t in mapping.values()) else []
        return cls(
            table.headers,
            mapping,
            default_region=default_region,
            date_parsers=decide_date_parsers(mapping, sample, default_region),
            known_locations=known_locations,
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
            for part in _PHONES_SEPARATOR.split(value):
                if not part:
                    continue
                try:
                    phones.append(normalize_phone(part, self.region))
                except InvalidValueError as error:
                    problems.append(RowError(line, self._header(index), str(error)))
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
        draft.last_contact_at = self._latest_date(line, cells, self._last_contact, problems)
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
        return draft

    def _latest_date(
        self, line: int, cells: list[str], columns: tuple[int, ...], problems: list[RowError]
    ) -> datetime | None:
        latest: datetime | None = None
        for index, value in self._values(cells, columns):
            try:
                parsed = self._dates[index].parse(value)
            except InvalidValueError as error:
                problems.append(RowError(line, self._header(index), str(error)))
                continue
            if latest is None or parsed > latest:
                latest = parsed
        return latest

    def _preferences(self, draft: LeadDraft, cells: list[str], problems: list[RowError]) -> None:
        line = draft.line
        for target, columns in self._budgets:
            for index, value in self._values(cells, columns):
                try:
                    money = parse_money(value)
                except InvalidValueError as error:
                    problems.append(RowError(line, self._header(index), str(error)))
                    continue
                low, high = money.min, money.max
                if target is LeadField.MIN_BUDGET:
                    low, high = low if low is not None else high, None
                elif target is LeadField.MAX_BUDGET:
                    low, high = None, high if high is not None else low
                if draft.min_budget is None:
                    draft.min_budget = low
                if draft.max_budget is None:
                    draft.max_budget = high
                draft.currency = draft.currency or money.currency

        notes = draft.notes or ""
        folded_notes = fold_text(notes) if notes else ""
        no_budget = draft.min_budget is None and draft.max_budget is None
        if folded_notes and no_budget and (noted := budget_in_notes(folded_notes)):
            draft.min_budget, draft.max_budget = noted.min, noted.max
            draft.currency = draft.currency or noted.currency

        draft.locations = merge_locations(
            (
                place
                for _, value in self._values(cells, self._location)
                for place in split_locations(value)
            ),
            self._locations.in_notes(notes, folded_notes) if notes else (),
        )

        for index, value in self._values(cells, self._bedrooms):
            try:
                draft.bedrooms = parse_bedrooms(value)
                break
            except InvalidValueError as error:
                problems.append(RowError(line, self._header(index), str(error)))
        if draft.bedrooms is None and folded_notes:
            draft.bedrooms = bedrooms_in_notes(folded_notes)

        operation = self._first(cells, self._operation)
        if operation is not None:
            draft.operation = parse_operation(fold(operation), column=True)
        if draft.operation is None and folded_notes:
            draft.operation = parse_operation(folded_notes)

        language = self._first(cells, self._language)
        draft.language = parse_language(language) if language else None
        if draft.language is None:
            draft.language = guess_language(folded_notes, draft.name)
