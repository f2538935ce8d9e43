"""tabledesk: turn report PDFs into clean, balanced spreadsheets."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tabledesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
