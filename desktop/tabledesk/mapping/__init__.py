"""Mapping, the second stage: placing what ``sources`` read onto a template — detect the template,
format, agency and year (``detect``), find each table's segments (``segments``), align printed
labels with the template's (``labels``, ``alignment``), rows printed as text lines
(``text_rows``), text and web copies read as a stream of labels and numbers (``text_tokens``,
``text_stream``), and tables no template knows, read as printed (``generic_tables``). The result
is a :class:`~tabledesk.core.document.Document`. May import ``core``, ``templates`` and
``sources``."""
