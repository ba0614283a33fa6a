"""Delivery outcomes shared by every message channel (SMS, WhatsApp, email).

A send either returns the provider's id or raises one of these, so the outbox worker decides
retry, failure, suppression or "unknown" the same way for every channel.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A message was not confirmed as accepted by the provider."""

    def __init__(self, message: str, *, code: int | None = None, more_info: str | None = None):
        super().__init__(message)
        self.code = code
        self.more_info = more_info


class TransientFailure(DeliveryError):
    """Not sent, and trying again later may work (rate limits, outages, refused connects)."""


class PermanentFailure(DeliveryError):
    """Not sent, and sending the same message again will fail the same way (bad address...)."""


class RecipientOptedOut(PermanentFailure):
    """The provider refuses because the recipient opted out: record an opt-out, never retry."""


class DeliveryUnknown(DeliveryError):
    """The request may have been accepted (timeout after sending): never resend blindly."""
