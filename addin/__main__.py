"""``python -m addin`` is the ``autocancel`` command."""

import sys

from .cli import main

sys.exit(main())
