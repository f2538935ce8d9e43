"""tabledesk: turn report PDFs into clean, balanced spreadsheets."""

from tabledesk._version import __version__

__all__ = ["__version__"]
