"""The repository's developer tools (template builder, sample generator, benchmarks): not shipped to sellers."""
