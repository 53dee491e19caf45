"""Readers of official law texts, used to check a pack against the law it encodes."""
