"""Test helpers for the Slack surface: a local fake of the Slack Web API and a signed sender.

``FakeSlackAPI`` is a real HTTP server (``http.server`` in a thread) that answers the Web
API methods the intake bot calls and records every call, so tests assert on what Slack
would have received. ``SlackSender`` builds Events API and slash-command requests signed
the way Slack signs them (``v0:{timestamp}:{body}``, HMAC-SHA256 with the signing secret)
and posts them to the running app.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

#: pytest-recording's --block-network blocks every host unless a test allows some; the
#: Slack tests talk to servers on the loopback interface and nowhere else.
LOCAL_ONLY = {"allowed_hosts": [r"^127\.0\.0\.1$", r"^localhost$"]}

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0TEAM"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    response: dict[str, Any]


@dataclass
class Upload:
    file_id: str
    content: bytes


@dataclass
class FakeState:
    profiles: dict[str, dict[str, str]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)
    failing: dict[str, str] = field(default_factory=dict)  # method -> Slack error code


class FakeSlackAPI:
    """A local Slack Web API: ``base_url`` goes into MATURITY_SLACK_API_URL."""

    def __init__(self, profiles: dict[str, dict[str, str]] | None = None) -> None:
        self.state = FakeState(profiles=dict(profiles or {}))
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self._files = itertools.count(1)
        self._thread_posts: dict[str, int] = {}  # thread_ts -> chat.postMessage calls
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    # -- lifecycle ------------------------------------------------------------------
    def __enter__(self) -> FakeSlackAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    # -- what tests read ------------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.state.calls if method is None or c.method == method]

    def posts(self, thread_ts: str | None = None) -> list[dict[str, Any]]:
        """chat.postMessage parameters, optionally only those in one thread."""
        return [c.params for c in self.calls("chat.postMessage")
                if thread_ts is None or c.params.get("thread_ts") == thread_ts]

    def post_count(self, thread_ts: str) -> int:
        """How many messages were posted in the thread (cheap: counted as they come)."""
        with self._lock:
            return self._thread_posts.get(thread_ts, 0)

    def fail(self, method: str, error: str) -> None:
        with self._lock:
            self.state.failing[method] = error

    def wait_for(self, predicate: Any, timeout: float = 20.0) -> Any:
        """Poll ``predicate(self)`` after every recorded call until it is truthy; return it."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate(self)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting; last calls: {self._summary()}")
            with self._cond:
                self._cond.wait(0.05)

    def wait_posts(self, thread_ts: str, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        return list(self.wait_for(lambda api: len(api.posts(thread_ts)) >= count
                                  and api.posts(thread_ts), timeout))

    def _summary(self) -> str:
        return "; ".join(f"{c.method} {str(c.params.get('text', ''))[:60]!r}"
                         for c in self.calls()[-12:])

    # -- the API --------------------------------------------------------------------
    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        error = self.state.failing.get(method)
        if error:
            return {"ok": False, "error": error}
        if method == "response":  # a slash command's response_url
            return {"ok": True}
        if method == "auth.test":
            return {"ok": True, "url": "https://acme.example/", "team": "Acme", "user": "maturity",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method == "users.info":
            profile = self.state.profiles.get(str(params.get("user")))
            if profile is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": params["user"], "name": profile["name"].lower(),
                                         "real_name": profile["name"],
                                         "profile": {"real_name": profile["name"],
                                                     "display_name": profile.get("display", ""),
                                                     "title": profile.get("title", "")}}}
        if method == "chat.postMessage":
            ts = f"1700000{next(self._ts):03d}.000100"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._files):05d}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            files = json.loads(params.get("files", "[]"))
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}
        return {"ok": False, "error": "unknown_method"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                url = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if url.path.startswith("/upload/"):
                    file_id = url.path.rsplit("/", 1)[1]
                    fake._record("upload", {"file_id": file_id}, None,
                                 upload=Upload(file_id, body))
                    self._reply(200, b"OK - 1", "text/plain")
                    return
                params: dict[str, Any] = dict(parse_qsl(url.query))
                kind = self.headers.get("Content-Type", "")
                if body and "json" in kind:
                    params.update(json.loads(body))
                elif body:
                    params.update(parse_qsl(body.decode()))
                auth = self.headers.get("Authorization", "")
                token = auth.removeprefix("Bearer ") or None
                method = url.path.removeprefix("/api/").lstrip("/")
                answer = fake._record(method, params, token)
                self._reply(200, json.dumps(answer).encode(), "application/json")

            def _reply(self, status: int, body: bytes, kind: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler

    def _record(self, method: str, params: dict[str, Any], token: str | None,
                upload: Upload | None = None) -> dict[str, Any]:
        with self._cond:
            answer = self._answer(method, params) if upload is None else {"ok": True}
            if upload is not None:
                self.state.uploads[upload.file_id] = upload
            self.state.calls.append(Call(method, params, token, answer))
            if method == "chat.postMessage" and params.get("thread_ts"):
                ts = str(params["thread_ts"])
                self._thread_posts[ts] = self._thread_posts.get(ts, 0) + 1
            self._cond.notify_all()
            return answer


# ---------------------------------------------------------------------------------------
# Signed requests


def sign(secret: str, timestamp: int, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Delivery:
    status: int
    body: str
    seconds: float


class SlackSender:
    """Posts signed Events API and slash-command requests to the app at ``url``."""

    def __init__(self, url: str, secret: str, team: str = TEAM,
                 response_url: str = "http://127.0.0.1:9/none") -> None:
        self.url = url
        self.response_url = response_url
        self.secret = secret
        self.team = team
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)

    def next_ts(self) -> str:
        return f"1710000{next(self._ts):03d}.000200"

    def event(self, event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
        return {"token": "legacy", "team_id": self.team, "api_app_id": "A0APP",
                "type": "event_callback", "event_id": event_id or f"Ev{next(self._ids):06d}",
                "event_time": int(time.time()), "event": event,
                "authorizations": [{"team_id": self.team, "user_id": BOT_USER, "is_bot": True}]}

    def mention(self, user: str, text: str, channel: str = "C1", ts: str | None = None,
                thread_ts: str | None = None) -> dict[str, Any]:
        event = {"type": "app_mention", "user": user, "text": f"<@{BOT_USER}> {text}".strip(),
                 "channel": channel, "ts": ts or self.next_ts()}
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event)

    def reply(self, user: str, text: str, thread_ts: str, channel: str = "C1",
              **extra: Any) -> dict[str, Any]:
        event = {"type": "message", "channel_type": "channel", "user": user, "text": text,
                 "channel": channel, "ts": self.next_ts(), "thread_ts": thread_ts, **extra}
        return self.event(event)

    def send(self, payload: dict[str, Any], *, retry: int | None = None,
             timestamp: int | None = None, secret: str | None = None,
             signed: bool = True) -> Delivery:
        body = json.dumps(payload)
        return self.post(body, "application/json", retry=retry, timestamp=timestamp,
                         secret=secret, signed=signed)

    def command(self, user: str, text: str, channel: str = "C1") -> Delivery:
        form = {"token": "legacy", "team_id": self.team, "team_domain": "acme",
                "channel_id": channel, "channel_name": "general", "user_id": user,
                "user_name": user.lower(), "command": "/maturity", "text": text,
                "api_app_id": "A0APP", "response_url": self.response_url,
                "trigger_id": f"trig{next(self._ids)}"}
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def post(self, body: str, kind: str, *, retry: int | None = None,
             timestamp: int | None = None, secret: str | None = None,
             signed: bool = True) -> Delivery:
        stamp = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": kind}
        if signed:
            headers["X-Slack-Request-Timestamp"] = str(stamp)
            headers["X-Slack-Signature"] = sign(secret or self.secret, stamp, body)
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        request = urllib.request.Request(self.url, data=body.encode(), headers=headers,
                                         method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                text = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as exc:
            text = exc.read().decode()
            status = exc.code
        return Delivery(status, text, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------
# A scripted interviewer (INTERFACES §2) for fast surface tests


class ScriptedInterviewer:
    """One question per dimension from the pack's real question bank; an answer with a
    digit in it moves on, anything else earns one follow-up. The assessment goes through
    the real rubric. Calls for one session must never overlap: the Slack worker pool
    promises that, and this fake fails loudly if it is broken.
    """

    def __init__(self, pack: Any, delay: float = 0.0) -> None:
        self.pack = pack
        self.delay = delay
        self.calls: list[tuple[str, ...]] = []
        self.overlaps: list[str] = []
        self._busy: set[str] = set()
        self._lock = threading.Lock()
        self._sessions: dict[str, dict[str, Any]] = {}

    def _enter(self, session_id: str, *call: str) -> None:
        with self._lock:
            if session_id in self._busy:
                self.overlaps.append(session_id)
            self._busy.add(session_id)
            self.calls.append((call[0], session_id, *call[1:]))
        time.sleep(self.delay)

    def _leave(self, session_id: str) -> None:
        with self._lock:
            self._busy.discard(session_id)

    def start(self, framework: str, stakeholder: Any, session_id: str | None = None) -> Any:
        from agent.errors import UserError

        assert session_id is not None
        self._enter(session_id, "start", framework, stakeholder.name, stakeholder.role)
        try:
            if framework != self.pack.id:
                raise UserError(f"unknown framework {framework!r}")
            self._sessions[session_id] = {"position": 0, "evidence": [], "answers": 0,
                                          "followed": False, "people": [stakeholder]}
            return session_id, self._ask(session_id)
        finally:
            self._leave(session_id)

    @property
    def people(self) -> dict[str, list[tuple[str, str]]]:
        return {sid: [(p.name, p.role) for p in s["people"]] for sid, s in self._sessions.items()}

    def answer(self, session_id: str, stakeholder: Any, text: str,
               delivery: str | None = None) -> Any:
        self._enter(session_id, "answer", stakeholder.name, text)
        try:
            people = self._sessions[session_id]["people"]
            if stakeholder not in people:  # like the real one, an answer adds its speaker
                people.append(stakeholder)
            return self._read(session_id, stakeholder, text)
        finally:
            self._leave(session_id)

    def assessment(self, session_id: str) -> Any:
        from agent.assessment.citations import citations_for, missing_texts
        from agent.assessment.model import Assessment, DimensionResult
        from agent.assessment.roadmap import build_roadmap
        from agent.assessment.rubric import score_dimension

        evidence = self._sessions[session_id]["evidence"]
        dimensions = []
        for dim in self.pack.dimensions:
            score = score_dimension(self.pack, dim, evidence)
            dimensions.append(DimensionResult(
                id=dim.id, name=dim.name, level=score.level,
                level_name=self.pack.level_name(score.level) if score.level else None,
                confidence=score.confidence,
                evidence=[e for e in evidence if e.dimension == dim.id],
                citations=citations_for(self.pack, dim, score),
                missing=missing_texts(self.pack, score), missing_indicators=score.missing,
                indicators=score.statuses))
        a = Assessment(framework=self.pack.id, framework_name=self.pack.name, engine="offline",
                       created="2025-01-01T00:00:00+00:00", dimensions=dimensions)
        return a.model_copy(update={"roadmap": build_roadmap(self.pack, a)})

    # -- the script -----------------------------------------------------------------
    def _read(self, session_id: str, who: Any, text: str) -> Any:
        from agent.assessment.model import Evidence
        from agent.interview import AgentTurn

        s = self._sessions[session_id]
        word = text.strip().lower().rstrip("?")
        if word == "done" or s["position"] >= len(self.pack.dimensions):
            s["position"] = len(self.pack.dimensions)
            return self._ask(session_id)
        dim = self.pack.dimensions[s["position"]]
        if word == "status":
            return AgentTurn(f"{s['position']} of {len(self.pack.dimensions)} dimensions done.",
                             "status", dim.id, None, (), False)
        if word == "why":
            return AgentTurn(f"I am looking for evidence about {dim.name}.", "explain", dim.id,
                             None, (), False)
        if word == "skip":
            s["position"] += 1
            return self._ask(session_id)
        s["answers"] += 1
        specific = any(ch.isdigit() for ch in text)
        for indicator in dim.cells[1].indicators:
            s["evidence"].append(Evidence(
                quote=text, source=f"interview:{session_id}", line=s["answers"],
                speaker=who.name, stance="supports", indicator_id=indicator.id,
                strength="specific" if specific else "general", role=who.role,
                dimension=dim.id))
        if not specific and not s["followed"]:
            s["followed"] = True
            return AgentTurn("Which tool, used by how many teams, since when?", "follow_up",
                             dim.id, None, (), False)
        s["followed"] = False
        s["position"] += 1
        return self._ask(session_id)

    def _ask(self, session_id: str) -> Any:
        from agent.interview import AgentTurn

        s = self._sessions[session_id]
        if s["position"] >= len(self.pack.dimensions):
            return AgentTurn("Thank you, that is everything I need.", "finished", None, None,
                             (), True)
        question = self.pack.dimensions[s["position"]].questions[0]
        return AgentTurn(question.text, "question", self.pack.dimensions[s["position"]].id,
                         None, tuple(question.roles), False)


# ---------------------------------------------------------------------------------------
# The app under test, running for real


SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class SlackRig:
    api: FakeSlackAPI
    sender: SlackSender
    surface: Any
    server: Any

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.surface.close()


def start_rig(services: Any, interviewer: Any, api: FakeSlackAPI, workers: int = 4) -> SlackRig:
    """The real bolt app behind the real threaded server on an ephemeral port."""
    from agent.slack.server import SlackHTTPServer
    from agent.slack.service import build_slack_surface
    from agent.slack.settings import SlackSettings

    settings = SlackSettings(SECRET, "xoxb-test-token", api.base_url)
    surface = build_slack_surface(settings, services, interviewer, workers)
    server = SlackHTTPServer(("127.0.0.1", 0), surface.app)
    server.start_in_thread()
    sender = SlackSender(server.url, SECRET, response_url=f"{api.root}/response")
    return SlackRig(api, sender, surface, server)
