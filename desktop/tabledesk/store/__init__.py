"""What is kept between runs: review files (``*.tdreview``), autosave sessions and their locks,
the recovery store, the review queue, and the exact codec of a document. SQLite, one format.
May import everything below it down to ``review`` and ``exports``."""
