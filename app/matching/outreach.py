"""Which channels each outreach tier uses (DESIGN.md section 4), and who gets a call task."""

from __future__ import annotations

from app.core.vocabulary import Channel, Tier

_CHANNELS: dict[Tier, tuple[Channel, ...]] = {
    Tier.HOT: (Channel.EMAIL, Channel.SMS),
    Tier.MEDIUM: (Channel.EMAIL, Channel.SMS),
    Tier.LOW: (Channel.EMAIL,),
}


def outreach_channels(tier: Tier | None) -> tuple[Channel, ...]:
    """The channels a tier reaches out on, in order of preference; none below the threshold."""
    return _CHANNELS[tier] if tier is not None else ()


def reachable_channels(
    tier: Tier | None, *, has_email: bool, has_phone: bool
) -> tuple[Channel, ...]:
    """The tier's channels this lead has an address for; none means no conversation starts."""
    reachable = {Channel.EMAIL: has_email, Channel.SMS: has_phone, Channel.WHATSAPP: has_phone}
    return tuple(channel for channel in outreach_channels(tier) if reachable[channel])
