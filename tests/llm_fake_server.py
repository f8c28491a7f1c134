"""The local OpenAI-compatible endpoint the tests talk to (agent.llm.local_server)."""

from agent.llm.local_server import (
    FakeOpenAI,
    Reply,
    Responder,
    completion,
    content_reply,
    error_reply,
    tool_reply,
)

__all__ = ["FakeOpenAI", "Reply", "Responder", "completion", "content_reply", "error_reply",
           "tool_reply"]
