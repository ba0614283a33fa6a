"""The acts of a reply other than opt-outs (those are rules: see `intents.opt_out_scope`)."""

from __future__ import annotations

from app.conversations.intents import Intent, rule_acts


def predict_acts(text: str) -> frozenset[Intent]:
    """Every act found in the reply (for now the keyword rules; the corpus model replaces them)."""
    return rule_acts(text)
