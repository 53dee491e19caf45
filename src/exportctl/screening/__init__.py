"""Restricted-party screening (core: pure). List file readers live in `screening.sources`."""
