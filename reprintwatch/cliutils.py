"""What every command group shares: settings from the root group, and errors as one line + exit code."""
from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .config import Settings
from .errors import ReprintwatchError


def handle_errors(func):
    """Turn library errors into a one-line message and the documented exit code (never a traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ReprintwatchError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper


def current_settings(store: Path | None = None) -> Settings:
    """The root group's :class:`Settings` (``Settings.load()`` outside the CLI), with ``store`` on top."""
    root = click.get_current_context().find_root().obj
    settings = root if isinstance(root, Settings) else Settings.load()
    return settings.replace(store=store) if store else settings
