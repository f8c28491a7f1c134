"""Citations: the framework chunks a reader needs to check a dimension's level."""

from __future__ import annotations

from agent.assessment.model import Citation
from agent.assessment.rubric import DimensionScore
from agent.knowledge.schema import Dimension, FrameworkPack


def citations_for(pack: FrameworkPack, dim: Dimension, score: DimensionScore) -> list[Citation]:
    """The cell that defines the level reached, its met indicators, the next level's gaps."""
    out: list[Citation] = []
    fw = pack.id
    if score.level is not None:
        out.append(Citation(chunk_id=f"{fw}:{dim.id}.l{score.level}",
                            text=_cell_text(pack, dim, score.level),
                            why=f"defines level {score.level}"))
        for st in score.statuses:
            if st.level == score.level and st.status == "evidenced" and score.level > 1:
                out.append(Citation(chunk_id=f"{fw}:{st.id}", text=st.text,
                                    why="indicator evidenced"))
    next_level = 2 if score.level is None else score.level + 1
    if next_level <= pack.top_level:
        table = pack.indicators()
        for ind_id in score.missing:
            text = table[ind_id][2].text
            out.append(Citation(chunk_id=f"{fw}:{ind_id}", text=text,
                                why=f"not yet shown for level {next_level}"))
    return out


def _cell_text(pack: FrameworkPack, dim: Dimension, level: int) -> str:
    # Must equal the chunk text built in agent.knowledge.chunks for this cell.
    cell = dim.cells[level - 1]
    return f"{dim.name} at level {level} ({pack.level_name(level)}): {cell.summary}".strip()


def missing_texts(pack: FrameworkPack, score: DimensionScore) -> list[str]:
    table = pack.indicators()
    return [table[i][2].text for i in score.missing]
