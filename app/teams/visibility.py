"""An AGENT reads only what is assigned to them: every ORM SELECT run while
`app.core.visibility.visible_to_agent` is set gets the filter, so every field, list, node,
loader and subscription of theirs is filtered in one place, not resolver by resolver.

A lead is theirs when it is assigned to them; its conversations, messages, matches, viewings,
history and consents follow the lead; a task is theirs when it is assigned to them or belongs
to their lead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.activity.models import ActivityEventRow
from app.conversations.models import BrokerTask, Conversation
from app.core.visibility import visible_to_agent
from app.leads.models import Lead, LeadChange
from app.matching.models import Match
from app.messaging.models import Consent, Message
from app.viewings.models import Viewing

_BY_LEAD = (Conversation, Message, Match, Viewing, LeadChange, Consent)


def _criteria(agent_id: int) -> list[Any]:
    theirs = select(Lead.id).where(Lead.assignee_id == agent_id).scalar_subquery()
    options: list[Any] = [with_loader_criteria(Lead, Lead.assignee_id == agent_id)]
    options += [with_loader_criteria(m, m.lead_id.in_(theirs)) for m in _BY_LEAD]
    # The activity feed: events about their leads, and those about no lead (a listing's).
    options.append(
        with_loader_criteria(
            ActivityEventRow,
            or_(ActivityEventRow.lead_id.is_(None), ActivityEventRow.lead_id.in_(theirs)),
        )
    )
    options.append(
        with_loader_criteria(
            BrokerTask, or_(BrokerTask.assignee_id == agent_id, BrokerTask.lead_id.in_(theirs))
        )
    )
    return options


@event.listens_for(Session, "do_orm_execute")
def _only_the_agents_rows(state: ORMExecuteState) -> None:
    agent_id = visible_to_agent.get()
    if agent_id is None or not state.is_select:
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the row itself already passed the filter
    state.statement = state.statement.options(*_criteria(agent_id))
