"""A command imports what it needs and no more (issue 14: a CLI that answers in a second): `exportctl screen` and
`exportctl check` do not import the web server, the database migrations or the spreadsheet reader; and every
command of the application is found by the command line's lazy loader."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer

from exportctl import cli

HEAVY = ("fastapi", "uvicorn", "alembic", "openpyxl", "pykakasi", "pypinyin")


def _loaded_modules(*arguments: str) -> set[str]:
    """The modules a real `exportctl ARGUMENTS` run imported (in a fresh interpreter), the screening index built
    before (by a first run: a build after a list update reads the list files, with their readers)."""
    subprocess.run([sys.executable, "-m", "exportctl.cli", *arguments], capture_output=True, check=False)
    program = (
        "import json, sys\n"
        f"sys.argv = ['exportctl', *{list(arguments)!r}]\n"
        "from exportctl.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES=' + json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("MODULES="))
    return set(json.loads(line.removeprefix("MODULES=")))


def test_screen_imports_no_server_database_or_spreadsheet_code() -> None:
    loaded = _loaded_modules("screen", "Korea Mining Development", "--format", "json")
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)
    assert "exportctl.cli.serve" not in loaded and "exportctl.cli.orders" not in loaded


def test_check_with_an_end_user_imports_no_server_or_database_code() -> None:
    loaded = _loaded_modules(
        "check", "--date", "2019-09-01", "--to", "KR", "--item", "1C350", "--end-user", "Air Koryo", "--format", "json"
    )
    assert not {m.split(".")[0] for m in loaded} & {"fastapi", "uvicorn", "alembic", "openpyxl"}


@pytest.mark.parametrize(
    ("arguments", "command"),
    [
        (["check", "--to", "KR"], "check"),
        (["--user", "screen", "orders", "list"], "orders"),  # the value of --user is no command
        (["--local-admin", "lists", "ls"], "lists"),
        (["--help"], None),
        ([], None),
    ],
)
def test_the_command_of_a_command_line(arguments: list[str], command: str | None) -> None:
    assert cli.command_of(arguments) == command


def test_every_command_is_mapped_to_the_module_that_defines_it() -> None:
    commands = typer.main.get_command(cli.app).commands  # type: ignore[attr-defined]
    assert set(commands) == set(cli.COMMAND_MODULES)
    for name, command in commands.items():
        subcommands = getattr(command, "commands", None)  # a group: the module of its commands
        for one in subcommands.values() if subcommands else [command]:
            function = getattr(one.callback, "__wrapped__", one.callback)  # Typer wraps the function it calls
            assert function.__module__ == f"exportctl.cli.{cli.COMMAND_MODULES[name]}", (name, one.name)


def test_a_command_line_loading_one_module_runs_the_command() -> None:
    arguments = ["regime", "show", "jp", "--date", "2019-09-01", "--format", "json"]
    result = subprocess.run([sys.executable, "-m", "exportctl.cli", *arguments], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["regime"] == "jp"
