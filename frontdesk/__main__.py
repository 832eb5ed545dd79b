"""`python -m frontdesk` runs the command line (no arguments: the GUI)."""

from frontdesk.cli import main

raise SystemExit(main())
