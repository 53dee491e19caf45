"""Batch runs over many order lines or parties, on Dask: rows in and out, input streams, the executor."""
