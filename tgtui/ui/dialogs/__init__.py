"""Dialogs: small modal screens over the current screen, each with its own scoped CSS.

`base.Dialog` draws the box and the footer of the dialog's own keys; `confirm`, `remove`,
`edit` and `help` are the dialogs. Import the module you need (nothing is re-exported,
so opening the app does not load every dialog).
"""
