"""``python -m auth ...`` (see auth/cli.py)."""

import sys

from auth.cli import main

sys.exit(main())
