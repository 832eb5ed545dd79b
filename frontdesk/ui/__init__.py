"""The Qt screens: the only package (with frontdesk.app) that imports PySide6."""
