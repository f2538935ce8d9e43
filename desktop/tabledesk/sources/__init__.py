"""Reading, the first stage: a source file (PDF text layer in ``pdf/``, scans by OCR in ``scan/``,
plain text, HTML, web archives) into an :class:`~tabledesk.core.source.ExtractedSource` of raw
grids and prose lines with their place on the page. Knows nothing of templates. May import
``core`` only."""
