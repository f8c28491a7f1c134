"""``maturity batch``: score every transcript in a folder, a few at a time.

One report per transcript plus a summary go to ``--out-dir``. A file that cannot be
scored is reported and skipped; the others are still scored. Exit 2 only when none
could be scored. Every file is written atomically, so an interrupted batch leaves
whole reports or none.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.output import check_format, progress_bar
from agent.errors import UserError

if TYPE_CHECKING:
    from agent.assessment.model import Assessment
    from agent.transcripts.model import Transcript

Assess = Callable[[list["Transcript"]], "Assessment"]

FORMATS = ("json", "md")


@dataclass
class FileResult:
    file: str
    status: str  # "scored" or "skipped"
    report: str | None = None
    levels: dict[str, int | None] | None = None
    error: str | None = None


def transcript_files(folder: Path, out_dir: Path) -> list[Path]:
    """The visible regular files directly inside ``folder``, sorted."""
    if not folder.is_dir():
        raise UserError(f"{folder}: not a folder; pass the folder that holds the transcripts")
    if out_dir.resolve() == folder.resolve():
        raise UserError("--out-dir must not be the transcript folder; choose another folder")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise UserError(f"{folder}: no transcript files in this folder")
    return files


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return " ".join(str(exc).split())
    from agent.logs import log_exception

    return f"internal error: {type(exc).__name__}: {exc}{log_exception(exc)}"


def batch(
    folder: Annotated[Path, typer.Argument(help="folder of transcript files")],
    out_dir: Annotated[Path, typer.Option("--out-dir", help="where reports and summary go")],
    framework: Annotated[str | None, typer.Option("--framework", help="framework id")] = None,
    engine: Annotated[str | None, typer.Option("--engine", help="offline or llm")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or md")] = "json",
    jobs: Annotated[int, typer.Option("--jobs", help="transcripts scored at once")] = 2,
    redact: Annotated[bool, typer.Option(
        "--redact", help="replace e-mail addresses and phone numbers before scoring")] = False,
    engagement: Annotated[str | None, typer.Option(
        "--engagement", help="the client engagement these assessments belong to")] = None,
) -> None:
    """Score every transcript in a folder: one report each, plus a summary."""
    from agent.app import build_services, configured_engine
    from agent.assessment.pipeline import assess
    from agent.engines.factory import make_engine
    from agent.history.store import check_engagement, history_store

    check_format(fmt, FORMATS)
    if engagement is not None:
        engagement = check_engagement(engagement)
    if jobs < 1:
        raise UserError(f"--jobs must be at least 1, not {jobs}")
    files = transcript_files(folder, out_dir)
    engine_name = configured_engine(engine)
    services = build_services()
    pack = services.registry.get(framework)
    _make_folder(out_dir)
    history = history_store(services)  # opened first: a broken history stops the batch early
    with progress_bar("indexing knowledge") as progress:
        proposer = make_engine(engine_name, services, progress)

    def assess_one(transcripts: list[Transcript]) -> Assessment:
        return assess(transcripts, pack, proposer, services.clock(), phrase_summary=True)

    def score_one(path: Path) -> FileResult:
        # Like `maturity score`, every assessment made also goes into the history.
        return _score_file(path, out_dir, fmt, redact, assess_one,
                           lambda a: history.save(a, "score", engagement=engagement))

    results = _run_all(files, score_one, jobs)
    dims = [d.id for d in pack.dimensions]
    summary = _write_summary(results, out_dir, fmt, pack.id, proposer.name, dims)
    for result in results:
        if result.status == "skipped":
            print(f"maturity: skipped {result.error}", file=sys.stderr)
    scored = sum(r.status == "scored" for r in results)
    if not scored:
        raise UserError(f"none of the {len(files)} files in {folder} could be scored; "
                        f"the reasons are above and in {summary}")
    print(f"scored {scored} of {len(files)} transcripts; reports and {summary.name} in {out_dir}")


def _make_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"{out_dir}: cannot create the folder ({reason}); "
                        "choose another --out-dir") from None


def _score_file(path: Path, out_dir: Path, fmt: str, redact: bool,
                assess: Assess, keep: Callable[[Assessment], object]) -> FileResult:
    from agent.knowledge.registry import write_atomic
    from agent.reports.render import render
    from agent.transcripts import read_transcript

    try:
        transcript = read_transcript(path)
        if redact:
            from agent.redact import redact_transcript

            transcript = redact_transcript(transcript)
        assessment = assess([transcript])
        report = out_dir / f"{path.name}.{fmt}"
        write_atomic(report, render(assessment, fmt).encode("utf-8"))
        keep(assessment)
    except Exception as exc:
        message = _one_line(exc)
        # Reader errors already name the file; say which file anything else is about.
        if not message.startswith(str(path)):
            message = f"{path}: {message}"
        return FileResult(file=str(path), status="skipped", error=message)
    levels = {d.id: d.level for d in assessment.dimensions}
    return FileResult(file=str(path), status="scored", report=str(report), levels=levels)


def _run_all(files: list[Path], score_one: Callable[[Path], FileResult],
             jobs: int) -> list[FileResult]:
    """Score ``files`` with at most ``jobs`` at once; results in the order of ``files``."""
    results: dict[Path, FileResult] = {}
    with progress_bar("scoring transcripts") as update, \
            ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="batch") as pool:
        update(0, len(files))
        futures: dict[Future[FileResult], Path] = {pool.submit(score_one, f): f for f in files}
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            update(done, len(files))
    return [results[f] for f in files]


def _write_summary(results: list[FileResult], out_dir: Path, fmt: str, framework: str,
                   engine: str, dims: list[str]) -> Path:
    from agent.knowledge.registry import write_text_file

    path = out_dir / f"summary.{fmt}"
    if fmt == "json":
        data = {"framework": framework, "engine": engine,
                "scored": sum(r.status == "scored" for r in results),
                "skipped": sum(r.status == "skipped" for r in results),
                "files": [asdict(r) for r in results]}
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _summary_markdown(results, framework, engine, dims)
    write_text_file(path, text, what="the summary",
                    fix="free some space or choose another --out-dir")
    return path


def _summary_markdown(results: list[FileResult], framework: str, engine: str,
                      dims: list[str]) -> str:
    lines = [f"# Batch summary: {framework} ({engine})", "",
             "| file | status | " + " | ".join(dims) + " |",
             "|---|---|" + "---|" * len(dims)]
    for r in results:
        levels = r.levels or {}
        cells = [str(levels.get(d) or "-") for d in dims]
        error = (r.error or "").replace("|", "\\|")  # a "|" would end the table cell
        status = "scored" if r.status == "scored" else f"skipped: {error}"
        lines.append(f"| {Path(r.file).name} | {status} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
