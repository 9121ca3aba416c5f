"""Read a seller's policy file (TOML or JSON) into a Policy: the only I/O of the rules.

A file that is not a policy (binary, UTF-16, nested 100,000 deep, a JSON list, /dev/zero, huge)
gives one PolicyError line naming the file, never a traceback.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from ..core.rules import Policy, PolicyError, policy_from_mapping

#: A policy is a few rules; anything bigger is not one (and /dev/zero never ends).
MAX_BYTES = 1 << 20


def load_policy_file(path: Path) -> Policy:
    """A policy from TOML or JSON; PolicyError naming the file when it is not one.

    The keys: ``name = "..."``, ``[[rule]]`` / ``"rules": [...]``, and optionally ``[[extension]]``,
    ``[statuses]`` and ``[handling_time]``.
    """
    path = Path(path)
    kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy file ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise PolicyError(f"{path}: over {MAX_BYTES // 1024} KB, not a policy file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PolicyError(f"{path}: not a UTF-8 text file (save it as UTF-8)") from None
    if "\x00" in text:
        raise PolicyError(f"{path}: not a text file (it holds NUL bytes)")
    try:
        data = json.loads(text) if kind == "JSON" else tomllib.loads(text)
    except RecursionError:
        raise PolicyError(f"{path}: not valid {kind}: nested too deep") from None
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path}: not valid {kind}: {exc}") from None
    try:
        return policy_from_mapping(data, path.stem, str(path))
    except RecursionError:
        raise PolicyError(f"{path}: nested too deep") from None
    except PolicyError as exc:
        raise PolicyError(f"{path}: {exc}") from None
