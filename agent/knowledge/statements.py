"""Labelled example statements per indicator: the offline reader's training data.

Each pack has files ``knowledge/statements/<pack>*.yaml``, written (in our own words)
by writers who saw the framework, never a transcript of the eval set nor any engine
output. Every indicator has statements that show it in place (``supports``), statements
that deny it or qualify it away (``contradicts``: "we have CI for pipelines but not for
models"), a bare claim or plan (``claim``), and near misses on the same topic that show
something else or nothing. Voices vary on purpose (terse, rambling, executive-speak,
non-native English, jargon) because transcripts do.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from agent.knowledge.schema import FrameworkPack
from agent.paths import knowledge_dir


class Statement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=3)
    supports: list[str] = []
    contradicts: list[str] = []
    #: A claim, hedge, plan or self-assessment: evidence of nothing.
    claim: bool = False
    voice: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Statement:
        if self.claim and (self.supports or self.contradicts):
            raise ValueError(f"{self.text!r}: a claim supports or contradicts nothing")
        if set(self.supports) & set(self.contradicts):
            raise ValueError(f"{self.text!r}: supported and contradicted at once")
        return self

    @property
    def indicators(self) -> list[str]:
        return [*self.supports, *self.contradicts]


class StatementSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pack: str
    writer: str
    statements: list[Statement]

    def unknown_ids(self, pack: FrameworkPack) -> list[str]:
        known = pack.indicators()
        return sorted({i for s in self.statements for i in s.indicators if i not in known})


def statements_dir() -> Path:
    return knowledge_dir() / "statements"


def load_statement_file(path: Path) -> StatementSet:
    return StatementSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def pack_statements(pack_id: str, folder: Path | None = None) -> list[Statement]:
    """Every example statement written for ``pack_id``, in file order."""
    folder = folder or statements_dir()
    out: list[Statement] = []
    for path in sorted(folder.glob("*.yaml")):
        data = load_statement_file(path)
        if data.pack == pack_id:
            out += data.statements
    return out
