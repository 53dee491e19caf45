"""The Japan pack: FEFTA security export controls as dated YAML, and the rules that are code (`rules.py`)."""
