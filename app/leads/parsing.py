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
    rows: int
    leads: list[dict[str, Any]]
    errors: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class BatchParser:
    """A RowParser plus the column widths to cut long values to (a long "Source" or "Owner" cell
    must not fail its whole batch on PostgreSQL's VARCHAR limits). Picklable: it travels to the
    worker processes with each batch."""

    rows: RowParser
    lengths: Mapping[str, int]

    def __call__(self, batch: Batch) -> ParsedBatch:
        drafts, errors = self.drafts(batch)
        return ParsedBatch(len(batch), [self.values(draft) for draft in drafts], errors)

    def drafts(self, batch: Batch) -> tuple[list[LeadDraft], list[dict[str, Any]]]:
        """The rows' drafts, and every rejected row's and unusable value's error."""
        drafts: list[LeadDraft] = []
        errors: list[dict[str, Any]] = []
        for line, cells in batch:
            parsed = self.rows.parse(line, cells)
            if isinstance(parsed, LeadDraft):
                drafts.append(parsed)
                errors.extend(map(error_dict, parsed.warnings))
            else:
                errors.extend(map(error_dict, parsed))
        return drafts, errors

    def values(self, draft: LeadDraft) -> dict[str, Any]:
        values = draft_values(draft)
        for name, limit in self.lengths.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                values[name] = value[:limit]
        return values


def error_dict(error: RowError) -> dict[str, Any]:
    return {"line": error.line, "column": error.column, "message": error.message}


def process_pool(processes: int) -> Executor:
    """Worker processes forked from a server that preloaded this module."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(max_workers=processes, mp_context=context)
