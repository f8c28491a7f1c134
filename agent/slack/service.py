"""Wire the Slack surface to the core (Interviewer, history) and run it over HTTP."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from agent.app import Services, ensure_home
from agent.assessment.model import Assessment
from agent.knowledge.registry import DEFAULT_FRAMEWORK
from agent.slack.bolt_app import SlackSurface, build_surface
from agent.slack.intake import InterviewerAPI, SaveFinal, SlackIntake
from agent.slack.people import ProfileDirectory
from agent.slack.poster import ThreadPoster
from agent.slack.server import SlackHTTPServer
from agent.slack.settings import SlackSettings
from agent.slack.store import slack_store

log = logging.getLogger(__name__)


def history_saver(services: Services) -> SaveFinal | None:
    """Save finished assessments in the history (origin ``slack``) once history exists."""
    try:
        from agent.history.store import history_store
    except ImportError:  # the history store is optional for this surface
        return None
    store = history_store(services)

    def save(assessment: Assessment, engagement: str | None) -> None:
        store.save(assessment, "slack", engagement=engagement)

    return save


def build_slack_surface(settings: SlackSettings, services: Services,
                        interviewer: InterviewerAPI, workers: int = 4) -> SlackSurface:
    store = slack_store(ensure_home(services.home))
    frameworks = sorted(services.registry.packs)
    default = DEFAULT_FRAMEWORK if DEFAULT_FRAMEWORK in frameworks else frameworks[0]
    save = history_saver(services)

    def intake_for(poster: ThreadPoster) -> SlackIntake:
        return SlackIntake(interviewer, store, ProfileDirectory(poster.client), poster,
                           default, save)

    try:
        return build_surface(settings, intake_for, store, frameworks, workers)
    except BaseException:
        store.close()
        raise


def serve(surface: SlackSurface, host: str, port: int,
          ready: Callable[[str], None] | None = None) -> None:
    """Answer Slack on ``host:port`` until interrupted, then finish the queued work."""
    try:
        server = SlackHTTPServer((host, port), surface.app)
    except BaseException:
        surface.close()
        raise
    surface.start_keeper()
    # Acknowledging an event is a few milliseconds of Python on the HTTP thread, while
    # interview turns compute on the workers; a shorter switch interval hands the HTTP
    # thread the interpreter sooner, so acknowledgements stay fast under load.
    sys.setswitchinterval(0.001)
    if ready is not None:
        ready(server.url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        if not surface.pool.wait_idle(0):
            log.info("finishing %d queued Slack jobs", surface.pool.pending())
        surface.close()
