"""Exceptions that carry a message meant for the user (the CLI prints them without a traceback)."""


class ReprintwatchError(Exception):
    """Base class: the message says what went wrong and, where it can, what to do."""

    exit_code = 1


class BadInput(ReprintwatchError):
    """An input (file, line, article, page) cannot be used. ``where`` names it (e.g. ``file.jsonl:12``)."""

    exit_code = 1

    def __init__(self, where: str, reason: str):
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class LicensedIndexError(ReprintwatchError):
    """The licensed index cannot be opened or used (missing, wrong parameters, backend down)."""

    exit_code = 3
