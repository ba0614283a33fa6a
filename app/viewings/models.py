"""A viewing of a listing with a lead, from the slots offered to the visit itself: the table is
`app/threads` (below teams, which shows an agent the viewings of their leads)."""

from app.threads.models import Viewing, ViewingStatus

__all__ = ["Viewing", "ViewingStatus"]
