"""Command-line tasks of this area; wizard/cli.py registers every command listed in `commands`."""
commands: list = []
