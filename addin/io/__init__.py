"""Reading the seller's files: order exports (CSV, xlsx) and policy files, into the core's values."""
