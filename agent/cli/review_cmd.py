"""``maturity review ID``: list an assessment's evidence with refs, or correct it.

Without change flags it lists, per dimension, the level (and the reviewer's, if set),
every evidence item with its ref, and the audit trail of past reviews. With
``--reject REF``, ``--accept REF`` or ``--set DIM=LEVEL --reason TEXT`` it applies the
changes to the newest revision and stores the result as the next revision
(``agent.history.reviews``). ``--export-gold DIR`` writes the reviewed assessment as an
eval case.

At a terminal, without change flags, ``--plain`` or ``--format``, it opens the review
screen of the terminal app instead of the listing: the ``review-app`` surface, reached
through its entry point (``agent.cli.surfaces``) as ``maturity interview`` reaches its
app, so the core never imports ``tui/``. The screen writes through the same
``apply_review``; without the surface installed the listing is printed as before.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.output import check_format, emit_json, write_output

if TYPE_CHECKING:
    from agent.app import Services
    from agent.assessment.model import Assessment
    from agent.history.gold import InterviewText
    from agent.history.reviews import ReviewResult
    from agent.history.store import AuditEntry, HistoryEntry


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return ""


def review(
    entry: Annotated[str, typer.Argument(help="history id (or a unique prefix, or 'latest')")],
    reject: Annotated[list[str] | None, typer.Option(
        "--reject", help="evidence ref to reject (the assessment is re-scored without it)")
    ] = None,
    accept: Annotated[list[str] | None, typer.Option(
        "--accept", help="evidence ref to mark as reviewed and kept")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="DIM=LEVEL: the reviewer's level for a dimension (needs --reason)")
    ] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="why (kept in the audit trail; needed for --reject and --set)")
    ] = None,
    reviewer: Annotated[str | None, typer.Option(
        "--reviewer", help="who reviews (default: the login name)")] = None,
    export_gold: Annotated[Path | None, typer.Option(
        "--export-gold", help="write the reviewed assessment as an eval case under "
        "DIR/cases and DIR/transcripts")] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help="json or md (the listing; default md)")] = None,
    plain: Annotated[bool, typer.Option(
        "--plain", help="print the listing even at a terminal (no review screen)")] = False,
) -> None:
    """Review a stored assessment: reject or accept evidence, set a level with a reason."""
    from agent.app import build_services
    from agent.history.reviews import ReviewRequest, apply_review
    from agent.history.store import history_store

    interactive = fmt is None and not plain and sys.stdin.isatty() and sys.stdout.isatty()
    fmt = check_format(fmt or "md", ("json", "md"))
    services = build_services()
    store = history_store(services)
    request = ReviewRequest(reject=reject or [], accept=accept or [], set=set_ or [],
                            reason=reason, by=reviewer or _default_reviewer())
    if not request.empty():
        base = store.newest_revision(entry)
        at = services.clock().isoformat(timespec="seconds")
        result = apply_review(store, services.registry.get(base.framework), base.id,
                              request, at)
        _show_result(result, fmt)
    if export_gold is not None:
        from agent.history.gold import export_gold as write_case

        path = write_case(store, entry, export_gold, _interview_text(services.home))
        print(f"gold case written to {path}")
    if request.empty() and export_gold is None:
        newest = store.newest_revision(entry)
        if interactive and _open_screen(services, newest.id, request.by):
            return
        _show_listing(newest, store.get(newest.id), store.audit(newest.id), fmt)


def _open_screen(services: Services, entry: str, by: str) -> bool:
    """The review screen on ``entry``; False when the app is not installed."""
    from agent.cli.surfaces import surface
    from agent.errors import UserError

    try:
        run_app = surface("review-app", "")
    except UserError:
        return False
    if not " ".join(by.split()):
        raise UserError("who is reviewing? pass --reviewer NAME")
    run_app(services, entry, by)
    return True


def _show_result(result: ReviewResult, fmt: str) -> None:
    if fmt == "json":
        emit_json({"id": result.revision, "revision_of": result.base.root,
                   "based_on": result.base.id, "levels": result.assessment.levels(),
                   "changes": [c.public() for c in result.changes]})
        return
    lines = [f"saved revision {result.revision} of {result.base.root} "
             f"(applied to {result.base.id}):"]
    for c in result.changes:
        lines.append(f"- {c.action} {c.target}: {_effect(c)} ({c.reason})")
    write_output("\n".join(lines), None)


def _effect(c: AuditEntry) -> str:
    d = c.detail
    if c.action == "set":
        return f"{c.target} level {d.get('was')} -> {d.get('level')}"
    where = d.get("dimension") or "?"
    moved = (f", {where} {d.get('was')} -> {d.get('level')}" if d.get("was") != d.get("level")
             else f", {where} stays {d.get('level')}")
    return f"“{_short(str(d.get('quote', '')))}”{moved}"


def _show_listing(entry: HistoryEntry, a: Assessment, audit: list[AuditEntry],
                  fmt: str) -> None:
    from agent.assessment.review import evidence_ref

    if fmt == "json":
        dims: list[dict[str, Any]] = [
            {"id": d.id, "level": d.level,
             "override": d.override.model_dump() if d.override else None,
             "evidence": [{"ref": evidence_ref(e), **e.model_dump()} for e in d.evidence]}
            for d in a.dimensions]
        emit_json({"id": entry.id, "revision": entry.revision, "revision_of": entry.revision_of,
                   "engagement": entry.engagement, "dimensions": dims,
                   "reviews": [c.public() for c in audit]})
        return
    title = f"# Review of {entry.root}"
    if entry.revision:
        title += f" (newest revision {entry.id}, revision {entry.revision})"
    out = [title, "", "Refs go to --reject REF or --accept REF; levels to --set DIM=LEVEL "
           "--reason TEXT.", ""]
    for d in a.dimensions:
        level = "—" if d.level is None else str(d.level)
        if d.override:
            level += (f" (set by reviewer {d.override.by}; the machine proposed "
                      f"{d.override.proposed if d.override.proposed is not None else '—'})")
        out += [f"## {d.id}: level {level}", ""]
        for e in d.evidence:
            mark = "+" if e.stance == "supports" else "-"
            seen = f" · accepted by {e.accepted_by}" if e.accepted_by else ""
            out.append(f"- `{evidence_ref(e)}` {mark} {e.strength} · {e.indicator_id or '—'} · "
                       f"{e.speaker or '?'} · {e.source}:{e.line}{seen}\n  “{e.quote}”")
        out.append("")
    if audit:
        out += ["## Past reviews", ""]
        out += [f"- {c.at} {c.by}: {c.action} {c.target}: {_effect(c)} ({c.reason}) "
                f"-> {c.revision}" for c in audit]
    write_output("\n".join(out), None)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _interview_text(home: Path) -> InterviewText:
    """Reads an interview session's answers as ``Name (Role): answer`` lines."""
    def read(session_id: str, roles: dict[str, str | None]) -> str | None:
        from agent.interview.store import existing_session_store

        store = existing_session_store(home)
        if store is None:
            return None
        try:
            if not store.exists(session_id):
                return None
            turns = store.conversation(session_id)
        finally:
            store.close()
        lines = [f"{_who(t.name, roles)}: {' '.join(t.text.split())}" for t in turns
                 if t.speaker == "person" and t.kind == "answer" and not t.withdrawn]
        return "\n".join(lines) + "\n"

    return read


def _who(name: str | None, roles: dict[str, str | None]) -> str:
    who = name or "Unknown"
    role = roles.get(who)
    return f"{who} ({role})" if role else who
