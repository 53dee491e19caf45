"""Readers of official list files, one module per format."""
