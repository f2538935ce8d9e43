"""The document model: no Qt, no I/O libraries, only the standard library."""
