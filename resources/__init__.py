"""The program's data files (fonts, translations, icons) as the package frontdesk._resources.

This folder stays at the top of the repository; setup.py ships it inside the wheel as
``frontdesk/_resources``, and packaging/frontdesk.spec puts it at the same place in the bundle.
Read it only through frontdesk/core/resources.py (importlib.resources), never by a path.
"""

FRONTDESK_RESOURCES = True  # core/resources.py recognises a source checkout's folder by this
