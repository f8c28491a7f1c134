"""Reports: the HTML is self-contained and well-formed, the CSV has a stable shape, the
Markdown carries the decision views."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from agent.assessment.model import Assessment, Evidence
from agent.errors import UserError
from agent.reports.csv import BASE_COLUMNS
from agent.reports.render import render

ROOT = Path(__file__).resolve().parents[1]
Cli = Callable[..., tuple[int, str, str]]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "poster", "data", "formaction",
                  "background", "cite", "manifest", "ping"}


class Structure(HTMLParser):
    """Checks nesting as it parses: every element closed, in order; records what it saw."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(k, v or "") for k, v in attrs]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(k, v or "") for k, v in attrs]

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    parser.close()
    assert parser.errors == [] and parser.stack == [], (parser.errors[:3], parser.stack)
    return parser


def assert_self_contained(html: str, page: Structure) -> None:
    external = [(k, v) for k, v in page.attributes
                if k in URL_ATTRIBUTES and not v.startswith("#")]
    assert external == []
    assert not re.search(r"url\s*\(", html, re.I) and "@import" not in html
    assert "script" not in page.tags and "iframe" not in page.tags and "link" not in page.tags
    assert not [v for _, v in page.attributes if re.search(r"https?://|//[a-z]", v, re.I)]


def test_html_of_the_example_is_self_contained_and_well_formed(
        example_assessment: Assessment) -> None:
    html = render(example_assessment, "html")
    assert html.startswith("<!DOCTYPE html>")
    page = parse(html)
    assert_self_contained(html, page)
    assert "http" not in html  # not even in the text: the example names no URL
    assert {"svg", "polygon", "table", "style"} <= set(page.tags)
    text = " ".join(page.text)
    for heading in ("Profile", "Where each stakeholder stands", "What to do next",
                    "Equivalent levels in other frameworks", "Evidence and citations"):
        assert heading in text
    assert "@media print" in html and "@page" in html
    for item in example_assessment.roadmap:
        assert item.chunk_id in text
    quoted = [e.quote for d in example_assessment.dimensions for e in d.evidence[:1]]
    assert quoted and all(q in text for q in quoted)


def test_quotes_cannot_inject_markup_or_urls(example_assessment: Assessment) -> None:
    hostile = ('<img src="http://evil.example/x.png"> see https://tracker.example/p?a=1 '
               '<style>@import url(http://x)</style>')
    a = example_assessment.model_copy(deep=True)
    first = a.dimensions[0]
    first.evidence.insert(0, Evidence(quote=hostile, source="x.txt", line=1, speaker="Eve",
                                      stance="supports", indicator_id=None, strength="specific"))
    html = render(a, "html")
    page = parse(html)
    assert_self_contained(html.replace(
        "&lt;style&gt;@import url(http://x)&lt;/style&gt;", ""), page)
    assert page.tags.count("img") == 0 and page.tags.count("style") == 1
    assert hostile in " ".join(page.text)


def test_csv_has_one_row_per_dimension_and_a_stable_header(
        example_assessment: Assessment) -> None:
    text = render(example_assessment, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)))
    people = [s.name for s in example_assessment.stakeholders.stakeholders]
    assert header == [*BASE_COLUMNS, *(f"stakeholder:{p}" for p in people)]
    assert [r["dimension"] for r in rows] == [d.id for d in example_assessment.dimensions]
    for row, d in zip(rows, example_assessment.dimensions, strict=True):
        assert row["level"] == ("" if d.level is None else str(d.level))
        assert float(row["confidence"]) == pytest.approx(d.confidence, abs=0.005)
        assert row["disagreement"] in ("yes", "no")
        if row["next_action_chunk"]:
            assert any(r.chunk_id == row["next_action_chunk"] and r.dimension == d.id
                       for r in example_assessment.roadmap)


def test_csv_has_track_columns_for_packs_with_tracks(example_assessment: Assessment) -> None:
    from agent.assessment.model import TrackResult, TrackView

    a = example_assessment.model_copy(update={"tracks": TrackView(tracks=[
        TrackResult(id="classical", name="Classical", levels={"data": 3}, evidenced=True),
        TrackResult(id="llm", name="LLM", levels={"data": 1}, evidenced=True)])})
    rows = list(csv.DictReader(io.StringIO(render(a, "csv"))))
    data = next(r for r in rows if r["dimension"] == "data")
    assert (data["track:classical"], data["track:llm"]) == ("3", "1")


def test_markdown_carries_the_decision_views(example_assessment: Assessment) -> None:
    md = render(example_assessment, "md")
    assert "## Where each stakeholder stands" in md and "| **Pooled** |" in md
    assert "Role coverage:" in md and "## Equivalent levels in other frameworks" in md
    for m in example_assessment.mistakes:
        assert m.chunk_id in md


def test_unknown_format_is_a_user_error(example_assessment: Assessment) -> None:
    with pytest.raises(UserError, match="csv"):
        render(example_assessment, "pdf")


def test_score_writes_html_with_an_industry_benchmark(cli: Cli, indexed_home: Path,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, err = cli("score", str(ROOT / "examples" / "northwind-assessment.txt"),
                       "--format", "html", "--industry", "financial services", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    assert_self_contained(html, page)
    assert "Against Financial Services" in " ".join(page.text)
    assert "typical range for Financial Services" in html


def test_unknown_industry_fails_before_scoring(cli: Cli, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, err = cli("score", str(ROOT / "examples" / "northwind-assessment.txt"),
                       "--industry", "astrology", "--out", str(out))
    assert code == 2 and "unknown industry" in err and err.count("\n") == 1
    assert not out.exists() and not (home / "history.sqlite").exists()


def test_track_and_metric_sections_render_well_formed(example_assessment: Assessment) -> None:
    from agent.assessment.metrics import read_metrics
    from agent.assessment.model import TrackResult, TrackView
    from agent.knowledge.loader import builtin_packs
    from agent.transcripts import read_transcripts

    mlops = next(p for p in builtin_packs() if p.id == "mlops-llmops")
    metrics = read_metrics(mlops, read_transcripts(
        [ROOT / "evals" / "transcripts" / "mlops-01-adtech.txt"]))
    dims = [d.id for d in example_assessment.dimensions]
    tracks = TrackView(summary="Classical ML leads.", gaps=dict.fromkeys(dims, 1), tracks=[
        TrackResult(id="classical", name="Classical ML", levels=dict.fromkeys(dims, 3),
                    evidenced=True),
        TrackResult(id="llm", name="LLM and agents", levels=dict.fromkeys(dims, 2),
                    evidenced=True)])
    a = example_assessment.model_copy(update={"metrics": metrics, "tracks": tracks})
    html = render(a, "html")
    page = parse(html)
    text = " ".join(page.text)
    assert "Classical ML and LLM tracks, scored separately" in text
    assert "Operational metrics stated in the meeting" in text
    assert all(m.chunk_id in text and m.value in text for m in metrics)
    assert page.tags.count("svg") == 2  # the radar and the track chart
    md = render(a, "md")
    assert "## Tracks" in md and "## Operational metrics stated" in md
