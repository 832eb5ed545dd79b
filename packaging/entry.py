"""The frozen program's entry point: the same `frontdesk` command line (bare: the GUI)."""

from frontdesk.cli import main

raise SystemExit(main())
