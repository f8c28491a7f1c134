"""The PDF report: the HTML report printed by headless Chromium, as a client would print it.

A real browser engine does the layout, so the PDF is the HTML report page for page (the
stylesheet's ``@media print`` rules set A4 margins and keep cards, quotes and roadmap
steps whole). Chromium runs with the same throwaway profile and network switches as the
screenshot in ``browser.py``; the HTML it opens is a local file with nothing to fetch.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from agent.assessment.model import Assessment
from agent.errors import UserError
from agent.reports.browser import QUIET_FLAGS, find_chromium

INSTALL_HINT = ("no Chromium found to print the PDF; install it (Debian/Ubuntu: "
                "apt-get install chromium) or point MATURITY_CHROMIUM at a Chrome binary")
TIMEOUT_S = 120.0


def require_chromium() -> str:
    """The browser that will print, or a UserError saying how to install one.

    Called before any scoring, so a missing browser costs nothing and writes nothing.
    """
    binary = find_chromium()
    if binary is None:
        raise UserError(INSTALL_HINT)
    return binary


def html_to_pdf(html: str, binary: str | None = None, timeout_s: float = TIMEOUT_S) -> bytes:
    """Print ``html`` to PDF bytes (A4, no browser header or footer).

    Everything happens in a temporary folder; the caller writes the bytes atomically.
    Raises RuntimeError when Chromium fails or produces something that is not a PDF.
    """
    chromium = binary or require_chromium()
    with tempfile.TemporaryDirectory(prefix="maturity-pdf-") as work:
        folder = Path(work)
        page, pdf, profile = folder / "report.html", folder / "report.pdf", folder / "profile"
        page.write_text(html, encoding="utf-8")
        command = [chromium, *QUIET_FLAGS, f"--user-data-dir={profile}",
                   f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                                  check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Chromium did not finish printing the PDF within "
                               f"{timeout_s:g} s") from None
        data = pdf.read_bytes() if pdf.is_file() else b""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        tail = " ".join(done.stderr.strip().splitlines()[-2:])
        raise RuntimeError(f"Chromium wrote no PDF (exit {done.returncode}): {tail}")
    return data


def render_pdf(assessment: Assessment, binary: str | None = None,
               timeout_s: float = TIMEOUT_S) -> bytes:
    from agent.reports.html import render_html

    return html_to_pdf(render_html(assessment), binary, timeout_s)
