"""Reading sources and writing exports (no Qt)."""
