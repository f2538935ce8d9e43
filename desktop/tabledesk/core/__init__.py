"""The document model at the bottom of the pipeline: values, cells and tables, provenance (where a
number is printed), edits, decisions on failing checks (``decisions``: 原文如此) and change
events. Imports only the standard library — no Qt, no reader or writer libraries, nothing else
of tabledesk."""
