"""Benchmarks of the add-in against the references a seller would reach for (``python -m tools.benchmarks.run``)."""
