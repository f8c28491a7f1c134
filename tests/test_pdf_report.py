"""``--format pdf``: the HTML report printed by a real headless Chromium, then looked at.

The PDF is rasterised with poppler's ``pdftoppm`` (``scripts/test.sh`` installs
poppler-utils with Chromium) and its text read with ``pdftotext``: the checks count the
pages, look at the pixels of each (not blank, the header band drawn) and find the
executive summary and whole dimension blocks in the text, page by page. The PDF and the
page images are kept as artefacts (``MATURITY_ARTIFACTS``) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.assessment.model import Assessment
from agent.reports.browser import find_chromium
from agent.reports.pdf import render_pdf
from agent.reports.summary import executive_summary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind-assessment.txt"
Cli = Callable[..., tuple[int, str, str]]
A4_RATIO = 297 / 210

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="no Chromium on PATH (Debian: apt-get install chromium)")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils missing (Debian: apt-get install poppler-utils)")


def read_ppm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (P6, 8 bits), as pdftoppm writes it."""
    data = path.read_bytes()
    fields = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields and fields.group(3) == b"255", data[:20]
    width, height = int(fields.group(1)), int(fields.group(2))
    pixels = data[fields.end():]
    assert len(pixels) == width * height * 3
    return width, height, pixels


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def folded(text: str) -> str:
    return " ".join(text.split())


@needs_chromium
@needs_poppler
def test_the_pdf_report_has_a4_pages_that_are_drawn_and_carry_the_summary(
        example_assessment: Assessment, artefacts: Path) -> None:
    pdf = artefacts / "northwind-report.pdf"
    pdf.write_bytes(render_pdf(example_assessment))
    for old in artefacts.glob("northwind-page-*.ppm"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "30", str(pdf), str(artefacts / "northwind-page")],
                   check=True, timeout=120)
    pages = sorted(artefacts.glob("northwind-page-*.ppm"))
    assert 4 <= len(pages) <= 30, len(pages)  # a real report, not one page or a runaway
    for number, page in enumerate(pages, 1):
        width, height, pixels = read_ppm(page)
        assert abs(height / width - A4_RATIO) < 0.01, (page.name, width, height)
        inked = sum(1 for i in range(0, len(pixels), 3 * 7) if sum(pixels[i:i + 3]) < 600)
        # The last page may hold only the end of the report (the two-line footer).
        assert inked > (10 if number == len(pages) else 150), f"{page.name} is (nearly) blank"
    width, _, first = read_ppm(pages[0])
    row = first[40 * width * 3:41 * width * 3]  # through the dark header band
    indigo = [i for i in range(0, len(row), 3) if sum(row[i:i + 3]) < 450
              and row[i + 2] > row[i] + 40]
    assert len(indigo) > width * 0.6  # the stylesheet's colours are printed, not dropped

    texts = page_texts(pdf)
    assert len(texts) == len(pages)
    first_page = folded(texts[0])
    assert "Executive summary" in first_page
    for point in executive_summary(example_assessment)[:2]:
        assert folded(point.text)[:60] in first_page, point
    assert first_page.index("Executive summary") < folded(" ".join(texts)).index("Profile")


@needs_chromium
@needs_poppler
def test_no_dimension_block_is_cut_across_pages(example_assessment: Assessment,
                                               artefacts: Path) -> None:
    pdf = artefacts / "northwind-blocks.pdf"
    pdf.write_bytes(render_pdf(example_assessment))
    texts = [folded(t) for t in page_texts(pdf)]
    blocks = 0
    for d in example_assessment.dimensions:
        header = re.compile(re.escape(d.name) + r".{0,30}?confidence " +
                            re.escape(f"{d.confidence:.2f}"))
        starts = [(n, m) for n, t in enumerate(texts) for m in header.finditer(t)]
        assert starts, d.id
        start, match = starts[-1]  # the evidence section comes after the profile
        tail = texts[start][match.start():]
        if d.citations:  # a block ends with its citations: on the page it starts on,
            # unless it is longer than a page, when it must at least start a fresh page.
            whole = d.citations[-1].chunk_id in tail
            assert whole or match.start() < 200, (d.id, start, match.start())
            blocks += whole
    assert blocks >= 4


@needs_chromium
def test_score_writes_a_pdf_atomically(cli: Cli, indexed_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    code, stdout, err = cli("score", str(EXAMPLE), "--format", "pdf", "--out", str(out))
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert stdout == ""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.pdf")] == []


def test_pdf_without_a_browser_exits_2_with_the_install_line(
        cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATURITY_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "report.pdf"
    code, _, err = cli("score", str(EXAMPLE), "--format", "pdf", "--out", str(out))
    assert code == 2 and err.count("\n") == 1
    assert "apt-get install chromium" in err
    assert not out.exists() and not (home / "history.sqlite").exists()


def test_pdf_needs_an_out_file(cli: Cli, home: Path) -> None:
    code, stdout, err = cli("score", str(EXAMPLE), "--format", "pdf")
    assert code == 2 and "--out" in err and stdout == ""


def test_a_browser_that_fails_leaves_the_previous_file_untouched(
        cli: Cli, indexed_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\necho 'crashed while printing' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("MATURITY_CHROMIUM", str(broken))
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF-1.4 the previous report %%EOF")
    code, _, err = cli("score", str(EXAMPLE), "--format", "pdf", "--out", str(out))
    assert code == 1 and "Chromium wrote no PDF" in err
    assert out.read_bytes() == b"%PDF-1.4 the previous report %%EOF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chromium", "home", "report.pdf"]


# -- maturity report ID --format pdf: a stored assessment printed again -----------------

def _stored(home: Path, assessment: Assessment) -> str:
    from agent.history.store import HistoryStore

    return HistoryStore(home / "history.sqlite").save(assessment, "score")


@needs_chromium
@needs_poppler
def test_report_from_the_history_prints_the_reviewed_revision_to_pdf(
        cli: Cli, home: Path, tmp_path: Path, example_assessment: Assessment) -> None:
    from agent.history.store import HistoryStore

    original = _stored(home, example_assessment)
    dim = example_assessment.dimensions[0]
    target = 1 if dim.level != 1 else 2
    code, _, err = cli("review", original, "--set", f"{dim.id}={target}", "--reason",
                       "board minutes seen", "--reviewer", "Ada")
    assert code == 0, err
    revision = HistoryStore(home / "history.sqlite").newest_revision(original).id
    assert revision != original
    out = tmp_path / "reviewed.pdf"
    code, stdout, err = cli("report", revision, "--format", "pdf", "--out", str(out))
    assert code == 0, err
    assert stdout == "" and out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".reviewed.pdf")] == []
    text = folded(" ".join(page_texts(out)))
    assert "Executive summary" in text
    assert f"Level set by reviewer: {target}, because board minutes seen" in text
    # The original stays printable as the machine proposed it.
    code, _, err = cli("report", original, "--format", "pdf", "--out", str(tmp_path / "o.pdf"))
    assert code == 0, err
    assert "Level set by reviewer" not in folded(" ".join(page_texts(tmp_path / "o.pdf")))


def test_report_pdf_needs_an_out_file_and_a_browser(
        cli: Cli, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        example_assessment: Assessment) -> None:
    entry = _stored(home, example_assessment)
    code, stdout, err = cli("report", entry, "--format", "pdf")
    assert code == 2 and err.count("\n") == 1 and "--out" in err and stdout == ""
    monkeypatch.setenv("MATURITY_CHROMIUM", str(tmp_path / "no-such-browser"))
    out = tmp_path / "report.pdf"
    code, stdout, err = cli("report", entry, "--format", "pdf", "--out", str(out))
    assert code == 2 and err.count("\n") == 1 and "apt-get install chromium" in err
    assert stdout == "" and not out.exists()
    code, _, err = cli("report", entry, "--format", "docx")
    assert code == 2 and "pdf" in err
