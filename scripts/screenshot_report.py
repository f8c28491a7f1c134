"""Score the bundled example offline and save a screenshot of its HTML report (docs/report.png).

    uv run python scripts/screenshot_report.py [--out docs/report.png] [--height 2000]

Runs in a throwaway MATURITY_HOME, so it neither needs nor touches your data folder or
history; the first run builds the knowledge index there (about 15 s). Needs Chromium
(Debian: apt-get install chromium); the HTML is kept beside the PNG when --keep-html.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.app import build_services  # noqa: E402
from agent.assessment.pipeline import assess  # noqa: E402
from agent.engines.offline import OfflineEngine  # noqa: E402
from agent.reports.browser import find_chromium, screenshot  # noqa: E402
from agent.reports.render import render  # noqa: E402
from agent.transcripts import read_transcripts  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcript", type=Path,
                        default=ROOT / "examples" / "northwind-assessment.txt")
    parser.add_argument("--framework", default="enterprise-ai")
    parser.add_argument("--industry", default=None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000)
    parser.add_argument("--keep-html", action="store_true")
    args = parser.parse_args()
    if find_chromium() is None:
        print("no Chromium found: install it (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="maturity-shot-") as tmp:
        services = build_services(Path(tmp) / "home")
        transcripts = read_transcripts([args.transcript])
        assessment = assess(transcripts, services.registry.get(args.framework),
                            OfflineEngine(services.index()), services.clock(),
                            industry=args.industry)
        html = Path(tmp) / "report.html"
        html.write_text(render(assessment, "html"), encoding="utf-8")
        screenshot(html, args.out, args.width, args.height)
        if args.keep_html:
            args.out.with_suffix(".html").write_text(html.read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
