"""Printed documents (ReportLab, no Qt): renderers take plain dataclasses and return PDF bytes.

- ``fonts``: Chinese fonts registered once per process, with a fallback for rare characters.
- ``styles``: paragraph styles, the header (centre name) and footer (page X of Y, time, operator).
- ``sheets``: A4 portrait/landscape tables (daily sheets, claims, rosters).
- ``receipts``: 80 mm / 58 mm receipts whose length fits the content.
- ``cards``: ID-1 resident cards with a QR code.
- ``models`` / ``service``: the archive of every printed document, and reprints (补打).
"""
