"""Day close (日结) and the export package for the town (Qt-free)."""
