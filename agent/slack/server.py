"""A threaded HTTP server in front of the bolt app.

Why not bolt's own ``SlackAppDevelopmentServer``: it is a plain ``http.server.HTTPServer``
that answers one request at a time and says it is for development only, so one slow
request (a large payload, a slow client) would hold every other delivery past Slack's
three seconds. ``ThreadingHTTPServer`` gives each connection its own thread; all a
request thread does is verify, de-duplicate and enqueue (milliseconds), so the answer
goes back at once while the interview work runs on the bounded worker pool. The adapter
is a few lines and needs nothing outside the standard library (wsgiref's server is just
as single-threaded unless mixed in the same way).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
#: Slack's payloads are a few kB; anything far larger is not Slack.
MAX_BODY_BYTES = 1024 * 1024


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # The default listen backlog of 5 drops connections when many deliveries arrive at
    # once (50 threads started together); the client's retry then costs a second or more.
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.bolt_app = app
        super().__init__(address, _handler_for(app))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{EVENTS_PATH}"

    def start_in_thread(self, poll_interval: float = 0.1) -> threading.Thread:
        """Serve from a background thread (tests, the load script); ``shutdown()`` stops it."""
        thread = threading.Thread(target=self.serve_forever, args=(poll_interval,),
                                  name="slack-http", daemon=True)
        thread.start()
        return thread


def _handler_for(app: App) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.address_string(), *args)

        def do_GET(self) -> None:
            if self.path.partition("?")[0] == HEALTH_PATH:
                self._send(200, b"ok", "text/plain; charset=utf-8")
            else:
                self._send(404, b"not found", "text/plain; charset=utf-8")

        def do_POST(self) -> None:
            path, _, query = self.path.partition("?")
            length = int(self.headers.get("Content-Length") or 0)
            if path != EVENTS_PATH:
                self._send(404, b"not found", "text/plain; charset=utf-8")
                return
            if length > MAX_BODY_BYTES:
                # Read a moderate excess so the client sees the 413, not a reset socket.
                if length <= 4 * MAX_BODY_BYTES:
                    self.rfile.read(length)
                self.close_connection = True
                self._send(413, b"payload too large", "text/plain; charset=utf-8")
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            headers: dict[str, str | Sequence[str]] = {
                name.lower(): value for name, value in self.headers.items()}
            response = app.dispatch(BoltRequest(body=body, query=query, headers=headers))
            self._send_bolt(response)

        def _send_bolt(self, response: BoltResponse) -> None:
            body = (response.body or "").encode("utf-8")
            self.send_response(response.status)
            for name, values in response.headers.items():
                if name.lower() == "content-length":
                    continue
                for value in values:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
