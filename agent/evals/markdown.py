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
    lines += pairs_markdown(report)
    lines += sentence_gold_markdown(report)
    return "\n".join(lines) + "\n"


def pairs_markdown(report: dict[str, Any]) -> list[str]:
    """Constructed executive-vs-practitioner disagreements flagged (agent.evals.pairs)."""
    pairs = report.get("disagreement_pairs")
    if not pairs:
        return []
    lines = ["", "Constructed disagreements (an executive asserts, a practitioner denies "
             "first-hand in other words) flagged as conflicts:", "",
             "| set | flagged | controls falsely flagged | missed |", "|---|---|---|---|"]
    for name, label in (("held_out", "held out"), ("dev", "dev")):
        m = pairs.get(name)
        if m:
            lines.append(f"| {label} (`{m['file']}`) | {m['flagged']} of {m['pairs']} | "
                         f"{m['false_flags']} of {m['controls']} | "
                         f"{_first(m['missed'])} |")
    return lines


def _first(ids: list[str], shown: int = 5) -> str:
    if not ids:
        return "none"
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def sentence_gold_markdown(report: dict[str, Any]) -> list[str]:
    """Evidence against the sentence gold, and the oracle reader, when the report has them."""
    evidence, oracle = report.get("evidence"), report.get("oracle")
    if not evidence or not oracle:
        return []
    lines = ["", "Cited evidence against the sentence gold (95% intervals, resampling cases):", "",
             "| part | cases | cited | precision | defensible | recall | off-gold lines |",
             "|---|---|---|---|---|---|---|"]
    for name, m in evidence.items():
        lines.append(f"| {name} | {m['cases']:.0f} | {m['cited']:.0f} | {m['precision']:.3f} "
                     f"[{m['precision_low']:.2f}, {m['precision_high']:.2f}] | "
                     f"{m['defensible']:.3f} | {m['recall']:.3f} "
                     f"[{m['recall_low']:.2f}, {m['recall_high']:.2f}] | {m['off_gold']:.0f} |")
    lines += ["", "Oracle reader (proposes exactly the sentence gold): level agreement and the "
              "share of gold evidence the checks keep:", "",
              "| path | part | n | exact | within-one | QWK | signed error | max error | kept |",
              "|---|---|---|---|---|---|---|---|---|"]
    for path, groups in oracle.items():
        for name, m in groups.items():
            lines.append(f"| {path} | {name} | {m['n']} | {m['exact']:.3f} | "
                         f"{m['within_one']:.3f} | {m['qwk']:.3f} | "
                         f"{m['mean_signed_error']:+.3f} | {m['max_error']} | {m['kept']:.3f} |")
    return lines
