"""CSV for spreadsheets: one row per dimension, the columns a reviewer filters and charts.

The base columns are always present, in this order, so a sheet built on one export keeps
working on the next; a ``track:<id>`` column per track and a ``stakeholder:<name>`` column
per stakeholder follow when the assessment has them.
"""

from __future__ import annotations

import csv
import io

from agent.assessment.model import Assessment, DimensionResult

BASE_COLUMNS = (
    "framework", "created", "engine", "dimension", "dimension_name", "level", "level_name",
    "confidence", "evidence", "claims", "next_level_missing", "respondents", "spread_std_dev",
    "disagreement", "benchmark_position", "next_action", "next_action_chunk",
)


def render_csv(a: Assessment) -> str:
    tracks = a.tracks.tracks if a.tracks else []
    people = a.stakeholders.stakeholders if a.stakeholders else []
    header = [*BASE_COLUMNS, *(f"track:{t.id}" for t in tracks),
              *(f"stakeholder:{p.name}" for p in people)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for d in a.dimensions:
        row = _base_row(a, d)
        row += [_cell(t.levels.get(d.id)) for t in tracks]
        row += [_cell(p.levels.get(d.id)) for p in people]
        writer.writerow(row)
    return buffer.getvalue()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _base_row(a: Assessment, d: DimensionResult) -> list[str]:
    spread = next((s for s in (a.stakeholders.spread if a.stakeholders else [])
                   if s.dimension == d.id), None)
    placement = next((p for p in (a.benchmark.placements if a.benchmark else [])
                      if p.dimension == d.id), None)
    action = next((r for r in a.roadmap if r.dimension == d.id), None)
    return [
        a.framework, a.created, a.engine, d.id, d.name, _cell(d.level), _cell(d.level_name),
        f"{d.confidence:.2f}", str(sum(e.strength != "claim" for e in d.evidence)),
        str(sum(e.strength == "claim" for e in d.evidence)), "; ".join(d.missing),
        _cell(spread.respondents if spread else None),
        _cell(spread.std_dev if spread else None),
        "yes" if any(x.dimension == d.id for x in a.disagreements) else "no",
        placement.position if placement else "",
        action.action if action else "", action.chunk_id if action else "",
    ]
