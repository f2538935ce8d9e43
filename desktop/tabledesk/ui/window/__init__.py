"""The main window, the protocol its controllers see it through, settings, translations, About."""
