"""`python -m screenshots [--out DIR] [NAME ...]`: regenerate the README's screenshots."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from screenshots.make import main

    sys.exit(main())
