"""Editing a review: the controller that turns user actions into core edits, and their undo commands."""
