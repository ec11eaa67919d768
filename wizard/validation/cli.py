"""Command-line tasks of this area; wizard/cli.py registers every command listed in `commands`."""
import click
from flask.cli import AppGroup

validation_cli = AppGroup("validation", help="The validators' workspace.")


@validation_cli.command("demo-queue")
def demo_queue() -> None:
    """Submit a handful of demo profiles for validators to work through (run `flask demo-data` first)."""
    from wizard.validation.demo_queue import create_demo_queue

    for line in create_demo_queue():
        click.echo(line)


commands: list = [validation_cli]
