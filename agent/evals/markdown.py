"""The eval report as a Markdown table (CLI output and the README's embedded tables)."""

from __future__ import annotations

from typing import Any


def eval_markdown(report: dict[str, Any]) -> str:
    lines = [f"Engine `{report['engine']}`, {report['cases']} cases.", "",
             "| group | n | exact | within-one | MAE | QWK | mean signed error | null P | null R |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, m in report["metrics"].items():
        lines.append(f"| {name} | {m['n']} | {m['exact']:.3f} | {m['within_one']:.3f} | "
                     f"{m['mae']:.3f} | {m['qwk']:.3f} | {m['mean_signed_error']:+.3f} | "
                     f"{m['null_precision']:.2f} | {m['null_recall']:.2f} |")
    adversarial = report.get("adversarial", {})
    lines += ["", f"Quote grounding rate {report['quote_grounding_rate']:.3f}; "
              f"citation validity {report.get('citation_validity', 1.0):.3f}; "
              f"{report['ungrounded_dropped']} ungrounded quotes dropped; "
              f"adversarial labels scored above gold: {adversarial.get('raised', 0)} of "
              f"{adversarial.get('labels', 0)}; per case {report['seconds_per_case']:.2f} s and "
              f"{report.get('tokens_per_case', 0):.0f} LLM tokens; "
              f"run cost ${report.get('cost_usd', 0.0):.4f}."]
    return "\n".join(lines) + "\n"
