"""``python -m reprintwatch.ingest ...``: the same command as ``reprintwatch`` (one root group, one set of
global options), e.g. ``python -m reprintwatch.ingest ingest run --sources sources.toml``."""
from ..cli import cli

if __name__ == "__main__":
    cli(prog_name="python -m reprintwatch.ingest")
