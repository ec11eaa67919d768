"""Command-line tasks of this area; wizard/cli.py registers every command listed in `commands`."""
import click
from flask.cli import AppGroup

drafts_cli = AppGroup("drafts", help="Housekeeping of drafts.")


@drafts_cli.command("purge")
@click.option("--older-than", "days", type=click.IntRange(min=1), required=True, metavar="DAYS",
              help="Remove drafts not changed for this many days.")
def purge_drafts(days: int) -> None:
    """Remove abandoned drafts with their uploaded files, and stray files in the upload folder."""
    from wizard.services.uploads import purge_abandoned_drafts

    report = purge_abandoned_drafts(days)
    click.echo(f"Removed {report.drafts} draft(s) not changed for {days} day(s), {report.files} of their file(s), "
               f"and {report.stale_files} stray file(s).")


commands: list = [drafts_cli]
