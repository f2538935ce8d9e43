"""Autosave and crash recovery, and relinking a review whose source moved."""
