"""Render an HTML report in headless Chromium and save a screenshot, to see it as people will.

Used by the report test and by ``scripts/screenshot_report.py`` (the README image). The
browser runs with a throwaway profile and everything that could reach the network
switched off; the report itself has no URL to fetch.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
QUIET_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def find_chromium() -> str | None:
    """``MATURITY_CHROMIUM`` if set, else the first Chromium or Chrome on PATH."""
    configured = os.environ.get("MATURITY_CHROMIUM")
    if configured:
        return shutil.which(configured) or (configured if Path(configured).is_file() else None)
    return next((path for name in BINARIES if (path := shutil.which(name))), None)


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 2000,
               binary: str | None = None, timeout_s: float = 120) -> Path:
    """Open ``html`` and save what the window shows as ``png``; raises RuntimeError if not."""
    chromium = binary or find_chromium()
    if chromium is None:
        raise RuntimeError("no Chromium found; install it (Debian: apt-get install chromium)")
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="maturity-chromium-") as profile:
        command = [chromium, *QUIET_FLAGS, f"--user-data-dir={profile}",
                   f"--screenshot={png.resolve()}", f"--window-size={width},{height}",
                   html.resolve().as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s,
                              check=False, stdin=subprocess.DEVNULL)
    if not png.is_file() or png.stat().st_size == 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"Chromium wrote no screenshot (exit {done.returncode}): {tail}")
    return png
