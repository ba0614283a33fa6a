"""An OpenAI-compatible chat model for the conversation agent (langchain-openai over httpx2)."""
