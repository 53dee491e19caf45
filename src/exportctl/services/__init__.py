"""Services compose the pure core with files, storage and the ledger."""
