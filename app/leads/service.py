"""Lead rules: de-duplicated upserts from any source, manual creation, opt-outs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.db import utcnow
from app.core.errors import BadUserInput, Conflict
from app.leads import repository
from app.leads.merge import Settlement, location_keys, merge_into, name_conflict
from app.leads.models import Lead, Operation
from app.leads.preferences import REGION_CURRENCIES, merge_locations, place_name
from app.leads.suppression import without_suppressed
from app.leads.values import InvalidValueError, normalize_email, normalize_phone


class LeadIds(Protocol):
    def __contains__(self, lead_id: int, /) -> bool: ...


class Settle(Protocol):
    """A source's own rule over the merge (see `Settlement`): given the lead before and after
    the merge and the incoming values."""

    def __call__(
        self, current: dict[str, Any], merged: dict[str, Any], incoming: dict[str, Any], /
    ) -> Settlement: ...


@dataclass
class UpsertResult:
    inserted: list[int] = field(default_factory=list)
    # Existing leads the sources named, and those of them that actually changed.
    existing: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    # Rows naming a lead that an earlier row of the same call, or of the same import, named.
    duplicates: int = 0
    # Positions in `incoming` of suppressed people (erased leads), left out.
    suppressed: list[int] = field(default_factory=list)
    # Per existing lead that changed: (column, before, after) of each change, as logged.
    changes: dict[int, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    # Fields changed on both sides and settled by the source's rule (see `Settle`).
    conflicts: int = 0

    @property
    def touched(self) -> list[int]:
        return [*self.inserted, *self.existing]


def _keys(values: dict[str, Any]) -> list[str]:
    keys = [f"e:{a}" for a in [values.get("email"), *values.get("other_emails", [])] if a]
    keys += [f"p:{a}" for a in [values.get("phone"), *values.get("other_phones", [])] if a]
    if values.get("external_id") and values.get("external_source"):
        keys.append(f"x:{values['external_source']}:{values['external_id']}")
    return keys


async def upsert_leads(
    session: AsyncSession,
    brokerage_id: int,
    incoming: list[dict[str, Any]],
    *,
    source: str,
    named: LeadIds = frozenset(),
    settle: Settle | None = None,
) -> UpsertResult:
    """Fold `incoming` lead values (see `merge.draft_values`) into the brokerage's leads.

    A lead is the same lead when it shares an external id, an email or a phone. A row naming a
    lead that an earlier row named, in this call or among the lead ids `named` by the earlier
    calls of one import, counts as a duplicate and is merged. Every change to an existing lead
    is logged with its `source`. A source that is the record of some fields (a CRM) passes
    `settle`, which overrides the merge for those fields and names the conflicts it settled.
    """
    result = UpsertResult()
    incoming, result.suppressed = await without_suppressed(session, brokerage_id, incoming)
    external_source = incoming[0].get("external_source") if incoming else None
    existing = await repository.find_for_merge(
        session,
        brokerage_id,
        emails=[a for v in incoming for a in [v.get("email"), *v.get("other_emails", [])] if a],
        phones=[a for v in incoming for a in [v.get("phone"), *v.get("other_phones", [])] if a],
        external=(external_source, [v["external_id"] for v in incoming if v.get("external_id")])
        if external_source
        else None,
    )
    for lead in existing:
        lead["operation"] = (
            lead["operation"].value
            if isinstance(lead["operation"], Operation)
            else lead["operation"]
        )
    fold = fold_rows(brokerage_id, incoming, existing, source=source, named=named, settle=settle)
    new_rows, dirty, before, conflicts = fold.new_rows, fold.dirty, fold.before, fold.conflicts
    result.duplicates = fold.duplicates

    try:
        result.inserted = await repository.insert_leads(session, new_rows)
        await repository.update_leads(session, [{"id": i, **c} for i, c in dirty.items()])
    except IntegrityError as exc:  # a concurrent writer took an address between read and write
        raise Conflict(
            "Another import or sync changed these leads at the same time; run it again."
        ) from exc
    now = utcnow()
    logged: list[dict[str, Any]] = [
        {
            "brokerage_id": brokerage_id,
            "lead_id": lead_id,
            "source": source,
            "field": column,
            "old_value": _text(before[lead_id].get(column)),
            "new_value": _text(value),
            "conflict": conflicts.get((lead_id, column)),
            "at": now,
        }
        for lead_id, changes in dirty.items()
        for column, value in changes.items()
        if column != "location_keys"  # matching's copy of `locations`, not the broker's
    ]
    # A conflict on a field the merge left as it was (another name for the lead) is logged too.
    logged += [
        {
            "brokerage_id": brokerage_id,
            "lead_id": lead_id,
            "source": source,
            "field": column,
            "old_value": record["local"],
            "new_value": record["local"],
            "conflict": record,
            "at": now,
        }
        for (lead_id, column), record in conflicts.items()
        if column not in dirty.get(lead_id, {})
    ]
    await repository.log_changes(session, logged)
    for row in logged:
        result.changes.setdefault(row["lead_id"], []).append(
            (row["field"], row["old_value"], row["new_value"])
        )
    result.conflicts = sum(1 for row in logged if row["conflict"] is not None)
    result.existing = list(fold.matched)
    result.updated = list(dirty)
    return result


@dataclass
class Fold:
    """`fold_rows`' plan: what to insert and change, before anything is written."""

    new_rows: list[dict[str, Any]] = field(default_factory=list)
    matched: dict[int, None] = field(default_factory=dict)  # existing leads named, changed or not
    dirty: dict[int, dict[str, Any]] = field(default_factory=dict)  # lead id -> its changes
    before: dict[int, dict[str, Any]] = field(default_factory=dict)
    conflicts: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    duplicates: int = 0


def fold_rows(
    brokerage_id: int,
    incoming: list[dict[str, Any]],
    existing: list[dict[str, Any]],
    *,
    source: str,
    named: LeadIds = frozenset(),
    settle: Settle | None = None,
) -> Fold:
    """The merge of `incoming` into the `existing` leads they name (updated in place), with no
    I/O: `upsert_leads` writes what it plans; a dry run on an empty brokerage keeps it in memory."""
    fold = Fold()
    new_rows, matched, dirty, before, conflicts = (
        fold.new_rows, fold.matched, fold.dirty, fold.before, fold.conflicts
    )  # fmt: skip
    by_key: dict[str, dict[str, Any]] = {}
    for lead in existing:
        for key in _keys(lead):
            by_key.setdefault(key, lead)
    for values in incoming:
        keys = _keys(values)
        target = next((by_key[key] for key in keys if key in by_key), None)
        if target is not None and (
            "id" not in target or target["id"] in matched or target["id"] in named
        ):
            fold.duplicates += 1
        if target is None:
            row = {**values, "brokerage_id": brokerage_id, "source": values.get("source") or source}
            new_rows.append(row)
            for key in keys:
                by_key.setdefault(key, row)
            continue
        # Addresses another lead already owns stay with that lead.
        values = _without_foreign(values, target, by_key)
        # A CRM (a source with its `settle`) owns the contact's name: its edits rename.
        changes = merge_into(target, values, renames=settle is not None)
        if settle is not None and "id" in target:
            settled = settle(target, {**target, **changes}, values)
            for column in settled.keep:
                changes.pop(column, None)
            changes.update({c: v for c, v in settled.set.items() if v != target.get(c)})
            for column, record in settled.conflicts.items():
                conflicts[(target["id"], column)] = record
        if "id" in target:
            matched[target["id"]] = None
            kept = changes.get("name", target.get("name")) or ""
            renamed = name_conflict(kept, values.get("name") or "")
            if renamed and (target["id"], "name") not in conflicts:
                # Another name for this lead: not swapped in, shown in its history.
                conflicts[(target["id"], "name")] = {
                    "crm": values.get("name"), "local": kept, "kept": "BRSCALE"
                }  # fmt: skip
            if changes:
                before.setdefault(target["id"], dict(target))
                dirty.setdefault(target["id"], {}).update(changes)
        target.update(changes)
        for key in _keys(target):
            by_key.setdefault(key, target)
    return fold


def _without_foreign(
    values: dict[str, Any], target: dict[str, Any], by_key: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    def mine(kind: str, address: str | None) -> bool:
        owner = by_key.get(f"{kind}:{address}")
        return owner is None or owner is target

    cleaned = dict(values)
    for kind, primary, others in (("e", "email", "other_emails"), ("p", "phone", "other_phones")):
        addresses = [
            a for a in [values.get(primary), *values.get(others, [])] if a and mine(kind, a)
        ]
        cleaned[primary] = addresses[0] if addresses else None
        cleaned[others] = addresses[1:]
    return cleaned


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


@dataclass(frozen=True)
class NewLead:
    name: str
    email: str | None = None
    phone: str | None = None
    locations: tuple[str, ...] = ()
    min_budget: int | None = None
    max_budget: int | None = None
    rent_min_budget: int | None = None
    rent_max_budget: int | None = None
    currency: str | None = None
    bedrooms: int | None = None
    operation: Operation = Operation.ANY
    language: str | None = None
    notes: str = ""
    source: str = "MANUAL"
    default_region: str | None = None


@dataclass(frozen=True)
class CreatedLead:
    """What `create_lead` did: a new lead, or a known one (same email or phone) merged under the
    import's rules, with each change as (field, before, after)."""

    lead: Lead
    merged: bool
    changes: list[tuple[str, str | None, str | None]]


async def create_lead(session: AsyncSession, brokerage_id: int, lead: NewLead) -> CreatedLead:
    """A lead captured by the broker or a partner form; a known contact (same email or phone) is
    merged instead, by the same rules as an import, and every change is in its history."""
    try:
        email = normalize_email(lead.email) if lead.email else None
        phone = normalize_phone(lead.phone, lead.default_region) if lead.phone else None
    except InvalidValueError as exc:
        raise BadUserInput(str(exc)) from exc
    if email is None and phone is None:
        raise BadUserInput("A lead needs an email or a phone number to be reached.")
    budgets = (lead.min_budget, lead.max_budget, lead.rent_min_budget, lead.rent_max_budget)
    currency = lead.currency.strip().upper() if lead.currency and lead.currency.strip() else None
    problems = [
        "budgets cannot be negative" if any(b is not None and b < 0 for b in budgets) else "",
        "currency is an ISO 4217 code like MXN or USD"
        if currency is not None and not (len(currency) == 3 and currency.isalpha())
        else "",
        "bedrooms must be between 0 and 50"
        if lead.bedrooms is not None and not 0 <= lead.bedrooms <= 50
        else "",
        "language is 'es' or 'en'" if lead.language not in (None, "es", "en") else "",
    ]
    if any(problems):
        raise BadUserInput("; ".join(p for p in problems if p).capitalize() + ".")
    if (
        lead.min_budget is not None
        and lead.max_budget is not None
        and lead.min_budget > lead.max_budget
    ):
        raise BadUserInput("minBudget is above maxBudget.")
    if (
        lead.rent_min_budget is not None
        and lead.rent_max_budget is not None
        and lead.rent_min_budget > lead.rent_max_budget
    ):
        raise BadUserInput("rentMinBudget is above rentMaxBudget.")
    if currency is None and any(b is not None for b in budgets):
        currency = REGION_CURRENCIES.get((lead.default_region or "").upper())
    locations = merge_locations(place_name(place) for place in lead.locations if place.strip())
    values = {
        "name": lead.name.strip(),
        "email": email,
        "phone": phone,
        "other_emails": [],
        "other_phones": [],
        "last_contact_at": utcnow(),
        "tags": [],
        "notes": lead.notes,
        "language": lead.language,
        "locations": locations,
        "location_keys": location_keys(locations),
        "min_budget": lead.min_budget,
        "max_budget": lead.max_budget,
        "rent_min_budget": lead.rent_min_budget,
        "rent_max_budget": lead.rent_max_budget,
        "currency": currency,
        "bedrooms": lead.bedrooms,
        "operation": lead.operation.value,
        "source": lead.source,
    }
    result = await upsert_leads(session, brokerage_id, [values], source=lead.source)
    if result.suppressed:
        raise BadUserInput(
            "This person's lead was erased at their request; they cannot be added again."
        )
    lead_id = result.touched[0]
    lead_row = await session.get(Lead, lead_id, populate_existing=True)
    assert lead_row is not None
    return CreatedLead(lead_row, bool(result.existing), result.changes.get(lead_id, []))
