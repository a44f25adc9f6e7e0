"""`python -m tgtui` runs the command line."""

from tgtui.cli import main

raise SystemExit(main())
