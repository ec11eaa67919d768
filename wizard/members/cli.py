"""Command-line tasks of this area; wizard/cli.py registers every command listed in `commands`."""
import click
from flask import current_app
from flask.cli import AppGroup

drafts_cli = AppGroup("drafts", help="Housekeeping of drafts.")


@drafts_cli.command("purge")
@click.option("--older-than", "days", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="Remove anonymous drafts not changed for this many days [default: ANONYMOUS_DRAFT_DAYS].")
def purge_drafts(days: int | None) -> None:
    """Remove anonymous visitors' abandoned drafts with their uploaded files, and stray files in the upload
    folder. Drafts of accounts and submitted profiles are never removed."""
    from wizard.services.uploads import purge_abandoned_drafts

    if days is None:
        days = current_app.config["ANONYMOUS_DRAFT_DAYS"]
        if not isinstance(days, int) or days < 1:
            raise click.ClickException(f"ANONYMOUS_DRAFT_DAYS must be a whole number of days, at least 1: {days!r}")
    report = purge_abandoned_drafts(days)
    click.echo(f"Removed {report.drafts} anonymous draft(s) not changed for {days} day(s), "
               f"{report.files} of their file(s), and {report.stale_files} stray file(s).")


commands: list = [drafts_cli]
