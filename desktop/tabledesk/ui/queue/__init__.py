"""The review queue: a folder of reports read in the background, worst first."""
