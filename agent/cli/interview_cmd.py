"""``maturity interview``: the interview in the terminal app, or plain lines on stdin/stdout.

Plain mode (``--plain``, or whenever stdin or stdout is not a terminal) is for pipes and
screen readers: one answer per line on stdin, the agent's turns on stdout, everything
else (session id, progress, the resume hint, the summary) on stderr. When stdin is not a
terminal each answer is echoed after its question (``> the answer``) so the output reads
as a conversation. ``done`` shows where each dimension stands and asks "Finish the
interview now? (y/N)": the next line answers, and only ``y``/``yes`` (or the end of input,
so ``... done`` piped in still finishes) ends it. A finished interview (or one with
nothing left to ask) goes to the history, and its report is saved as JSON, Markdown and
HTML: the JSON exactly at ``--out``, the others beside it (default
``MATURITY_HOME/reports/<session>.*``). End of input before that leaves the session
resumable, and ``--out`` gets the report so far.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agent.errors import UserError

if TYPE_CHECKING:
    from agent.app import Services
    from agent.interview import AgentTurn, Interviewer, Stakeholder

COMMANDS_HELP = "commands: skip, back, why, status, done"
CONFIRM_FINISH = "Finish the interview now? (y/N)"


def interview(
    framework: Annotated[str | None, typer.Option("--framework", help="framework id")] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="one answer per line on stdin, questions on stdout")] = False,
    name: Annotated[str | None, typer.Option("--name", help="your name")] = None,
    role: Annotated[str | None, typer.Option("--role", help="your role, e.g. 'CTO'")] = None,
    resume: Annotated[str | None, typer.Option("--resume", help="continue this session id")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", help="write the assessment JSON here, and its Markdown and HTML reports "
        "beside it (FILE.md, FILE.html)")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="offline or llm")] = None,
    redact: Annotated[bool, typer.Option(
        "--redact", help="replace e-mail addresses and phone numbers in answers before "
        "they are read or stored")] = False,
    engagement: Annotated[str | None, typer.Option(
        "--engagement", help="the client engagement this interview belongs to (kept with "
        "the session: a resume needs not repeat it)")] = None,
    max_questions: Annotated[int | None, typer.Option(
        "--max-questions", min=0, help="questions per stakeholder, follow-ups included "
        "(default 20, chosen by scripts/bench_interview.py; 0: no limit)")] = None,
) -> None:
    """Interview a stakeholder: every dimension, evidence and follow-ups, a cited assessment."""
    from agent.app import build_services, configured_engine
    from agent.interview import Interviewer

    engine_name = configured_engine(engine)
    if engine_name == "llm":
        from agent.llm.settings import llm_configured

        if not llm_configured():
            raise UserError("the llm engine needs OPENAI_API_KEY or OPENAI_BASE_URL; set one, "
                            "or use --engine offline")
    if engagement is not None:
        from agent.history.store import check_engagement

        engagement = check_engagement(engagement)
    if out is not None and not out.parent.is_dir():
        raise UserError(f"{out}: folder {out.parent} does not exist; create it or choose "
                        "another --out path")
    services = build_services()
    with Interviewer(services, engine_name, redact=redact,
                     max_questions=max_questions) as interviewer:
        framework_id = _framework(services, interviewer, framework, resume)
        if resume is not None:
            engagement = _engagement_of(interviewer, resume, engagement)
        if plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
            _plain(services, interviewer, framework_id, name, role, resume, out, engagement)
        else:
            before = {s.id for s in interviewer.sessions()}
            _app(interviewer, framework_id, name, role, resume, out)
            if engagement is not None:  # the app saves without knowing it: tag its sessions
                touched = {s.id for s in interviewer.sessions()} - before
                touched |= {resume} if resume else set()
                _tag_sessions(services, interviewer, touched, engagement)


def _engagement_of(interviewer: Interviewer, session_id: str,
                   engagement: str | None) -> str | None:
    """The session's engagement: the one it was started with, or the one given now."""
    stored = interviewer.store.engagement(session_id)
    if engagement is not None and stored is not None and engagement != stored:
        raise UserError(f"session {session_id} belongs to engagement {stored!r}; drop "
                        "--engagement to resume it, or rename the engagement with "
                        "'maturity engagements rename'")
    return stored or engagement


def _tag_sessions(services: Services, interviewer: Interviewer, sessions: set[str],
                  engagement: str) -> None:
    from agent.history.store import history_store

    history = history_store(services)
    for session_id in sorted(sessions):
        if interviewer.store.exists(session_id):
            interviewer.store.set_engagement(session_id, engagement)
            history.tag_session(session_id, engagement)


def _framework(services: Services, interviewer: Interviewer, framework: str | None,
               resume: str | None) -> str:
    if resume is None:
        return services.registry.get(framework).id
    session_framework = interviewer.framework_of(resume)
    if framework and framework != session_framework:
        raise UserError(f"session {resume} assesses {session_framework}, not {framework}; "
                        "drop --framework to resume it")
    return session_framework


def _app(interviewer: Interviewer, framework: str, name: str | None, role: str | None,
         resume: str | None, out: Path | None) -> None:
    from agent.cli.surfaces import surface
    from agent.interview import Stakeholder

    run_app = surface("interview-app", "run `maturity interview --plain` instead")
    person = Stakeholder(name, role) if name and role else None
    run_app(interviewer, framework, person, session_id=resume, out=out)


# -- plain mode ------------------------------------------------------------------------


def _say(text: str) -> None:
    sys.stdout.write(text.rstrip("\n") + "\n")
    sys.stdout.flush()  # a program on the other end of a pipe waits for each line


def _note(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _read_line() -> str | None:
    line = sys.stdin.readline()
    if line == "":
        return None
    line = line.rstrip("\r\n")
    if not sys.stdin.isatty():  # a terminal shows what was typed; a pipe does not
        _say(f"> {line}")
    return line


def _ask_for(prompt: str) -> str:
    _say(prompt)
    value = _read_line()
    if value is None or not value.strip():
        raise UserError(f"no answer to {prompt!r}; pass --name and --role, or type them first")
    return value.strip()


def _person(interviewer: Interviewer, name: str | None, role: str | None,
            resume: str | None) -> Stakeholder:
    from agent.interview import Stakeholder

    if resume is not None:
        if name is None and role is None:
            current = interviewer.current_stakeholder(resume)
            if current is not None:
                return current
        known = {s.name: s.role for s in interviewer.stakeholders(resume)}
        if name is not None and role is None:
            role = known.get(name)
    name = name or _ask_for("What is your name?")
    role = role or _ask_for("What is your role (for example 'Head of Data' or 'CTO')?")
    return Stakeholder(name, role)


def _plain(services: Services, interviewer: Interviewer, framework: str, name: str | None,
           role: str | None, resume: str | None, out: Path | None,
           engagement: str | None = None) -> None:
    from agent.cli.output import progress_bar
    from agent.interview.loop import command_word

    person = _person(interviewer, name, role, resume)
    if interviewer.engine == "offline":
        with progress_bar("loading knowledge") as progress:
            interviewer.prepare(framework, progress)
    if resume is None:
        session_id, turn = interviewer.start(framework, person)
    else:
        session_id = resume
        current = interviewer.current_stakeholder(resume)
        turn = (interviewer.pending(resume) if current == person
                else interviewer.join(resume, person))
    if engagement is not None:
        interviewer.store.set_engagement(session_id, engagement)
    pack = services.registry.get(framework)
    _note(f"session {session_id} · {pack.name} · {person.name} ({person.role}) · "
          f"one answer per line; {COMMANDS_HELP}")
    while True:
        _say(_render(pack.dimensions, turn))
        if turn.finished:
            _finish(services, interviewer, session_id, out, engagement)
            return
        line = _read_line()
        if line is None:
            if out is not None:  # the report so far; history only keeps finished ones
                _write(interviewer.assessment(session_id), out)
            _note(f"input ended before 'done'; the session is saved. Resume with: "
                  f"maturity interview --resume {session_id}")
            return
        if command_word(line) == "done" and not _confirm_finish(interviewer, session_id):
            _say("Carrying on; the question stands.")
            continue
        if line.strip():
            turn = interviewer.answer(session_id, person, line)


def _confirm_finish(interviewer: Interviewer, session_id: str) -> bool:
    """Where each dimension stands, then whether to finish: only y/yes finishes, or the
    end of input (a script that ends with ``done`` means it)."""
    from agent.cli.output import standing_lines

    lines = standing_lines(interviewer.assessment(session_id))
    _say("Where each dimension stands now:\n" + "\n".join(f"  {line}" for line in lines))
    _say(interviewer.standing(session_id))
    _say(CONFIRM_FINISH)
    reply = _read_line()
    return reply is None or reply.strip().lower() in ("y", "yes")


def _render(dimensions: list[Dimension], turn: AgentTurn) -> str:
    names = {d.id: d.name for d in dimensions}
    if turn.kind in ("question", "follow_up", "skip", "back") and turn.dimension:
        return f"[{names.get(turn.dimension, turn.dimension)}] {' '.join(turn.text.split())}"
    return turn.text


def _finish(services: Services, interviewer: Interviewer, session_id: str,
            out: Path | None, engagement: str | None = None) -> None:
    """Save the finished assessment and its reports, once: a session finished earlier and
    unchanged since (resumed, then ``done`` again) keeps its history entry, and its
    reports are written again only to an ``--out`` asked for now."""
    from agent.history.store import history_store

    assessment = interviewer.assessment(session_id)
    history = history_store(services)
    earlier = history.session_entry(session_id)
    saved = history.save(assessment, "interview", engagement=engagement, session=session_id)
    if earlier is not None and saved == earlier.id:
        if engagement is not None:
            history.tag_session(session_id, engagement)
        if out is not None:
            _write(assessment, out)
        _note(f"session {session_id} finished earlier and nothing changed; it is in the "
              f"history as {saved} (maturity report {saved}, maturity review {saved})")
        return
    _write(assessment, out or services.home / "reports" / f"{session_id}.json")
    levels = ", ".join(f"{d.id} {d.level if d.level is not None else '-'}"
                       for d in assessment.dimensions)
    _note(f"session {session_id} saved (history {saved}) · levels: {levels}")


def _write(assessment: Assessment, json_path: Path) -> None:
    """The report as JSON at ``json_path`` (exactly), Markdown and HTML beside it."""
    from agent.cli.output import report_files, write_reports

    saved = write_reports(assessment, report_files(json_path))
    _note("assessment written to " + ", ".join(str(p) for p in saved.paths))
    for note in saved.notes:
        _note(note)


if TYPE_CHECKING:
    from agent.assessment.model import Assessment
    from agent.knowledge.schema import Dimension
