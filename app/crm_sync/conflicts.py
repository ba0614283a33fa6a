"""Fields changed on both sides: who wins, and the record a broker reads (no I/O).

Each CRM record remembers what that CRM last told us (`CrmLink.synced`, the baseline). When a
record comes back, a field the CRM changed since then while our copy changed too (an import, a
form, another CRM) is a conflict, settled by one rule per field:
- the CRM owns contact data and its stage (name, email, phone, status): its value is kept;
- BR SCALE owns what it writes (its tags, notes and score): the CRM's copy of those is never
  read back (`without_own_tags`), so they cannot conflict.
A field only the CRM changed is taken as the broker's edit, even where the import's merge rules
would keep ours (a shorter name, a new primary email); a field only we changed is left alone
until the CRM changes it. Every conflict is logged with both values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.leads.merge import Settlement

# Fields whose value in the CRM is the broker's record, compared against the baseline.
CRM_OWNED = ("name", "email", "phone", "crm_status")
_ADDRESS_LISTS = {"email": "other_emails", "phone": "other_phones"}
# The prefix of every tag BR SCALE writes to a CRM person (`writeback.brscale_tags`).
OWN_TAG_PREFIX = "BR SCALE"


@dataclass(frozen=True)
class Conflict:
    field: str
    crm_value: str
    local_value: str | None
    kept: str  # "CRM" or "BRSCALE"

    def record(self) -> dict[str, Any]:
        """What `LeadChange.conflict` stores."""
        return {"crm": self.crm_value, "local": self.local_value, "kept": self.kept}


def baseline(values: dict[str, Any]) -> dict[str, Any]:
    """What to remember of a CRM record: its CRM-owned fields as it sent them."""
    return {name: values.get(name) for name in CRM_OWNED}


def without_own_tags(tags: Iterable[str]) -> list[str]:
    """The CRM's tags minus BR SCALE's own, which BR SCALE keeps and rewrites itself."""
    return [tag for tag in tags if not tag.startswith(OWN_TAG_PREFIX)]


def settle(
    current: dict[str, Any],
    merged: dict[str, Any],
    incoming: dict[str, Any],
    synced: dict[str, Any] | None,
) -> Settlement:
    """Settle the CRM-owned fields of one record against the lead it names.

    `current` is the lead before this record, `merged` after the import's merge rules, `incoming`
    the record's values and `synced` its baseline (None the first time: the merge rules alone).
    """
    settlement = Settlement()
    if synced is None:
        return settlement
    for name in CRM_OWNED:
        crm, local = incoming.get(name), current.get(name)
        if crm in (None, "") or name not in synced:
            continue
        base = synced[name]
        if crm == base:
            if local != base:
                settlement.keep.append(name)  # only we changed it: the CRM has not caught up
            continue
        if local == crm:
            continue
        if local not in (None, "") and local != base:
            settlement.conflicts[name] = Conflict(name, crm, local, kept="CRM").record()
        settlement.set.update(_take(name, crm, merged))
    return settlement


def _take(name: str, value: Any, merged: dict[str, Any]) -> dict[str, Any]:
    """The columns that give the lead the CRM's value; a replaced address is kept as another."""
    others = _ADDRESS_LISTS.get(name)
    if others is None:
        return {name: value}
    known = [merged.get(name), *(merged.get(others) or [])]
    return {name: value, others: [a for a in dict.fromkeys(known) if a and a != value]}
