"""``python -m reprintwatch.ingest ...``: the ingest and findings commands without the main CLI."""
from .cli import standalone

if __name__ == "__main__":
    standalone(prog_name="python -m reprintwatch.ingest")
