"""A local OpenAI-compatible chat endpoint on 127.0.0.1: tests of the llm engine, and the
oracle reader of the eval (agent.evals.oracle), which answers with the sentence gold.

It speaks the real wire protocol (POST /v1/chat/completions, JSON in and out), so the
real provider (langchain-openai -> openai -> httpx) is exercised end to end. Replies
come from a ``responder(request_body) -> Reply`` or a list of replies served in order;
every request body and its headers are kept for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


def completion(message: dict[str, Any], prompt_tokens: int = 1200,
               completion_tokens: int = 150, model: str = "fake-model",
               cached_tokens: int = 0, finish_reason: str | None = None) -> dict[str, Any]:
    finish = finish_reason or ("tool_calls" if message.get("tool_calls") else "stop")
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": cached_tokens}},
    }


def tool_reply(arguments: dict[str, Any] | str, name: str = "Extraction", **usage: Any) -> Reply:
    """The model calls the structured-output tool; a str is sent as-is (invalid JSON)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": args}}
    return Reply(body=completion({"role": "assistant", "content": None, "tool_calls": [call]},
                                 **usage))


def content_reply(content: str, **usage: Any) -> Reply:
    """The model answers in the message text (json_schema mode)."""
    return Reply(body=completion({"role": "assistant", "content": content}, **usage))


def error_reply(status: int, message: str = "fake failure", **headers: str) -> Reply:
    return Reply(status=status, body={"error": {"message": message, "type": "server_error"}},
                 headers=headers)


Responder = Callable[[dict[str, Any]], Reply]


class FakeOpenAI:
    def __init__(self, replies: list[Reply] | Responder) -> None:
        self._script = replies if isinstance(replies, list) else None
        self._responder = None if isinstance(replies, list) else replies
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if self._responder is not None:
                return self._responder(body)
            assert self._script is not None
            return self._script.pop(0) if self._script else error_reply(500, "script exhausted")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.headers.append(dict(self.headers.items()))
                reply = fake._next(body)
                time.sleep(reply.delay)
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    for key, value in reply.headers.items():
                        self.send_header(key.replace("_", "-"), value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    @contextmanager
    def running(self) -> Iterator[FakeOpenAI]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        self._server = server
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
