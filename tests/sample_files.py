"""The small exports the workbook tests round-trip (import as ``from sample_files import SMALL_US``).

``SMALL_US`` / ``SMALL_US_EDD``: 40 rows of the US sample generator (the examples' 400 rows are for
the README and the benchmarks; a test that round-trips a workbook needs a few orders of each risk, not
400). Made by::

    python -c "from tools.samples import *; write_csv('tests/data/sample_us_export.csv', 40, today=SAMPLE_TODAY)"

(and ``..._with_edd.csv`` with ``with_edd=True``); the same file names as the examples, so the
Summary's "input" stamp reads the same.
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SMALL_US = DATA / "sample_us_export.csv"
SMALL_US_EDD = DATA / "sample_us_export_with_edd.csv"
