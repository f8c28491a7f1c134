"""The interview in a Slack thread: who is speaking, what they said, what the bot says next.

Every method here runs on a background worker, one job at a time per thread (see
``pool.py``), so a thread's state never changes under our feet. The interview itself
(questions, reading answers, the assessment) is the same ``Interviewer`` the terminal
uses; this module only maps Slack people and threads onto it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.interview import AgentTurn, Stakeholder
from agent.slack.blocks import scorecard_blocks, scorecard_text
from agent.slack.people import ProfileDirectory, best_fit, clean_role, unique_name
from agent.slack.poster import ThreadPoster
from agent.slack.store import Participant, SlackStore, ThreadKey, ThreadState
from agent.slack.text import escape, mention

log = logging.getLogger(__name__)

REPORT_WORDS = ("report", "scorecard")
#: Turns that carry a new question go to whoever fits it; follow-ups, explanations and
#: status replies go back to the person who spoke.
ROUTED_KINDS = ("question", "skip")
ASK_ROLE = ("what is your role (for example “Head of Data” or “ML engineer”)? "
            "I ask once, so I can send each question to the person best placed to answer it.")


class InterviewerAPI(Protocol):
    """The part of ``agent.interview.Interviewer`` the Slack surface uses."""

    def start(self, framework: str, stakeholder: Stakeholder,
              session_id: str | None = None) -> tuple[str, AgentTurn]: ...
    def answer(self, session_id: str, stakeholder: Stakeholder, text: str,
               delivery: str | None = None) -> AgentTurn: ...
    def pending(self, session_id: str) -> AgentTurn: ...
    def assessment(self, session_id: str) -> Assessment: ...


#: Saves a finished assessment with the engagement of its channel (None: none set).
SaveFinal = Callable[[Assessment, str | None], None]
ENGAGEMENT_COMMAND = "engagement"


@dataclass(frozen=True)
class StartRequest:
    framework: str | None  # None: the default framework
    error: str | None = None


def parse_start(words: str, frameworks: Sequence[str]) -> StartRequest:
    """Read ``start [framework]`` (or just a framework id, or anything) from a mention."""
    tokens = words.lower().replace(",", " ").split()
    for token in tokens:
        if token in frameworks:
            return StartRequest(token)
    if len(tokens) >= 2 and tokens[0] == "start":
        return StartRequest(None, f"I do not know the framework “{tokens[1]}”; "
                                  f"use one of: {', '.join(frameworks)}")
    return StartRequest(None)


class SlackIntake:
    def __init__(self, interviewer: InterviewerAPI, store: SlackStore,
                 directory: ProfileDirectory, poster: ThreadPoster,
                 default_framework: str, save_final: SaveFinal | None = None) -> None:
        self.interviewer = interviewer
        self.store = store
        self.directory = directory
        self.poster = poster
        self.default_framework = default_framework
        self.save_final = save_final

    # -- entry points (one job each) ----------------------------------------------------
    def start(self, key: ThreadKey, user: str, framework: str | None) -> None:
        """Bind ``key`` to a new interview started by ``user``."""
        framework = framework or self.default_framework
        profile = self.directory.profile(user)
        state: ThreadState = "open" if profile.title else "waiting_role"
        if not self.store.bind(key, framework, user, state):
            self.poster.say(key, f"{mention(user)} this thread already has an assessment; "
                                 "reply here to answer, or say `status` or `report`.")
            return
        person = Participant(user, profile.name, profile.title, None if profile.title else "")
        self.store.save_participant(key, person)
        if person.role:
            self._begin(key, person, framework)
        else:
            self.poster.say(key, f"{mention(user)} let's assess {escape(framework)}. First, "
                                 + ASK_ROLE)

    def set_engagement(self, key: ThreadKey, user: str, words: str) -> None:
        """``engagement NAME``: the channel's assessments belong to that client engagement
        (``maturity engagements list``); bare ``engagement`` says which it is."""
        from agent.history.store import check_engagement

        name = words.strip()[len(ENGAGEMENT_COMMAND):].strip()
        if not name:
            current = self.store.channel_engagement(key.team, key.channel)
            self.poster.say(key, f"{mention(user)} " + (
                f"assessments in this channel belong to the engagement “{escape(current)}”."
                if current else "this channel has no engagement yet; say "
                "`engagement Acme Bank 2026` to set one."))
            return
        try:
            name = check_engagement(name)
        except UserError as exc:
            self.poster.say(key, f"{mention(user)} {escape(str(exc))}")
            return
        self.store.set_channel_engagement(key.team, key.channel, name)
        self.poster.say(key, f"{mention(user)} assessments finished in this channel from now on "
                             f"belong to the engagement “{escape(name)}”.")

    def resume_start(self, key: ThreadKey, user: str) -> bool:
        """Carry on a start that a worker died in the middle of (the thread is bound):
        begin the interview, or post its opening again when it had begun. False when
        the starter still owes us their role (the start had finished asking for it)."""
        bound = self.store.thread(key)
        if bound is None:
            return False
        person = self.store.participant(key, user)
        if person is None:  # the worker died before saving the starter
            profile = self.directory.profile(user)
            person = Participant(user, profile.name, profile.title,
                                 None if profile.title else "")
            self.store.save_participant(key, person)
        if person.role is None:
            return False
        try:
            turn = self.interviewer.pending(key.session_id)
        except UserError:  # the interview never started: begin it now
            self._begin(key, person, bound.framework)
            return True
        self.store.set_state(key, "open")
        self.poster.say(key, _started(bound.framework))
        self._post_turn(key, turn, person)
        return True

    def reply(self, key: ThreadKey, user: str, text: str, addressed: bool,
              delivery: str | None = None) -> None:
        """A message in a bound thread: an answer, a command, or someone's role;
        ``delivery`` (the Slack event id) makes a redelivered answer count once."""
        bound = self.store.thread(key)
        if bound is None or not text:
            return
        if bound.state == "finished":
            if _is_report(text):
                self._post_scorecard(key, final=True)
            elif addressed:
                self.poster.say(key, f"{mention(user)} this assessment is finished; mention me "
                                     "in a new message to start another.")
            return
        person = self.store.participant(key, user) or self._newcomer(key, user)
        if person.role is None:
            self._take_role_or_ask(key, person, text, bound.framework)
            return
        if bound.state == "waiting_role":  # the starter never said their role; go ahead
            self._begin(key, person, bound.framework)
            return
        self._handle_text(key, person, text, delivery)

    # -- people ---------------------------------------------------------------------
    def _newcomer(self, key: ThreadKey, user: str) -> Participant:
        profile = self.directory.profile(user)
        name = unique_name(profile.name, user, self.store.participants(key))
        person = Participant(user, name, profile.title, None)
        self.store.save_participant(key, person)
        return person

    def _take_role_or_ask(self, key: ThreadKey, person: Participant, text: str,
                          framework: str) -> None:
        if person.held_answer is None:  # not asked yet: keep what they said, ask once
            self.store.save_participant(key, replace(person, held_answer=text))
            self.poster.say(key, f"{mention(person.user_id)} thanks, I'll note that. First, "
                                 + ASK_ROLE)
            return
        role = clean_role(text) or "stakeholder"
        held = person.held_answer
        person = replace(person, role=role, held_answer=None)
        self.store.save_participant(key, person)
        bound = self.store.thread(key)
        if bound is not None and bound.state == "waiting_role":
            self._begin(key, person, framework)
        elif held:
            self._handle_text(key, person, held)

    # -- the interview ----------------------------------------------------------------
    def _begin(self, key: ThreadKey, person: Participant, framework: str) -> None:
        _, turn = self.interviewer.start(framework, _stakeholder(person),
                                         session_id=key.session_id)
        self.store.set_state(key, "open")
        self.poster.say(key, _started(framework))
        self._post_turn(key, turn, person)

    def _handle_text(self, key: ThreadKey, person: Participant, text: str,
                     delivery: str | None = None) -> None:
        if _is_report(text):
            self._post_scorecard(key, final=False)
        else:
            self._answer(key, person, text, delivery)

    def _answer(self, key: ThreadKey, person: Participant, text: str,
                delivery: str | None = None) -> None:
        # No join(): in a thread anyone answers the open question, and answer() adds a
        # newcomer to the session; join() would first re-plan the question for them.
        turn = self.interviewer.answer(key.session_id, _stakeholder(person), text,
                                       delivery=delivery)
        self._post_turn(key, turn, person)
        if turn.finished:
            self._finish(key)

    def _post_turn(self, key: ThreadKey, turn: AgentTurn, speaker: Participant) -> None:
        target = speaker
        note = ""
        if turn.kind in ROUTED_KINDS and turn.for_roles:
            fit = best_fit(self.store.participants(key), turn.for_roles)
            if fit is not None:
                target = fit
            else:
                note = (f"\n_Best answered by someone in {', '.join(turn.for_roles)}; "
                        "anyone may reply._")
        self.poster.say(key, f"{mention(target.user_id)} {escape(turn.text)}{note}")

    def _finish(self, key: ThreadKey) -> None:
        # Saved before anything is posted: if Slack is down, the assessment is not lost.
        assessment = self.interviewer.assessment(key.session_id)
        if self.save_final is not None:
            self.save_final(assessment, self.store.channel_engagement(key.team, key.channel))
        self.store.set_state(key, "finished")
        self._post_scorecard(key, final=True, assessment=assessment)

    def _post_scorecard(self, key: ThreadKey, final: bool,
                        assessment: Assessment | None = None) -> None:
        from agent.reports.render import render

        assessment = assessment or self.interviewer.assessment(key.session_id)
        self.poster.say(key, scorecard_text(assessment, final),
                        blocks=scorecard_blocks(assessment, final))
        kind = "final" if final else "interim"
        self.poster.upload_report(
            key, render(assessment, "md"),
            filename=f"maturity-{assessment.framework}-{key.thread_ts}-{kind}.md",
            title=f"Maturity report ({kind}, {assessment.framework})")


def _started(framework: str) -> str:
    return (f"Assessment started ({escape(framework)}). Everyone in this thread can answer; "
            "say `why`, `skip`, `status`, `report` or `done` at any time.")


def _is_report(text: str) -> bool:
    return text.lower().strip(" .!?") in REPORT_WORDS


def _stakeholder(person: Participant) -> Stakeholder:
    return Stakeholder(name=person.name, role=person.role or "stakeholder")


def run_safely(poster: ThreadPoster, key: ThreadKey | None, job: Callable[[], None]) -> None:
    """Run a job; tell the thread what went wrong instead of going silent."""
    try:
        job()
    except UserError as exc:
        log.info("user error in %s: %s", key, exc)
        if key is not None:
            poster.say(key, f"Sorry: {escape(str(exc))}")
    except Exception:
        log.exception("Slack job for %s failed", key)
        if key is not None:
            poster.say(key, "Sorry, something went wrong on my side and it is logged; "
                            "please send that again in a minute.")
