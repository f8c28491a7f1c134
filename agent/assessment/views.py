"""The decision views added to a scored assessment: who thinks what, against whom, what next.

Each view reads the levels and evidence the rubric produced and changes none of them:
per-stakeholder and role levels with coverage, tracks, stated operational metrics,
an industry benchmark (on request), the crosswalk to the other frameworks, and the
pack's common mistakes where the evidence shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from agent.assessment.benchmarks import benchmark_view
from agent.assessment.crosswalk import crosswalk_view
from agent.assessment.ledger import Ledger
from agent.assessment.metrics import metric_warnings, read_metrics
from agent.assessment.mistakes import flag_mistakes
from agent.assessment.model import Assessment, Warning_
from agent.assessment.stakeholders import stakeholder_view
from agent.assessment.tracks import track_view
from agent.knowledge.loader import builtin_crosswalk, builtin_packs
from agent.knowledge.schema import Crosswalk, FrameworkPack
from agent.transcripts.model import Transcript


@lru_cache(maxsize=1)
def _crosswalk() -> Crosswalk:
    return builtin_crosswalk()


def add_views(assessment: Assessment, ledger: Ledger, transcripts: Sequence[Transcript],
              industry: str | None = None) -> None:
    """Fill the assessment's view fields in place and append the warnings they raise."""
    a = assessment
    pack = ledger.pack
    a.stakeholders = stakeholder_view(ledger, a.speakers, a.levels())
    a.tracks = track_view(pack, a.dimensions)
    a.metrics = read_metrics(pack, transcripts)
    packs = builtin_packs()
    a.crosswalk = crosswalk_view(pack, a.dimensions, _crosswalk(), packs)
    if industry:
        a.industry = industry
        a.benchmark = benchmark_view(pack, a.dimensions, industry, packs, _crosswalk())
    a.mistakes = flag_mistakes(pack, a.dimensions, transcripts, a.tracks)
    a.warnings += metric_warnings(a.metrics, a.levels())
    codes = {w.code for w in a.warnings}
    missing = a.stakeholders.missing_roles
    if missing and "single_perspective" not in codes:
        a.warnings.append(Warning_(code="missing_roles", message=(
            f"no {' or '.join(missing)} stakeholder spoke; the framework asks for engineering, "
            "product, data and an executive sponsor, so some dimensions rest on fewer views")))


def check_industry(pack: FrameworkPack, industry: str) -> None:
    """Raise the UserError ``add_views`` would, before any scoring is done."""
    benchmark_view(pack, [], industry, builtin_packs(), _crosswalk())
