"""The README's commands can be pasted into bash (issue 16): what a command line would make bash stumble on is
quoted, and every file under examples/ it names exists. (Running the tour itself takes minutes; it was run by
hand, see the report of issue 16.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(?:sh|bash)\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)


def command_lines() -> list[str]:
    """Every exportctl command of the README's shell blocks, without its comment, continuation lines joined."""
    joined = "\n".join(BLOCKS).replace("\\\n", " ")
    lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in joined.splitlines()]
    return [line for line in lines if line.startswith("exportctl ")]


def test_the_readme_has_its_tour() -> None:
    assert len(command_lines()) > 60


def test_no_command_has_an_unquoted_bash_metacharacter() -> None:
    # bash reads an unquoted ( ) as a subshell and fails with a syntax error: "7(19)" must be quoted.
    for line in command_lines():
        words = shlex.split(line.split(" | ")[0].split(" > ")[0], comments=False)
        bare = shlex.shlex(line, posix=True, punctuation_chars="();<>|&")
        bare.whitespace_split = True
        unquoted = [token for token in bare if token in {"(", ")", ";", "&"}]
        assert not unquoted, f"unquoted {unquoted} in: {line}"
        assert words[0] == "exportctl"


def test_the_example_files_it_names_exist() -> None:
    named = set(re.findall(r"examples/[\w./-]+\w", README))
    assert {"examples/korea-2019-order.yaml", "examples/parties.csv", "examples/items.csv"} <= named
    missing = sorted(path for path in named if not (ROOT / path).is_file())
    assert not missing, missing


def test_audit_replay_names_a_determination_of_the_demo() -> None:
    # The demo data set writes 7 user, 16 party, 12 item and 4 licence records before its 13 order
    # determinations (records 40-52, in a fresh data dir): the tour's replay must name one of them.
    replayed = [int(n) for n in re.findall(r"^exportctl audit replay (\d+)", README, flags=re.MULTILINE)]
    assert replayed and all(40 <= n <= 52 for n in replayed)


def test_tokens_and_passwords_are_documented() -> None:
    for text in ("users token", "users password", "Authorization: Bearer", "lists ls"):
        assert text in README
