"""The two ways loading can go wrong: one file (skipped, with a reason) or all of them."""


class CorpusError(ValueError):
    """The corpus cannot be loaded at all (missing path, nothing readable)."""


class Skip(Exception):
    """One file cannot be used; the message is the reason shown to the analyst."""
