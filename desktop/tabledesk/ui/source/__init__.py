"""The source beside the grids: PDF pages rendered off the GUI thread, text and web sources, and
the rectangle picker for reading a region again."""
