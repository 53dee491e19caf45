"""Processes a test started, seen from /proc (Linux): whether one still runs, which children it has."""

from __future__ import annotations


def running(pid: int) -> bool:
    """Whether the process runs (an orphan is reaped by init; a zombie counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as listed:
        return [int(child) for child in listed.read().split()]
