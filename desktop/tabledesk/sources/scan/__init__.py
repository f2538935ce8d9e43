"""Scanned pages read by OCR: the engine (``engine``), the page image set upright and straight
(``page``, ``orient``), table grids from the printed ruling lines (``grid``; tables ruled with
horizontal lines only in ``hline_tables``, their columns from white gutters in ``columns``),
cell text with its confidences (``cell_text``), the document (``extract``) and one region read
again (``region``)."""
