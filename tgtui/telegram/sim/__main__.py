"""``python -m tgtui.telegram.sim serve``: see `tgtui.telegram.sim.wire.serve`."""

from __future__ import annotations

import sys

from tgtui.telegram.sim.wire.serve import main

if __name__ == "__main__":
    sys.exit(main())
