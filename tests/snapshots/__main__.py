"""``python -m tests.snapshots --update``: rewrite the JSON snapshots from the samples."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import SAMPLES, content, dump, load, path_of, refreshed_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.snapshots", description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the JSON files (else: say which differ)")
    args = parser.parse_args(argv)
    stale = []
    with tempfile.TemporaryDirectory() as folder:
        for name, sample in SAMPLES.items():
            doc = content(refreshed_sample(sample, Path(folder) / f"{name}.xlsx"))
            if args.update:
                dump(name, doc)
                sys.stdout.write(f"wrote {path_of(name)}: review it with git diff before committing\n")
            elif not path_of(name).is_file() or load(name) != doc:
                stale.append(name)
    for name in stale:
        sys.stdout.write(f"{path_of(name)} is out of date: python -m tests.snapshots --update\n")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
