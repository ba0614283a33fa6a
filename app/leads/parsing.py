"""Parsing an import's rows, batch by batch, on every core.

Parsing is the CPU-bound part of an import (phone and email checks, dates, money, notes), so a
file bigger than one batch is parsed by a pool of worker processes while the importing process
reads the file and writes to the database. The workers come from a fork server that has already
imported this module (and only its light dependencies), so they start in milliseconds and the
pool is kept for the life of the process. Everything here is pure: a batch of (line, cells) in,
lead values and row errors out.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from app.leads.merge import draft_values
from app.leads.rows import LeadDraft, RowError, RowParser

Batch = list[tuple[int, list[str]]]


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """A parsed batch as it comes back from a worker. Each lead's values travel as a tuple in
    `columns`' order, not a dict: a few batches wait in the importing process while one is
    written, and a 22-key dict takes five times a tuple's memory."""

    rows: int
    columns: tuple[str, ...]
    values: list[tuple[Any, ...]]
    errors: list[dict[str, Any]]
    lines: list[int]  # the line of each lead

    @property
    def leads(self) -> list[dict[str, Any]]:
        """Each lead's values (see `merge.draft_values`); new dicts at each call."""
        columns = self.columns
        return [dict(zip(columns, row, strict=True)) for row in self.values]


@dataclass(frozen=True, slots=True)
class BatchParser:
    """A RowParser plus the column widths to cut long values to (a long "Source" or "Owner" cell
    must not fail its whole batch on PostgreSQL's VARCHAR limits). Picklable: it travels to the
    worker processes with each batch."""

    rows: RowParser
    lengths: Mapping[str, int]
    # A sheet's errors name their cell ("B12"): the column index of the sheet's first cell.
    # None for a CSV.
    first_column: int | None = None

    def __call__(self, batch: Batch) -> ParsedBatch:
        drafts, errors = self.drafts(batch)
        leads = [self.values(draft) for draft in drafts]
        columns = tuple(leads[0]) if leads else ()
        return ParsedBatch(
            len(batch),
            columns,
            [tuple(values.values()) for values in leads],
            errors,
            [draft.line for draft in drafts],
        )

    def drafts(self, batch: Batch) -> tuple[list[LeadDraft], list[dict[str, Any]]]:
        """The rows' drafts, and every rejected row's and unusable value's error."""
        drafts: list[LeadDraft] = []
        errors: list[dict[str, Any]] = []
        for line, cells in batch:
            parsed = self.rows.parse(line, cells)
            if isinstance(parsed, LeadDraft):
                drafts.append(parsed)
                errors.extend(map(self.error, parsed.warnings))
            else:
                errors.extend(map(self.error, parsed))
        return drafts, errors

    def error(self, error: RowError) -> dict[str, Any]:
        found = error_dict(error)
        if self.first_column is not None and error.column is not None:
            found["cell"] = self._cell(error.line, error.column)
        return found

    def _cell(self, line: int, header: str) -> str | None:
        try:
            index = self.rows.headers.index(header)
        except ValueError:  # "Column 7": a cell past the header's last column
            index = int(header.rsplit(" ", 1)[-1]) - 1 if header.startswith("Column ") else -1
        if index < 0:
            return None
        return f"{column_letter((self.first_column or 0) + index)}{line}"

    def values(self, draft: LeadDraft) -> dict[str, Any]:
        values = draft_values(draft)
        for name, limit in self.lengths.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit]
        return values


def error_dict(error: RowError) -> dict[str, Any]:
    return {"line": error.line, "column": error.column, "message": error.message, "cell": None}


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def process_pool(processes: int) -> Executor:
    """Worker processes forked from a server that preloaded this module."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(max_workers=processes, mp_context=context)
