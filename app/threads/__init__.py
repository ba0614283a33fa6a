"""The rows of a lead's conversations with the brokerage: the conversation (a lead and a listing,
one LangGraph thread), the broker's hand-off tasks and the viewings. They sit below the domains
that read and change them: messaging (the outbox's suppression, inbound routing, opt-outs that
end a lead's conversations and cancel its tasks), teams (handing tasks over, what an agent
sees), conversations (the agent that runs the thread) and viewings."""
