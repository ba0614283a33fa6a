"""The plans as configuration (pure: no I/O). Plans are not billing: an operator sets a
brokerage's plan with `brscale plan`; the product enforces what it includes and holds."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime


class Plan(enum.Enum):
    STANDALONE = "STANDALONE"
    CRM_ENHANCED = "CRM_ENHANCED"
    ENTERPRISE = "ENTERPRISE"


class Feature(enum.Enum):
    CRM_SYNC = "connecting a CRM"
    IMPORT = "importing leads from a file"
    REACTIVATION = "reactivating old leads"


@dataclass(frozen=True)
class PlanSpec:
    plan: Plan
    label: str
    features: frozenset[Feature]
    leads: int
    properties: int
    users: int
    messages_per_month: int

    def limit(self, what: str) -> int:
        return int(getattr(self, what))


PLANS = {
    # The broker lists properties and BR SCALE works the new leads it captures: no CRM, no
    # old leads to reactivate.
    Plan.STANDALONE: PlanSpec(Plan.STANDALONE, "Standalone", frozenset(), 1_000, 10, 1, 2_000),
    # The main plan: a CRM (or files) connected and every old lead reactivated.
    Plan.CRM_ENHANCED: PlanSpec(
        Plan.CRM_ENHANCED, "CRM-Enhanced", frozenset(Feature), 250_000, 100, 3, 50_000
    ),
    # A brokerage of 5-15 agents sharing leads and listings.
    Plan.ENTERPRISE: PlanSpec(
        Plan.ENTERPRISE, "Enterprise", frozenset(Feature), 1_000_000, 1_000, 15, 500_000
    ),
}
DEFAULT_PLAN = Plan.CRM_ENHANCED
ORDER = (Plan.STANDALONE, Plan.CRM_ENHANCED, Plan.ENTERPRISE)


def spec_for(plan: str | Plan | None) -> PlanSpec:
    return PLANS[Plan(plan) if plan else DEFAULT_PLAN]


def feature_refusal(spec: PlanSpec, feature: Feature) -> str | None:
    """Why the plan may not do this (naming the plan that may), or None when it may."""
    if feature in spec.features:
        return None
    upgrade = next(PLANS[p] for p in ORDER if feature in PLANS[p].features)
    what = feature.value[0].upper() + feature.value[1:]
    return f"{what} is part of the {upgrade.label} plan; this brokerage is on {spec.label}."


def limit_refusal(spec: PlanSpec, what: str, current: int, adding: int = 1) -> str | None:
    """Why `adding` more `what` (leads, properties, users) would not fit, or None."""
    limit = spec.limit(what)
    if current + adding <= limit:
        return None
    bigger = next((PLANS[p] for p in ORDER if PLANS[p].limit(what) > limit), None)
    more = f" The {bigger.label} plan holds {bigger.limit(what):,}." if bigger else ""
    return f"The {spec.label} plan holds {limit:,} {what}; this brokerage has {current:,}.{more}"


def month_start(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: datetime) -> datetime:
    start = month_start(now)
    if start.month == 12:
        return start.replace(year=start.year + 1, month=1)
    return start.replace(month=start.month + 1)
