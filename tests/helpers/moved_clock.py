"""Running the real `frontdesk` command in a subprocess with its process clock moved.

A subprocess reads the machine's clock, which a test does not control. ``frontdesk_command``
gives the command line of ``python -m frontdesk ARGS`` run by the same entry point, with the
child's clock moved (by time-machine) to ``moment`` and ticking from there, so a test can say
which day the command sees (usually conftest's NOW, the day the test's data was made on).
"""

from __future__ import annotations

import datetime as dt
import sys

# Runs ``python -m frontdesk`` (frontdesk/__main__.py) inside a time-machine travel.
_LAUNCH = (
    "import datetime, runpy, sys, time_machine\n"
    "moment = datetime.datetime.fromisoformat(sys.argv[1])\n"
    "sys.argv = ['frontdesk', *sys.argv[2:]]\n"
    "with time_machine.travel(moment, tick=True):\n"
    "    runpy.run_module('frontdesk', run_name='__main__', alter_sys=True)\n"
)


def frontdesk_command(moment: dt.datetime, *args: str) -> list[str]:
    """``python -m frontdesk *args`` with the child's clock starting at ``moment`` (aware)."""
    if moment.tzinfo is None:
        raise ValueError("give the moment with its time zone")
    return [sys.executable, "-c", _LAUNCH, moment.isoformat(), *args]
