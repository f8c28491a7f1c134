"""The live scorecard: one row per dimension with level, confidence and coverage."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from agent.assessment.model import Assessment, DimensionResult
from tui.messages import DimensionSelected

COLUMNS = (("dimension", "Dimension"), ("level", "Level"), ("confidence", "Conf."),
           ("coverage", "Coverage"))


@dataclass(frozen=True)
class ScoreRow:
    dimension_id: str
    dimension: str
    level: str
    confidence: str
    coverage: str


def coverage(result: DimensionResult) -> tuple[int, int]:
    """(evidenced, total) indicators: evidenced means a factual statement touched it.

    A half-supported or contradicted indicator counts as evidenced because the
    interview has heard about it; a bare claim does not, as it proves nothing.
    """
    evidenced = sum(1 for s in result.indicators if s.support > 0 or s.contradict > 0)
    return evidenced, len(result.indicators)


def score_rows(assessment: Assessment) -> list[ScoreRow]:
    rows = []
    for d in assessment.dimensions:
        level = "—" if d.level is None else f"{d.level} {d.level_name or ''}".strip()
        evidenced, total = coverage(d)
        rows.append(ScoreRow(d.id, d.name or d.id, level, f"{d.confidence:.2f}",
                             f"{evidenced}/{total}"))
    return rows


class Scorecard(DataTable[Text | str]):
    """Rows keyed by dimension id, updated in place so the selection survives a refresh."""

    def __init__(self) -> None:
        super().__init__(id="scorecard", cursor_type="row", zebra_stripes=True)
        self.asking: str | None = None  # dimension of the question now on screen

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def show(self, assessment: Assessment, asking: str | None) -> None:
        self.asking = asking
        for row in score_rows(assessment):
            name = Text(("▸ " if row.dimension_id == asking else "  ") + row.dimension)
            if row.dimension_id == asking:
                name.stylize("bold")
            cells: tuple[Text | str, ...] = (name, row.level, row.confidence, row.coverage)
            if row.dimension_id in self.rows:
                for (key, _), value in zip(COLUMNS, cells, strict=True):
                    self.update_cell(row.dimension_id, key, value, update_width=True)
            else:
                self.add_row(*cells, key=row.dimension_id)

    def selected_dimension(self) -> str | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(DimensionSelected(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(DimensionSelected(event.row_key.value, open_drawer=True))
