"""Turn a framework pack into retrievable chunks with stable ids.

A chunk id is ``<framework>:<item id>``. Items without an author-written id get a
derived one that is just as stable: ``level.<n>`` for a framework level,
``<dimension>.l<n>`` for a dimension's level description, ``<metric>.l<n>`` for a
metric band. ``text`` is what a reader sees and what citations quote; ``search_text``
adds keywords and context so retrieval matches how people talk about the item.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from agent.knowledge.schema import FrameworkPack

KINDS = (
    "level",
    "dimension",
    "indicator",
    "question",
    "roadmap",
    "upgrade",
    "benchmark",
    "mistake",
    "tooling",
    "checklist",
    "metric",
)


@dataclass(frozen=True)
class Chunk:
    id: str
    framework: str
    dimension: str | None
    level: int | None
    kind: str
    text: str
    search_text: str = field(default="", compare=False)
    item_id: str = ""

    @property
    def content_hash(self) -> str:
        payload = "\x1f".join(
            [self.id, self.framework, self.dimension or "", str(self.level or 0), self.kind,
             self.text, self.search_text]
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def public(self) -> dict[str, object]:
        """The contract's shape for ``knowledge list``."""
        return {
            "id": self.id,
            "framework": self.framework,
            "dimension": self.dimension,
            "level": self.level,
            "kind": self.kind,
            "text": self.text,
        }


def pack_chunks(pack: FrameworkPack) -> list[Chunk]:
    out: list[Chunk] = []
    fw = pack.id

    def add(item_id: str, kind: str, text: str, dimension: str | None = None,
            level: int | None = None, extra: Iterable[str] = ()) -> None:
        search = " ".join([text, *extra]).strip()
        out.append(Chunk(f"{fw}:{item_id}", fw, dimension, level, kind, text.strip(), search,
                         item_id))

    for lv in pack.levels:
        text = f"Level {lv.level} ({lv.name}): {lv.summary}"
        add(f"level.{lv.level}", "level", text, None, lv.level, lv.signs)
    for dim in pack.dimensions:
        add(dim.id, "dimension", f"{dim.name}: {dim.summary}", dim.id)
        for cell in dim.cells:
            name = pack.level_name(cell.level)
            add(f"{dim.id}.l{cell.level}", "level",
                f"{dim.name} at level {cell.level} ({name}): {cell.summary}", dim.id, cell.level)
            for ind in cell.indicators:
                add(ind.id, "indicator", ind.text, dim.id, cell.level, ind.keywords)
        for q in dim.questions:
            add(q.id, "question", q.text, dim.id, None, q.follow_ups)
    for t in pack.roadmap:
        for step in t.steps:
            dim_id = step.dimensions[0] if len(step.dimensions) == 1 else None
            add(step.id, "roadmap", f"{step.title}. {step.action}", dim_id, t.to_level)
    for up in pack.upgrades:
        add(up.id, "upgrade", up.text, None, up.to_level)
    for b in pack.benchmarks:
        text = (f"{b.industry}: typically level {b.typical_min}-{b.typical_max}, leading edge "
                f"level {b.leading_edge}; main constraint: {b.constraint}")
        add(b.id, "benchmark", text, b.strongest_dimension)
    for m in pack.mistakes:
        dim_id = m.dimensions[0] if len(m.dimensions) == 1 else None
        add(m.id, "mistake", f"{m.title}. {m.text}", dim_id, None, m.signals)
    for row in pack.tooling:
        add(row.id, "tooling", f"Level {row.level} {row.category}: {', '.join(row.examples)}",
            None, row.level)
    for item in pack.checklist:
        add(item.id, "checklist", item.text)
    for metric in pack.metrics:
        add(metric.id, "metric", f"{metric.name}: {metric.description}", None, None,
            metric.keywords)
        for band in metric.bands:
            add(f"{metric.id}.l{band.level}", "metric", f"{metric.name} at level {band.level}: "
                f"{band.text}", None, band.level, metric.keywords)
    return out


def corpus_digest(chunks: Iterable[Chunk], embedder_name: str) -> str:
    digest = hashlib.sha256(embedder_name.encode())
    for chunk in sorted(chunks, key=lambda c: c.id):
        digest.update(f"{chunk.id}={chunk.content_hash};".encode())
    return digest.hexdigest()
