"""The regime packs shipped with exportctl: one folder per regime, its YAML and (optionally) its rules module."""
