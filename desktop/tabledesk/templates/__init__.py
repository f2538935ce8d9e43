"""Report templates as data: the template file format (TOML), the balance-rule language (a parser
to a syntax tree, never ``eval``) and the registry of built-in and user templates. May import
``core`` only."""
