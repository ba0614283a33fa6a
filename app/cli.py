"""`brscale`: serve the API, run a worker, migrate, import a CSV or workbook, play the demo."""

from __future__ import annotations

import asyncio
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from app.core.config import load_settings

cli = typer.Typer(
    add_completion=False, no_args_is_help=True, help="BR SCALE: AI lead reactivation."
)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the GraphQL API (and, without Redis, run jobs in-process)."""
    import uvicorn

    settings = load_settings()
    where = "PostgreSQL" if settings.is_postgres else f"SQLite in {settings.data_dir.resolve()}"
    typer.echo(f"BR SCALE on {where}; GraphQL at http://{host}:{port}/graphql", err=True)
    # uvicorn drains requests and runs the shutdown on SIGTERM, then re-raises the signal:
    # exit 0 then, as a clean stop should.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        "graphql_schema.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=20,
        # Live subscribers: per-message compression costs each socket its own zlib streams
        # (tens of KB) and every event a compression per subscriber, for JSON messages of a few
        # hundred bytes. A client's message is held to the HTTP body limit.
        ws_per_message_deflate=False,
        ws_max_size=settings.max_body_bytes,
    )


class Queue(StrEnum):
    ALL = "all"
    MAIN = "main"
    DELIVERIES = "deliveries"


@cli.command()
def worker(
    queue: Annotated[
        Queue,
        typer.Option(
            help="The queues to serve: conversations and every other job (main), message "
            "deliveries, or both."
        ),
    ] = Queue.ALL,
) -> None:
    """Run arq workers against REDIS_URL."""
    from workers.settings import QUEUES, serve

    asyncio.run(serve(list(QUEUES.values()) if queue is Queue.ALL else [QUEUES[queue.value]]))


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema (a deploy step before `serve` on PostgreSQL)."""
    from app.core.db import create_engine
    from app.core.db import migrate as run_migrations

    async def run() -> None:
        settings = load_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings.async_database_url)
        try:
            await run_migrations(engine)
        finally:
            await engine.dispose()

    asyncio.run(run())
    typer.echo("Database is up to date.")


@cli.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="The CSV or Excel (.xlsx) file to import.", exists=True)
    ],
    brokerage: Annotated[
        str | None, typer.Option(help="Brokerage id or name (default: the only one).")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Country of phones written without +code, e.g. MX.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help="The workbook's sheet (default: the first one).")
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check the whole file as the import would; keep nothing."),
    ] = False,
) -> None:
    """Import leads from a CSV or Excel file, with a progress bar and every rejected row
    explained."""
    from rich.console import Console

    from app.core.errors import BadUserInput
    from app.leads.models import ImportStatus

    console = Console(soft_wrap=True)
    try:
        record, rejected_rows, problems = asyncio.run(
            _import_file(console, file, brokerage, region, sheet, dry_run)
        )
    except BadUserInput as exc:
        console.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from None
    if record.dry_run:
        console.print("Dry run: nothing was imported.")
    console.print("Columns: " + ", ".join(f"{c} -> {f}" for c, f in record.mapping.items()))
    for column in record.unrecognized:
        hint = column["suggestion"]
        console.print(
            f'  not used: "{column["column"]}" (e.g. {", ".join(column["samples"]) or "empty"})'
            + (f"; map it with {hint['field']}? ({hint['reason']})" if hint else "")
        )
    for merge in record.merges:
        other = (
            f"line {merge['same_as_line']}"
            if merge["same_as_line"]
            else f"lead #{merge['lead_id']} {merge['lead_name'] or ''}".rstrip()
        )
        console.print(f"  line {merge['line']} merges with {other} ({merge['matched_on']})")
    verb = ("would be new", "would update") if record.dry_run else ("new leads", "updated")
    console.print(
        f"{record.total_rows} rows: {record.imported} {verb[0]}, {record.updated} {verb[1]}, "
        f"{record.unchanged} unchanged, {record.duplicates} duplicates, {rejected_rows} rejected"
    )
    first = sorted({e["line"] for e in problems if e["column"] is None})
    for line in first:
        reasons = "; ".join(e["message"] for e in problems if e["line"] == line)
        console.print(f"  line {line}: {reasons}")
    if rejected_rows > len(first):
        console.print(f"  ... and {rejected_rows - len(first)} more")
    if record.status is ImportStatus.FAILED:
        console.print(f"[red]Import failed: {record.failure}[/red]")
        raise typer.Exit(1)


async def _import_file(
    console: Any,
    file: Path,
    brokerage: str | None,
    region: str | None,
    sheet: str | None,
    dry_run: bool,
) -> tuple[Any, int, list[dict[str, Any]]]:
    """`brscale import`: the same import flow as the API's, with a progress bar."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from sqlalchemy import func, select

    from app.accounts.models import Brokerage
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.leads import importer, repository
    from app.leads.flows import start_import
    from app.leads.models import LeadImport

    options = importer.ImportOptions(default_region=region.upper() if region else None, sheet=sheet)
    settings = load_settings()
    async with open_runtime(settings) as runtime:
        async with runtime.session() as session:
            if brokerage is not None:
                wanted = (
                    Brokerage.id == int(brokerage)
                    if brokerage.isdigit()
                    else func.lower(Brokerage.name) == brokerage.strip().lower()
                )
                chosen = (await session.execute(select(Brokerage).where(wanted))).scalars().first()
                if chosen is None:
                    raise typer.BadParameter(
                        f"no brokerage {brokerage!r}", param_hint="--brokerage"
                    )
            else:
                every = list((await session.execute(select(Brokerage).limit(2))).scalars())
                if len(every) > 1:
                    raise typer.BadParameter(
                        "there are several brokerages; pick one with --brokerage"
                    )
                chosen = every[0] if every else Brokerage(name="My brokerage")
                if not every:
                    session.add(chosen)
                    await commit(session)

        def count_rows() -> int:
            try:
                with importer.read_any(file, options, settings.import_max_bytes) as table:
                    return sum(1 for _ in table.rows)
            except ValueError:  # the import itself says what is wrong with the file
                return 0

        total = await asyncio.to_thread(count_rows)
        started = time.monotonic()
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows  {task.fields[rate]} rows/s"),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            label = "Checking" if dry_run else "Importing"
            task = progress.add_task(f"{label} {file.name}", total=total or None, rate="-")

            def show(current: LeadImport) -> None:
                rate = current.total_rows / max(time.monotonic() - started, 1e-6)
                progress.update(task, completed=current.total_rows, rate=f"{rate:,.0f}")

            result = await start_import(
                runtime, chosen.id, file, file.name, options, dry_run=dry_run, on_progress=show
            )
            progress.update(task, completed=result.total_rows)
        await runtime.drain_jobs()
        async with runtime.session() as session:
            # How many rows were rejected, and every problem of the first ten of them.
            first = await repository.import_errors(session, result.id, rows_only=True, limit=10)
            lines = [error["line"] for error in first]
            return (
                result,
                await repository.rejected_row_count(session, result.id),
                await repository.import_errors(session, result.id, lines=lines),
            )


@cli.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt stored CRM credentials under the newest key of BRSCALE_SECRET_KEY."""
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.crm_sync.service import rotate_credentials

    async def run() -> int:
        async with open_runtime(load_settings()) as runtime, runtime.session() as session:
            count = await rotate_credentials(session, runtime.secrets)
            await commit(session)
            return count

    count = asyncio.run(run())
    typer.echo(
        f"{count} credentials re-encrypted; keys after the first in BRSCALE_SECRET_KEY can go."
    )


@cli.command("plan")
def plan(
    brokerage: Annotated[str, typer.Argument(help="The brokerage's id or exact name.")],
    plan: Annotated[str, typer.Argument(help="STANDALONE, CRM_ENHANCED or ENTERPRISE.")],
) -> None:
    """Set a brokerage's plan (an operator's command: there is no billing), and show its usage."""
    from app.core.db import utcnow
    from app.core.runtime import open_runtime
    from app.core.uow import commit
    from app.plans.rules import Plan
    from app.plans.service import set_plan, usage

    try:
        chosen = Plan(plan.upper())
    except ValueError:
        raise typer.BadParameter(f"choose one of {', '.join(p.value for p in Plan)}") from None

    async def run() -> str:
        async with open_runtime(load_settings()) as runtime, runtime.session() as session:
            row, before = await set_plan(session, brokerage, chosen)
            figures = await usage(session, row.id, utcnow())
            await commit(session)
            return (
                f"{row.name} (id {row.id}): {before} -> {chosen.value}. Now: "
                f"{figures.leads:,} leads, {figures.properties:,} active listings, "
                f"{figures.users:,} users, {figures.messages_this_month:,} messages this month."
            )

    try:
        typer.echo(asyncio.run(run()))
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


@cli.command("eval")
def eval_(
    split: Annotated[
        str, typer.Option(help="The corpus part to score: heldout (never trained on) or train.")
    ] = "heldout",
    errors: Annotated[bool, typer.Option(help="Also list the replies read wrong.")] = False,
) -> None:
    """How well lead replies are understood and answered, on the evaluation corpus: per intent,
    overall, act recall and opt-outs; facts stated that are not in the listing and promises
    without a task over every composed reply; first-SMS segments. Through the chat model too
    when OPENAI_API_KEY is set."""
    from app.conversations.corpus import examples, opt_in_examples
    from app.conversations.evaluation import (
        Reader,
        ReplyReport,
        check_replies,
        evaluate,
        first_text_segments,
        format_opt_ins,
        format_reply_report,
        format_report,
        format_segments,
        llm_reader,
        offline_reader,
        opt_in_figures,
    )
    from app.conversations.model import LLMConversationModel, OfflineModel, build_model

    if split not in ("heldout", "train"):
        raise typer.BadParameter("heldout or train", param_hint="--split")
    part = examples("heldout" if split == "heldout" else "train")
    langs = ", ".join(f"{lang} {n}" for lang, n in sorted(_count(e.lang for e in part).items()))
    typer.echo(f"corpus: {len(part)} replies in the {split} part ({langs})")
    offline_replies = asyncio.run(check_replies(part, OfflineModel()))
    readers: list[tuple[str, Reader, ReplyReport]] = [
        ("offline model (rules for opt-outs + classifier)", offline_reader, offline_replies)
    ]
    settings = load_settings()
    model = build_model(
        settings.openai_api_key, settings.openai_base_url, settings.openai_model, max_retries=2
    )
    if isinstance(model, LLMConversationModel):
        model.fallback_on_error = False  # a figure for the model, never the rules' in disguise
        model_replies = ReplyReport()
        readers.append(
            (f"chat model {settings.openai_model}", llm_reader(model, model_replies), model_replies)
        )
    for title, reader, replies in readers:
        report = asyncio.run(evaluate(part, reader))
        typer.echo("")
        typer.echo(format_report(report, title))
        typer.echo(format_reply_report(replies))
        if errors:
            for text, expected, got in report.errors:
                typer.echo(f"  {expected.value} read as {got.value}: {text!r}")
    typer.echo("")
    typer.echo(format_opt_ins(opt_in_figures(opt_in_examples(split), part)))
    typer.echo(format_segments(first_text_segments()))


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


@cli.command()
def demo() -> None:
    """Play the whole flow on sample data in the terminal (embedded default, fresh demo data)."""
    from rich.console import Console

    from app.demo.run import run_demo

    asyncio.run(run_demo(load_settings(), Console()))


def main() -> None:
    sys.exit(cli())


if __name__ == "__main__":
    main()
