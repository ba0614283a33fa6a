"""An AGENT reads only what is assigned to them: every ORM SELECT run while
`app.core.visibility.visible_to_agent` is set gets the filter, so every field, list, node,
loader and subscription of theirs is filtered in one place, not resolver by resolver.

A lead is theirs when it is assigned to them; its conversations, messages, matches, viewings,
history and consents follow the lead; a task is theirs when it is assigned to them or belongs
to their lead.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from app.core.visibility import visible_to_agent
from app.teams.repository import agent_criteria


@event.listens_for(Session, "do_orm_execute")
def _only_the_agents_rows(state: ORMExecuteState) -> None:
    agent_id = visible_to_agent.get()
    if agent_id is None or not state.is_select:
        return
    if state.is_column_load or state.is_relationship_load:
        return  # the row itself already passed the filter
    state.statement = state.statement.options(*agent_criteria(agent_id))
