"""How a freshly read lead (CSV row, CRM contact, form) folds into what we already know.

Pure rules, no I/O, one per field, each one a broker would agree with:
- contact points accumulate: no known email, phone, tag, place or note is ever dropped;
- the most recent real contact date wins (future dates never reach here: the row parser drops
  them);
- a name is replaced only by a fuller one, never by a shorter one, one from an older record or
  another spelling as long ("Jon Miller" for "John Miller"); a name that differs only by accents
  keeps its accents ("José Pérez" over "Jose Perez"); a different name is not swapped in but
  kept in the lead's history as a conflict (`name_conflict`);
- other values (status, owner, budgets, bedrooms, language, operation) fill blanks, and replace a
  known value only when the incoming record is not older than what we know;
- opt-outs and the AI's fields (qualification score) are never touched by an import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.text import fold
from app.leads.places import lead_key
from app.leads.rows import LeadDraft

# Values a newer source may replace; the AI's own fields are not among them.
_REPLACEABLE = ("crm_status", "owner", "bedrooms", "language")
# Budgets travel as pairs with their currency: a lone new maximum never joins an old minimum.
_BUDGET_PAIRS = (("min_budget", "max_budget"), ("rent_min_budget", "rent_max_budget"))


@dataclass
class Settlement:
    """A source's own rule over the merge for one record (a CRM is the record of its contact
    fields): columns to set, merge changes to drop, and each conflict it settled, by field."""

    set: dict[str, Any] = field(default_factory=dict)
    keep: list[str] = field(default_factory=list)
    conflicts: dict[str, dict[str, Any]] = field(default_factory=dict)


def draft_values(draft: LeadDraft) -> dict[str, Any]:
    """Column values for a new lead from a draft."""
    locations = list(draft.locations)
    return {
        "name": draft.name or "",
        "email": draft.emails[0] if draft.emails else None,
        "phone": draft.phones[0] if draft.phones else None,
        "other_emails": draft.emails[1:],
        "other_phones": draft.phones[1:],
        "last_contact_at": draft.last_contact_at,
        "crm_status": draft.status,
        "owner": draft.owner,
        "tags": list(draft.tags),
        "notes": draft.notes or "",
        "language": draft.language,
        "locations": locations,
        "location_keys": location_keys(locations),
        "min_budget": draft.min_budget,
        "max_budget": draft.max_budget,
        "rent_min_budget": draft.rent_min_budget,
        "rent_max_budget": draft.rent_max_budget,
        "currency": draft.currency,
        "bedrooms": draft.bedrooms,
        "operation": draft.operation.value if draft.operation else "ANY",
        "external_id": draft.external_id,
        "source": draft.source,
    }


def location_keys(locations: list[str]) -> list[str]:
    """What matching compares a lead's places by: the gazetteer's key of each ("Roma Nte." and
    "roma norte" alike), else the folded text."""
    keys = [key for key in map(lead_key, locations) if key]
    return keys if len(keys) < 2 else list(dict.fromkeys(keys))


def merge_into(
    current: dict[str, Any], incoming: dict[str, Any], *, renames: bool = False
) -> dict[str, Any]:
    """The changed columns when `incoming` (from `draft_values`) is folded into `current`;
    `renames`: the source owns the name (a CRM), see `better_name`."""
    changes: dict[str, Any] = {}
    older = _is_older(incoming.get("last_contact_at"), current.get("last_contact_at"))

    name = better_name(
        current.get("name") or "", incoming.get("name") or "", older=older, renames=renames
    )
    if name != (current.get("name") or ""):
        changes["name"] = name
    for column in _REPLACEABLE:
        value = incoming.get(column)
        if value in (None, "") or value == current.get(column):
            continue
        if current.get(column) in (None, "") or not older:
            changes[column] = value
    if not current.get("source") and incoming.get("source"):
        changes["source"] = incoming["source"]  # where the lead came from first stays

    for low, high in _BUDGET_PAIRS:
        new = (incoming.get(low), incoming.get(high))
        known = (current.get(low), current.get(high))
        if new != (None, None) and new != known and (known == (None, None) or not older):
            changes.update(
                {c: v for c, v, k in zip((low, high), new, known, strict=True) if v != k}
            )
    budget_changed = any(column in changes for pair in _BUDGET_PAIRS for column in pair)
    currency = incoming.get("currency")
    if (
        currency
        and currency != current.get("currency")
        and (budget_changed or not current.get("currency"))
    ):
        changes["currency"] = currency

    # Notes accumulate: a second row, a CRM background and a form each add what they know.
    notes, known_notes = incoming.get("notes") or "", current.get("notes") or ""
    if notes and notes not in known_notes:
        changes["notes"] = f"{known_notes}\n\n{notes}" if known_notes else notes

    newest = _newest(current.get("last_contact_at"), incoming.get("last_contact_at"))
    if newest != current.get("last_contact_at"):
        changes["last_contact_at"] = newest

    changes.update(_addresses(current, incoming, "email", "other_emails"))
    changes.update(_addresses(current, incoming, "phone", "other_phones"))

    tags = list(dict.fromkeys([*(current.get("tags") or []), *(incoming.get("tags") or [])]))
    if tags != (current.get("tags") or []):
        changes["tags"] = tags
    # Places accumulate too: a lead who wanted Polanco and now names Condesa wants both.
    known_places = list(current.get("locations") or [])
    known_keys = set(current.get("location_keys") or [])
    added = [
        place
        for place, key in zip(
            incoming.get("locations") or [], incoming.get("location_keys") or [], strict=False
        )
        if key not in known_keys
    ]
    if added:
        places = merge_places(known_places, added)
        if places != known_places:
            changes["locations"] = places
            changes["location_keys"] = location_keys(places)
    operation = incoming.get("operation")
    if (
        operation not in (None, "ANY")
        and operation != current.get("operation")
        and (current.get("operation") in (None, "ANY") or not older)
    ):
        changes["operation"] = operation
    if incoming.get("external_id") and not current.get("external_id"):
        changes["external_id"] = incoming["external_id"]
    return changes


def merge_places(known: list[str], added: list[str]) -> list[str]:
    seen = {lead_key(place) for place in known}
    merged = list(known)
    for place in added:
        if (key := lead_key(place)) not in seen:
            seen.add(key)
            merged.append(place)
    return merged


def _is_older(incoming: datetime | None, known: datetime | None) -> bool:
    """Whether the incoming record is older than what we know (an undated record is not)."""
    return incoming is not None and known is not None and incoming < known


def _accents(text: str) -> int:
    return sum(1 for ch in text if not ch.isascii())


def _same_word(a: str, b: str) -> bool:
    """Folded words that name the same thing: equal, or an initial ("P." for "Pérez")."""
    a, b = a.rstrip("."), b.rstrip(".")
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def better_name(current: str, incoming: str, *, older: bool, renames: bool = False) -> str:
    """The name to keep. A fuller name wins and keeps the accents either spelling has; a
    shorter name, or one from an older record, never replaces the current one; another name as
    long replaces it only from a source that owns the name (`renames`: a CRM's edit)."""
    current, incoming = current.strip(), incoming.strip()
    if not incoming or incoming == current or "@" in incoming:
        return current
    if not current or "@" in current or not any(ch.isalpha() for ch in current):
        return incoming  # no name yet, or an address or a number standing in for one
    known_words, new_words = current.split(), incoming.split()
    known_folded = [fold(word) for word in known_words]
    new_folded = [fold(word) for word in new_words]
    if known_folded == new_folded:  # the same name: keep the accented spelling
        return incoming if _accents(incoming) > _accents(current) else current
    covers = all(any(_same_word(k, n) for n in new_folded) for k in known_folded)
    if covers and len(new_words) > len(known_words):
        # Fuller: every known word is in it. Its words take the known accented spelling.
        spelled = []
        for word, folded in zip(new_words, new_folded, strict=True):
            same = [
                known
                for known, known_f in zip(known_words, known_folded, strict=True)
                if known_f == folded and _accents(known) > _accents(word)
            ]
            spelled.append(same[0] if same else word)
        return " ".join(spelled)
    if older or len(new_words) < len(known_words) or not renames:
        # Shorter, older, or another name or spelling as long from a file or a form ("Jon
        # Miller" for "John Miller"): not taken (`name_conflict` shows it in the history).
        return current
    if all(any(_same_word(n, k) for k in known_folded) for n in new_folded):
        return current  # "Juan P." for "Juan Pérez": not fuller
    return incoming  # a newer CRM record that renames, as full as the known name


def name_conflict(kept: str, incoming: str) -> bool:
    """Whether a record's name is another name than the one kept, not merely a shorter, initialled
    or unaccented form of it ("Jon Miller" against "John Miller" is; "Juan P." is not)."""
    kept, incoming = kept.strip(), incoming.strip()
    if not incoming or not kept or "@" in incoming or not any(ch.isalpha() for ch in incoming):
        return False
    kept_folded = [fold(word) for word in kept.split()]
    return not all(any(_same_word(n, k) for k in kept_folded) for n in map(fold, incoming.split()))


def _newest(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _addresses(
    current: dict[str, Any], incoming: dict[str, Any], primary: str, others: str
) -> dict[str, Any]:
    """Keep the current primary; every other address either side knows goes to `others`."""
    known = [current.get(primary), *(current.get(others) or [])]
    seen = [a for a in dict.fromkeys(known) if a]
    for address in [incoming.get(primary), *(incoming.get(others) or [])]:
        if address and address not in seen:
            seen.append(address)
    changes: dict[str, Any] = {}
    new_primary = current.get(primary) or (seen[0] if seen else None)
    rest = [a for a in seen if a != new_primary]
    if new_primary != current.get(primary):
        changes[primary] = new_primary
    if rest != (current.get(others) or []):
        changes[others] = rest
    return changes
