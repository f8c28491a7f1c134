"""``maturity engagements``: list, show (the pooled view), rename and delete engagements."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.output import check_format, emit_json, write_output
from agent.errors import UserError

if TYPE_CHECKING:
    from agent.history.engagements import EngagementSummary, EngagementView, FrameworkPool

engagements_app = typer.Typer(help="The client engagements in the history.",
                              no_args_is_help=True)


@engagements_app.command("list")
def list_engagements(
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
) -> None:
    """Every engagement: assessments, frameworks, people and roles, last activity.

    Teams ("Parent/Team") follow their parent. The JSON has one row per stored name (its
    own entries, with "parent" and "teams"); the table adds a rolled-up row per parent.
    """
    from agent.app import build_services
    from agent.history.engagements import rolled_up_summaries, summaries
    from agent.history.store import history_store

    check_format(fmt, ("json", "md"))
    store = history_store(build_services())
    if fmt == "json":
        emit_json([s.model_dump() for s in summaries(store)])
    else:
        write_output(_list_markdown(rolled_up_summaries(store)), None)


@engagements_app.command("show")
def show(
    name: Annotated[str, typer.Argument(
        help="engagement name; a parent ('Acme Bank') rolls up its teams ('Acme Bank/Retail')")],
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "md",
) -> None:
    """The engagement's assessments pooled per framework: levels, people, disagreements,
    and with teams under the name, each team's own levels beside the roll-up."""
    from agent.app import build_services
    from agent.history.engagements import engagement_view
    from agent.history.store import history_store

    check_format(fmt, ("json", "md"))
    services = build_services()
    view = engagement_view(history_store(services), name, services.registry.get)
    if fmt == "json":
        emit_json(view.model_dump(mode="json"))
    else:
        write_output(_view_markdown(view), None)


@engagements_app.command("rename")
def rename(
    old: Annotated[str, typer.Argument(help="current name")],
    new: Annotated[str, typer.Argument(help="new name")],
) -> None:
    """Rename an engagement (every assessment in it moves)."""
    from agent.app import build_services
    from agent.history.store import history_store

    moved = history_store(build_services()).rename_engagement(old, new)
    print(f"renamed {old!r} to {new!r}: {moved} history entr{'y' if moved == 1 else 'ies'}")


@engagements_app.command("delete")
def delete(
    name: Annotated[str, typer.Argument(help="engagement name")],
    yes: Annotated[bool, typer.Option("--yes", help="do not ask for confirmation")] = False,
) -> None:
    """Delete an engagement: its assessments, their review revisions and audit trail."""
    from agent.app import build_services
    from agent.history.store import history_store

    store = history_store(build_services())
    name = store.known_engagement(name)
    entries = store.list(engagement=name)
    if not yes:
        if not sys.stdin.isatty():
            raise UserError(f"deleting {name!r} needs confirmation and stdin is not a "
                            "terminal; pass --yes to delete without asking")
        originals = sum(e.revision_of is None for e in entries)
        if not typer.confirm(f"Delete engagement {name!r}: {originals} assessment(s) and "
                             f"{len(entries) - originals} review revision(s)?", default=False):
            print("nothing deleted")
            return
    gone = store.delete_engagement(name)
    print(f"deleted engagement {name!r}: {gone} history entr{'y' if gone == 1 else 'ies'}")


def _list_markdown(found: list[EngagementSummary]) -> str:
    if not found:
        return ("No engagements yet: pass --engagement NAME to `maturity score`, "
                "`interview` or `batch`.\n")
    out = ["| engagement | assessments | reviews | frameworks | people | roles | last activity |",
           "|---|---|---|---|---|---|---|"]
    for s in found:
        label = s.name + (f" (rolled up: {len(s.teams)} team{'s' * (len(s.teams) != 1)})"
                          if s.teams else "")
        out.append(f"| {'↳ ' if s.parent else ''}{label} | {s.assessments} | {s.revisions} "
                   f"| {', '.join(s.frameworks)} "
                   f"| {len(s.people)}: {', '.join(s.people)} | {', '.join(s.roles) or '—'} "
                   f"| {s.last_activity} |")
    return "\n".join(out) + "\n"


def _view_markdown(view: EngagementView) -> str:
    out = [f"# Engagement: {view.name}", ""]
    if view.teams:
        out += [f"Teams rolled up: {', '.join(view.teams)} (pooled as one meeting; "
                f"names: {', '.join(view.engagements)})", ""]
    for pool in view.frameworks:
        out += _pool_markdown(pool)
    return "\n".join(out) + "\n"


def _pool_markdown(pool: FrameworkPool) -> list[str]:
    view = pool.stakeholders
    people = [s.name + (f" ({s.role})" if s.role else "") for s in view.stakeholders]
    covered = [c.role for c in view.coverage if c.present]
    out = [f"## {pool.framework}: {len(pool.assessments)} assessment(s) pooled", "",
           f"Assessments: {', '.join(pool.assessments)}",
           f"People: {', '.join(people) or '—'}",
           f"Roles covered: {', '.join(covered) or '—'}"
           + (f"; missing: {', '.join(view.missing_roles)}" if view.missing_roles else ""), "",
           "| dimension | pooled level | " + " | ".join(s.name for s in view.stakeholders) + " |",
           "|---|---|" + "---|" * len(view.stakeholders)]
    for dim, level in pool.levels.items():
        own = [_level(s.levels.get(dim)) for s in view.stakeholders]
        out.append(f"| {dim} | {_level(level)} | " + " | ".join(own) + " |")
    out.append("")
    if pool.teams:
        out += _teams_markdown(pool)
    for entry, levels in pool.overrides.items():
        set_ = ", ".join(f"{d} {lv}" for d, lv in levels.items())
        out.append(f"Reviewer's levels in {entry}: {set_} (the pooled levels are the evidence's)")
    if pool.disagreements:
        out += ["", "Where people disagree across sessions:"]
        out += [f"- **{d.dimension}**: {d.message}" for d in pool.disagreements]
    out.append("")
    return out


def _teams_markdown(pool: FrameworkPool) -> list[str]:
    """Each team's own pooled levels, people and roles, under the roll-up's row."""
    dims = list(pool.levels)
    view = pool.stakeholders
    out = ["### Teams", "",
           "| team | assessments | " + " | ".join(dims) + " | people | roles covered |",
           "|---|---|" + "---|" * len(dims) + "---|---|"]

    def row(label: str, assessments: int, levels: dict[str, int | None], people: int,
            roles: list[str]) -> str:
        return (f"| {label} | {assessments} | "
                + " | ".join(_level(levels.get(d)) for d in dims)
                + f" | {people} | {', '.join(roles) or '—'} |")

    out.append(row("**all (roll-up)**", len(pool.assessments), pool.levels,
                   len(view.stakeholders), [c.role for c in view.coverage if c.present]))
    for t in pool.teams:
        out.append(row(t.team or "(no team)", len(t.assessments), t.levels, len(t.people),
                       t.roles_covered))
    return [*out, ""]


def _level(value: int | None) -> str:
    return "—" if value is None else str(value)
