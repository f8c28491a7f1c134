"""The slack_bolt app: verify, drop retries, acknowledge, and hand the work to the pool.

Request path (runs on the HTTP thread, must stay fast): bolt checks the signature and
its five-minute window (401 otherwise), authorises with the cached ``auth.test`` result,
drops the bot's own events, then our ``DropRedeliveries`` middleware records the
delivery with its body in the store's delivery log (one insert; a delivery any worker
already took is dropped). Events are acknowledged by bolt at once
(``process_before_response=False``); our listeners only enqueue a job per Slack thread.
They run on a single hand-off thread so that jobs are queued in the order requests
arrived; the jobs themselves run on the bounded ``KeyedWorkerPool``, and a job marks its
delivery finished. The ``Keeper`` thread beats this worker's heartbeat and replays the
unfinished deliveries of workers that died, so an acknowledged event is never lost.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse, Respond
from slack_bolt.middleware import Middleware
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from agent.errors import UserError
from agent.slack.intake import ENGAGEMENT_COMMAND, SlackIntake, parse_start, run_safely
from agent.slack.pool import KeyedWorkerPool
from agent.slack.poster import ThreadPoster
from agent.slack.settings import SlackSettings
from agent.slack.store import SlackStore, ThreadKey
from agent.slack.text import escape, mention, plain_text

log = logging.getLogger(__name__)

#: Message subtypes that are a person writing in a thread; edits, joins and bots are not.
ANSWER_SUBTYPES = (None, "thread_broadcast", "file_share")
#: A reply that opens by addressing someone else is for them, not for the interview.
TO_SOMEONE = re.compile(r"^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def help_text(frameworks: Sequence[str]) -> str:
    return ("Mention me (or use `/maturity start [framework]`) to open an assessment thread; "
            "everyone who replies in the thread is interviewed. In the thread: `why`, `skip`, "
            "`back`, `status`, `report`, `done`. `engagement NAME` files this channel's "
            "assessments under a client engagement. Frameworks: " + ", ".join(frameworks) + ".")


def make_client(settings: SlackSettings) -> WebClient:
    client = WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=15)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def bot_user_id(client: WebClient) -> str:
    """The bot's own user id (``auth.test``), failing with a fixable message."""
    try:
        return str(client.auth_test()["user_id"])
    except SlackApiError as exc:
        raise UserError(f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')}); copy the "
                        "Bot User OAuth Token from your app's OAuth & Permissions page") from None
    except OSError as exc:
        raise UserError(f"cannot reach the Slack Web API at {client.base_url} ({exc}); check "
                        "the network or MATURITY_SLACK_API_URL") from None


class _TokenSkippedFilter(logging.Filter):
    # bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is
    # given; ours is built from that very token, so the warning is noise on every start.
    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


bolt_log = logging.getLogger("agent.slack.bolt")
bolt_log.addFilter(_TokenSkippedFilter())


class DropRedeliveries(Middleware):
    """Slack redelivers an event (same ``event_id``, ``X-Slack-Retry-Num`` set) when our
    answer was late or lost; take each event once, even across restarts."""

    def __init__(self, store: SlackStore) -> None:
        self.store = store

    def process(self, *, req: BoltRequest, resp: BoltResponse,
                next: Callable[[], BoltResponse]) -> BoltResponse:
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if isinstance(event_id, str) and not self.store.first_delivery(event_id, req.raw_body):
            retry = req.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("dropped redelivery %s of event %s", retry, event_id)
            return BoltResponse(status=200, body="")
        return next()


@dataclass
class SlackSurface:
    """Everything ``slack serve`` runs: the bolt app, the workers, the store."""

    app: App
    handoff: ThreadPoolExecutor
    pool: KeyedWorkerPool
    store: SlackStore
    intake: SlackIntake
    bot_user: str
    replay: Callable[[dict[str, Any]], None] = lambda body: None
    keeper: Keeper | None = None

    def start_keeper(self, every: float = 1.0) -> None:
        """Beat this worker's heartbeat and take over dead workers' deliveries."""
        self.keeper = Keeper(self.store, self.replay, every)
        self.keeper.start()

    def close(self, timeout: float = 30.0) -> None:
        """Call after the HTTP server stopped: queue what was handed off, finish it, close."""
        if self.keeper is not None:
            self.keeper.stop()
        self.handoff.shutdown(wait=True)
        self.pool.shutdown(timeout)
        self.store.close()


class Keeper(threading.Thread):
    """Every ``every`` seconds: this worker is alive; deliveries that a dead worker
    acknowledged but never finished are replayed here, oldest first."""

    def __init__(self, store: SlackStore, replay: Callable[[dict[str, Any]], None],
                 every: float) -> None:
        super().__init__(name="slack-keeper", daemon=True)
        self.store = store
        self.replay = replay
        self.every = every
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.store.beat()
                for event_id, raw in self.store.claim_orphans():
                    log.info("taking over delivery %s from a stopped worker", event_id)
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        self.store.finished(event_id)
                        continue
                    self.replay(body)
            except Exception:  # the database may be back next time; keep beating
                log.exception("slack keeper round failed")
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def build_surface(settings: SlackSettings, intake_for: Callable[[ThreadPoster], SlackIntake],
                  store: SlackStore, frameworks: Sequence[str], workers: int = 4,
                  client: WebClient | None = None) -> SlackSurface:
    client = client or make_client(settings)
    bot = bot_user_id(client)
    handoff = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-handoff")
    app = App(client=client, signing_secret=settings.signing_secret, name="maturity",
              logger=bolt_log, process_before_response=False, listener_executor=handoff)
    app.use(DropRedeliveries(store))
    poster = ThreadPoster(client)
    surface = SlackSurface(app, handoff, KeyedWorkerPool(workers), store, intake_for(poster),
                           bot)
    listeners = _Listeners(surface, poster, list(frameworks))
    listeners.register(app)
    surface.replay = listeners.replay
    return surface


class _Listeners:
    def __init__(self, surface: SlackSurface, poster: ThreadPoster,
                 frameworks: list[str]) -> None:
        self.surface = surface
        self.poster = poster
        self.frameworks = frameworks

    def register(self, app: App) -> None:
        app.event("app_mention")(self.on_mention)
        app.event("message")(self.on_message)
        app.command("/maturity")(self.on_command)
        # Anything else we were sent is acknowledged too: a 404 would make Slack retry.
        app.event(re.compile(".*"))(self.on_other)

    def _queue(self, key: ThreadKey, job: Callable[[], None], body: dict[str, Any]) -> None:
        def run() -> None:
            run_safely(self.poster, key, job)
            self._finished(body)

        self.surface.pool.submit(key.session_id, run)

    def _finished(self, body: dict[str, Any]) -> None:
        event_id = body.get("event_id")
        if isinstance(event_id, str):
            self.surface.store.finished(event_id)

    def replay(self, body: dict[str, Any]) -> None:
        """A delivery taken over from a worker that died: handled as if just received."""
        event = body.get("event")
        if not isinstance(event, dict):
            self._finished(body)
        elif event.get("type") == "app_mention":
            self._mention(body, event, replayed=True)
        elif event.get("type") == "message":
            self.on_message(body, event)
        else:
            self._finished(body)

    def on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        self._mention(body, event)

    def _mention(self, body: dict[str, Any], event: dict[str, Any],
                 replayed: bool = False) -> None:
        user = event.get("user")
        if not user or event.get("bot_id"):
            self._finished(body)
            return
        key = ThreadKey(str(body.get("team_id") or event.get("team") or ""),
                        str(event["channel"]), str(event.get("thread_ts") or event["ts"]))
        text = plain_text(str(event.get("text") or ""), self.surface.bot_user)
        delivery = str(body.get("event_id") or "") or None
        self._queue(key, lambda: self._mentioned(key, str(user), text, delivery, replayed),
                    body)

    def _mentioned(self, key: ThreadKey, user: str, text: str, delivery: str | None,
                   replayed: bool) -> None:
        intake = self.surface.intake
        bound = intake.store.thread(key)
        if replayed and bound is not None and bound.starter == user \
                and parse_start(text, self.frameworks).error is None \
                and intake.resume_start(key, user):
            return  # the start a dead worker had begun, carried on
        if text.lower().split()[:1] == [ENGAGEMENT_COMMAND]:
            intake.set_engagement(key, user, text)
        elif bound is not None:
            intake.reply(key, user, text, addressed=True, delivery=delivery)
        elif text.lower() in ("help", "?"):
            self.poster.say(key, f"{mention(user)} {help_text(self.frameworks)}")
        else:
            request = parse_start(text, self.frameworks)
            if request.error:
                self.poster.say(key, f"{mention(user)} {escape(request.error)}")
            else:
                intake.start(key, user, request.framework)

    def on_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if not self._message(body, event):
            self._finished(body)

    def _message(self, body: dict[str, Any], event: dict[str, Any]) -> bool:
        """Queue a person's reply in a thread we interview in; False when it is not one."""
        user, text = event.get("user"), str(event.get("text") or "")
        thread_ts = event.get("thread_ts")
        if (not user or event.get("bot_id") or event.get("subtype") not in ANSWER_SUBTYPES
                or not thread_ts or thread_ts == event.get("ts")):
            return False  # not a person replying in a thread
        if f"<@{self.surface.bot_user}" in text:
            return False  # also delivered as app_mention, handled there
        if TO_SOMEONE.match(text):
            return False  # "@Raj can you take this one?": people talking, not an answer
        key = ThreadKey(str(body.get("team_id") or event.get("team") or ""),
                        str(event["channel"]), str(thread_ts))
        if self.surface.store.thread(key) is None:
            return False  # a thread we are not interviewing in
        answer = plain_text(text, self.surface.bot_user)
        delivery = str(body.get("event_id") or "") or None
        self._queue(key, lambda: self.surface.intake.reply(key, str(user), answer,
                                                           addressed=False, delivery=delivery),
                    body)
        return True

    def on_command(self, ack: Callable[..., None], command: dict[str, Any],
                   respond: Respond) -> None:
        words = str(command.get("text") or "").strip()
        first = words.split()[0].lower() if words else "start"
        if first not in ("start", *self.frameworks):
            ack(text=help_text(self.frameworks))
            return
        request = parse_start(words or "start", self.frameworks)
        if request.error:
            ack(text=request.error)
            return
        framework = request.framework or self.surface.intake.default_framework
        ack(text=f"Starting an assessment ({framework}) in this channel…")
        channel, user = str(command["channel_id"]), str(command["user_id"])
        team = str(command.get("team_id") or "")
        self.surface.pool.submit(f"command-{channel}-{command.get('trigger_id')}",
                                 lambda: self._open_thread(team, channel, user, framework,
                                                           respond))

    def _open_thread(self, team: str, channel: str, user: str, framework: str,
                     respond: Respond) -> None:
        try:
            ts = self.poster.start_thread(
                channel, f"{mention(user)} started a maturity assessment ({escape(framework)}). "
                         "Reply in this thread to take part.")
        except SlackApiError as exc:
            error = exc.response.get("error")
            respond(text=f"I could not post in this channel ({error}); invite me with "
                         "`/invite @maturity` and try again.")
            return
        key = ThreadKey(team, channel, ts)
        self._queue(key, lambda: self.surface.intake.start(key, user, framework), {})

    def on_other(self, body: dict[str, Any]) -> None:
        self._finished(body)
