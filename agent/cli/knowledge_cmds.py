"""``maturity frameworks ...`` and ``maturity knowledge ...``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.output import check_format, emit_json, progress_bar, write_output

frameworks_app = typer.Typer(help="The maturity frameworks available.", no_args_is_help=True)
knowledge_app = typer.Typer(help="Framework knowledge: list, search, add.",
                            no_args_is_help=True)

FormatOpt = Annotated[str, typer.Option("--format", help="json or table")]
FrameworkOpt = Annotated[str | None, typer.Option("--framework", help="framework id")]


@frameworks_app.command("list")
def frameworks_list(fmt: FormatOpt = "table") -> None:
    """List frameworks with their levels and dimensions."""
    from agent.app import build_services

    check_format(fmt, ("json", "table"))
    packs = build_services().registry.packs.values()
    data = [
        {
            "id": p.id,
            "name": p.name,
            "levels": [{"level": lv.level, "name": lv.name} for lv in p.levels],
            "dimensions": [{"id": d.id, "name": d.name} for d in p.dimensions],
        }
        for p in packs
    ]
    if fmt == "json":
        emit_json(data)
        return
    for p in packs:
        levels = ", ".join(f"{lv.level} {lv.name}" for lv in p.levels)
        dims = ", ".join(d.id for d in p.dimensions)
        typer.echo(f"{p.id}: {p.name}\n  levels: {levels}\n  dimensions: {dims}")


@knowledge_app.command("list")
def knowledge_list(framework: FrameworkOpt = None, fmt: FormatOpt = "table") -> None:
    """List every retrievable chunk."""
    from agent.app import build_services

    check_format(fmt, ("json", "table"))
    services = build_services()
    if framework:
        services.registry.get(framework)
    chunks = [c for c in services.registry.chunks() if framework in (None, c.framework)]
    if fmt == "json":
        emit_json([c.public() for c in chunks])
        return
    for c in chunks:
        typer.echo(f"{c.id}  [{c.kind}] {c.text[:90]}")


@knowledge_app.command("search")
def knowledge_search(
    query: Annotated[str, typer.Argument(help="what a stakeholder said, or any question")],
    framework: FrameworkOpt = None,
    k: Annotated[int, typer.Option("-k", help="how many results", min=1, max=100)] = 5,
    fmt: FormatOpt = "table",
) -> None:
    """Hybrid (dense + lexical) search over framework chunks."""
    from agent.app import build_services
    from agent.errors import UserError

    check_format(fmt, ("json", "table"))
    if not query.strip():
        raise UserError("the search query is empty; pass the words to search for")
    services = build_services()
    if framework:
        services.registry.get(framework)
    with progress_bar("indexing knowledge") as progress:
        hits = services.searcher(progress).search(query, framework, k)
    if fmt == "json":
        emit_json([h.public() for h in hits])
        return
    for h in hits:
        typer.echo(f"{h.score:.4f}  {h.chunk.id}\n        {h.chunk.text[:110]}")


@knowledge_app.command("add")
def knowledge_add(
    file: Annotated[Path, typer.Argument(help="a framework pack (YAML) in the pack schema")],
) -> None:
    """Validate a framework pack and add it to your knowledge index."""
    from agent.app import build_services, ensure_home
    from agent.knowledge.registry import add_user_pack
    from agent.paths import maturity_home

    home = ensure_home(maturity_home())
    pack = add_user_pack(file, home)
    services = build_services(home)
    with progress_bar("indexing knowledge") as progress:
        services.index(progress)
    n = sum(1 for c in services.registry.chunks() if c.framework == pack.id)
    typer.echo(f"added framework {pack.id!r} ({pack.name}): {n} chunks indexed")


@knowledge_app.command("eval")
def knowledge_eval(
    fmt: FormatOpt = "table",
    out: Annotated[Path | None, typer.Option("--out", help="write here")] = None,
) -> None:
    """Retrieval quality (recall@5, MRR) on the bundled query sets, per mode."""
    from agent.app import build_services
    from agent.evals.retrieval import evaluate_retrieval, retrieval_markdown

    check_format(fmt, ("json", "md", "table"))
    services = build_services()
    with progress_bar("indexing knowledge") as progress:
        searcher = services.searcher(progress)
    report = evaluate_retrieval(searcher)
    if fmt == "json":
        import json

        write_output(json.dumps(report, indent=2), out)
    else:
        write_output(retrieval_markdown(report), out)
