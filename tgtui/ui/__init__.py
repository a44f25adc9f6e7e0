"""The screens: the Textual app, its screens and widgets. Only the CLI imports this."""
