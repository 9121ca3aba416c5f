"""Regenerate the bundled example exports, deterministically: ``python examples/make_samples.py``."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tools.samples import SAMPLE_TODAY, write_csv, write_xlsx  # noqa: E402

SEED = 7
US_ROWS = 400
TH_ROWS = 150
VN_ROWS = 150
ID_ROWS = 150


def main() -> None:
    """Write the US CSV (with and without the seller's EDD column), the Thai and Vietnamese XLSX, the Indonesian CSV."""
    for path in (
        write_csv(HERE / "sample_us_export.csv", US_ROWS, today=SAMPLE_TODAY, seed=SEED),
        write_csv(HERE / "sample_us_export_with_edd.csv", US_ROWS, today=SAMPLE_TODAY, seed=SEED, with_edd=True),
        write_xlsx(HERE / "sample_th_export.xlsx", TH_ROWS, today=SAMPLE_TODAY, market="TH", seed=SEED),
        write_xlsx(HERE / "sample_vn_export.xlsx", VN_ROWS, today=SAMPLE_TODAY, market="VN", seed=SEED),
        write_csv(HERE / "sample_id_export.csv", ID_ROWS, today=SAMPLE_TODAY, market="ID", seed=SEED),
    ):
        print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
