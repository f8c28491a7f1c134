"""A reviewed assessment as a gold-labelled eval case (the ``evals/cases`` format).

Real corrections become regression cases: the case's gold level per dimension is the
level after review (the reviewer's where one was set, else the machine's level once the
rejected evidence is out), with a reason that says which. The transcripts go beside the
case, so ``DIR`` can be ``evals/`` itself, or any folder ``load_cases(DIR / "cases")``
reads, with paths relative to ``DIR`` as in ``evals/``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from agent.assessment.model import Assessment, DimensionResult
from agent.errors import UserError
from agent.evals.dataset import TAGS, EvalCase, GoldLabel
from agent.history.store import AuditEntry, HistoryStore
from agent.knowledge.registry import write_text_file

#: Reads an interview session's answers as a plain-text transcript (None if unknown),
#: given each person's role by name.
InterviewText = Callable[[str, dict[str, str | None]], str | None]
_FORMAT_TAGS = {"text": "format-text", "vtt": "format-vtt", "srt": "format-srt",
                "slack": "format-slack", "interview": "format-text"}


def export_gold(store: HistoryStore, entry: str, folder: Path,
                interview_text: InterviewText) -> Path:
    """Write ``folder/cases/<id>.yaml`` and its transcripts; returns the case file."""
    newest = store.newest_revision(entry)
    audit = store.audit(newest.id)
    if not audit:
        raise UserError(f"assessment {newest.root} has not been reviewed; review it first "
                        "(--accept, --reject or --set), then export it as gold")
    a = store.get(newest.id)
    case_id = f"review-{newest.root}"
    roles = {s.name: s.role for s in a.speakers}
    texts = [_transcript(s.source, n, case_id, lambda sid: interview_text(sid, roles))
             for n, s in enumerate(a.sources, start=1)]
    reviewers = sorted({c.by for c in audit})
    case = EvalCase(
        id=case_id, framework=a.framework,
        description=(f"Assessment {newest.root}"
                     + (f" of engagement {newest.engagement!r}" if newest.engagement else "")
                     + f", reviewed by {', '.join(reviewers)} (revision {newest.revision})."),
        transcripts=[rel for rel, _ in texts], tags=_tags(a),
        gold={d.id: _label(d, audit) for d in a.dimensions})
    for rel, text in texts:
        write_text_file(folder / rel, text, what="the transcript",
                        fix="choose another --export-gold folder")
    path = folder / "cases" / f"{case_id}.yaml"
    data = case.model_dump(mode="json", exclude={"strict_gold"})
    write_text_file(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100),
                    what="the gold case", fix="choose another --export-gold folder")
    return path


def _transcript(source: str, n: int, case_id: str,
                interview_text: Callable[[str], str | None]) -> tuple[str, str]:
    if source.startswith("interview:"):
        text = interview_text(source.split(":", 1)[1])
        if text is None:
            raise UserError(f"the interview session behind {source} is no longer in the "
                            "sessions database; a gold case needs its answers")
        return f"transcripts/{case_id}-{n}-interview.txt", text
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{source}: cannot read the transcript ({type(exc).__name__}); a gold "
                        "case needs it: restore the file and export again") from None
    return f"transcripts/{case_id}-{n}-{path.name}", text


def _tags(a: Assessment) -> list[str]:
    tags = {_FORMAT_TAGS.get(s.format, "format-text") for s in a.sources}
    people = [s for s in a.speakers if s.evidence_eligible]
    tags.add("multi-stakeholder" if len(people) > 1 else "single-stakeholder")
    if len(a.sources) > 1:
        tags.add("multi-file")
    return sorted(tags & TAGS)


def _label(d: DimensionResult, audit: list[AuditEntry]) -> GoldLabel:
    if d.override is not None:
        o = d.override
        return GoldLabel(level=o.level, reason=(f"set by reviewer {o.by}: {o.reason} "
                                                f"(the machine proposed {o.proposed})"))
    rejected = sum(c.action == "reject" and c.detail.get("dimension") == d.id for c in audit)
    accepted = sum(e.accepted_by is not None for e in d.evidence)
    basis = (f"{rejected} item(s) rejected, {accepted} accepted" if rejected or accepted
             else "no evidence changed")
    level = d.level if d.level is not None else "none (not enough evidence)"
    return GoldLabel(level=d.level,
                     reason=f"machine level {level} kept after review ({basis})")
