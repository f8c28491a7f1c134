"""The HTML report of the bundled example, rendered in headless Chromium.

The screenshot is kept as a test artefact (``MATURITY_ARTIFACTS`` if set, else pytest's
tmp folder) so a person can look at what the test saw. The checks read the PNG itself:
its size, that it is not blank, that the stylesheet applied (the dark header band) and
that the charts drew in the accent colour.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from agent.assessment.model import Assessment
from agent.reports.browser import find_chromium, screenshot
from agent.reports.render import render

WIDTH, HEIGHT = 1280, 2000
ACCENT = (79, 70, 229)


def png_rows(data: bytes, max_rows: int) -> tuple[int, int, list[bytes]]:
    """Width, height and the first ``max_rows`` unfiltered rows of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 4 if colour == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(min(height, max_rows)):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prev[i], prev[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc
                                      else corner)) & 255
        rows.append(bytes(line[j] for j in range(stride) if j % channels < 3))
        prev = line
    return width, height, rows


def pixels(row: bytes) -> list[tuple[int, int, int]]:
    return [(row[i], row[i + 1], row[i + 2]) for i in range(0, len(row), 3)]


def test_the_example_report_renders_in_headless_chromium(example_assessment: Assessment,
                                                          artefacts: Path) -> None:
    if find_chromium() is None:
        pytest.skip("no Chromium binary on PATH (Debian: apt-get install chromium; "
                    "scripts/test.sh installs it when run as root)")
    html = artefacts / "northwind-report.html"
    html.write_text(render(example_assessment, "html"), encoding="utf-8")
    png = screenshot(html, artefacts / "northwind-report.png", WIDTH, HEIGHT)
    data = png.read_bytes()
    assert 40_000 < len(data) < 8_000_000  # a real page, not an empty canvas
    width, height, rows = png_rows(data, 700)
    assert (width, height) == (WIDTH, HEIGHT)
    header = pixels(rows[60])
    indigo = [p for p in header if sum(p) < 450 and p[2] > p[0] + 40]
    assert len(indigo) > WIDTH * 0.8  # the header band: the stylesheet applied
    body = [p for row in rows[300:700:4] for p in pixels(row)]
    assert len(set(body)) > 200  # text, charts and colours, not a flat page
    near_accent = [p for p in body if all(abs(a - b) < 40 for a, b in zip(p, ACCENT, strict=True))]
    assert len(near_accent) > 200  # the radar and the confidence bars drew
