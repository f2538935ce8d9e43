"""Background reading: opening a source and OCR of a scan, off the GUI thread, reporting by signals."""
