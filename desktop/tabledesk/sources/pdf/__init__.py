"""PDFs with a text layer: glyphs to text (``text``), table grids from ruling lines and alignment
(``tables``), and the whole document with its pages stitched (``extract``)."""
