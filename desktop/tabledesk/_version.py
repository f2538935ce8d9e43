"""The version, as a constant: looking it up in the installed package's metadata
(``importlib.metadata``) scans ``sys.path`` and costs about 50 ms on every start of the command
line. tests/packaging/test_version.py keeps it equal to pyproject.toml's."""

__version__ = "0.1.0"
