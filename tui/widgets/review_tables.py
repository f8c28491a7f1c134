"""What the review screen shows: rows of dimensions and of evidence, and their details.

Plain functions build the rows from a ``ReviewDraft`` (the stored revision and the
preview of the pending changes), so the tests can read them without a terminal; the two
tables only lay them out. Quotes are rich ``Text``, never markup: a transcript's square
brackets are words.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from agent.assessment.model import DimensionResult, Evidence
from agent.assessment.review import evidence_ref
from agent.history.store import AuditEntry
from tui.review_draft import ReviewDraft

DIMENSION_COLUMNS = (("dimension", "Dimension"), ("machine", "Machine"),
                     ("reviewer", "Reviewer"), ("level", "Level"), ("indicators", "Indicators"))
EVIDENCE_COLUMNS = (("ref", "Ref"), ("stance", "±"), ("speaker", "Speaker"),
                    ("status", "Status"), ("quote", "Quote"))
#: Row keys of items rejected in an earlier revision: shown, no longer reviewable.
PAST = "past:"
_STATE_MARK = {"evidenced": "✓", "contradicted": "✗", "inferred": "~", "not_discussed": "·"}
QUOTE_CHARS = 60


def _level(value: int | None) -> str:
    return "—" if value is None else str(value)


def _moved(before: int | None, after: int | None) -> str:
    return _level(after) if before == after else f"{_level(before)} → {_level(after)}"


def machine_level(d: DimensionResult) -> int | None:
    """The rubric's level, whatever a reviewer set."""
    return d.override.proposed if d.override else d.level


def indicator_counts(d: DimensionResult) -> str:
    count = {s: sum(i.status == s for i in d.indicators) for s in _STATE_MARK}
    return (f"{count['evidenced']}✓ {count['contradicted']}✗ {count['inferred']}~ "
            f"{count['not_discussed']}·")


def dimension_row(draft: ReviewDraft, dimension: str) -> tuple[str, ...]:
    before, after = draft.base.dimension(dimension), draft.preview.dimension(dimension)
    pending = draft.pending(dimension)
    if pending is not None:
        reviewer = f"{pending.level} pending"
    elif after.override is not None:
        reviewer = f"{after.override.level} ({after.override.by})"
    else:
        reviewer = "—"
    return (after.name or after.id, _moved(machine_level(before), machine_level(after)),
            reviewer, _moved(before.level, after.level), indicator_counts(after))


def status_of(draft: ReviewDraft, e: Evidence) -> str:
    pending = draft.pending(evidence_ref(e))
    if pending is not None:
        return f"{pending.action} pending"
    return f"accepted by {e.accepted_by}" if e.accepted_by else "proposed"


def past_rejections(audit: list[AuditEntry], dimension: str) -> list[AuditEntry]:
    """Items of ``dimension`` rejected in earlier revisions (gone from the evidence)."""
    return [c for c in audit if c.action == "reject" and c.detail.get("dimension") == dimension]


def evidence_rows(draft: ReviewDraft, audit: list[AuditEntry],
                  dimension: str) -> list[tuple[str, tuple[str | Text, ...]]]:
    """(row key, cells) for the dimension's items, then the ones rejected before."""
    rows: list[tuple[str, tuple[str | Text, ...]]] = []
    for e in draft.base.dimension(dimension).evidence:
        ref = evidence_ref(e)
        rows.append((ref, (ref, "+" if e.stance == "supports" else "−", e.speaker or "?",
                           status_of(draft, e), Text(_short(e.quote)))))
    for c in past_rejections(audit, dimension):
        rows.append((PAST + c.target, (c.target, "", str(c.detail.get("speaker") or "?"),
                                        f"rejected by {c.by}",
                                        Text(_short(str(c.detail.get("quote", ""))),
                                             style="dim strike"))))
    return rows


def evidence_detail(draft: ReviewDraft, audit: list[AuditEntry], key: str) -> Text:
    """Everything about one item: the whole quote, who, where, what it is credited to."""
    if key.startswith(PAST):
        change = next(c for c in audit if c.action == "reject" and PAST + c.target == key)
        d = change.detail
        text = Text(f"“{d.get('quote', '')}”\n", style="strike")
        text.append(f"{d.get('speaker') or '?'} · {d.get('source')}:{d.get('line')} · "
                    f"{d.get('indicator') or '—'}\n")
        text.append(f"rejected by {change.by} at {change.at}: {change.reason}", style="bold")
        return text
    item = next(e for d in draft.base.dimensions for e in d.evidence if evidence_ref(e) == key)
    who = f"{item.speaker or '?'}" + (f" ({item.role})" if item.role else "")
    text = Text(f"“{item.quote}”\n")
    text.append(f"{who} · {item.source}:{item.line} · {item.stance}, {item.strength} · "
                f"{item.indicator_id or '—'}\n")
    pending = draft.pending(key)
    status = status_of(draft, item)
    if pending is not None and pending.reason:
        status += f": {pending.reason}"
    text.append(status, style="bold")
    return text


def indicator_lines(d: DimensionResult) -> Text:
    """The dimension's indicators and their states, after the pending changes."""
    text = Text()
    for i in d.indicators:
        text.append(f"{_STATE_MARK.get(i.status, '?')} L{i.level} {i.id} ")
        text.append(f"{i.status.replace('_', ' ')}\n", style="dim")
    if d.override is not None:
        text.append(f"Level set by {d.override.by}: {d.override.level}, because "
                    f"{d.override.reason}", style="bold")
    return text


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_CHARS else flat[: QUOTE_CHARS - 1] + "…"


@dataclass
class _Keyed:
    """Rebuilding a table keeps the cursor on the same key, if it is still there."""

    table: DataTable[str | Text]

    def fill(self, rows: list[tuple[str, tuple[str | Text, ...]]]) -> None:
        table = self.table
        keep = self.selected()
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        keys = [key for key, _ in rows]
        if keep in keys:
            table.move_cursor(row=keys.index(keep))

    def selected(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


class DimensionTable(DataTable[str | Text]):
    def __init__(self) -> None:
        super().__init__(id="review-dims", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key, label in DIMENSION_COLUMNS:
            self.add_column(label, key=key)

    def show(self, draft: ReviewDraft) -> None:
        rows: list[tuple[str, tuple[str | Text, ...]]] = [
            (d.id, dimension_row(draft, d.id)) for d in draft.base.dimensions]
        _Keyed(self).fill(rows)

    def selected(self) -> str | None:
        return _Keyed(self).selected()


class EvidenceTable(DataTable[str | Text]):
    def __init__(self) -> None:
        super().__init__(id="review-evidence", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for key, label in EVIDENCE_COLUMNS:
            self.add_column(label, key=key)

    def show(self, rows: list[tuple[str, tuple[str | Text, ...]]]) -> None:
        _Keyed(self).fill(rows)

    def selected(self) -> str | None:
        return _Keyed(self).selected()
