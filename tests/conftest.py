"""Shared fixtures. Elasticsearch fixtures live in fixtures_es.py."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

# the Elasticsearch (real node) and PostgreSQL (real server) fixtures are plugin modules beside this file
pytest_plugins = [name for name in ("fixtures_es", "fixtures_pg") if (Path(__file__).parent / f"{name}.py").exists()]

REPO = Path(__file__).resolve().parents[1]
SHARED_RAW = REPO.parent / "shared" / "data" / "raw"


def real_texts(n: int, seed: int) -> list[str]:
    """``n`` real article texts (Sina and Xinhua) from ../shared, sampled with ``seed``; skips the test when
    the research data is not beside the repository."""
    import glob
    import random

    paths = sorted(glob.glob(str(SHARED_RAW / "sina-news-2018" / "*.jsonl")))
    paths.append(str(SHARED_RAW / "xinhua-uhgeval-1000" / "xinhua_articles.jsonl"))
    texts = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                texts += [json.loads(line).get("text", "") for line in fh]
        except FileNotFoundError:
            continue
    if not texts:
        pytest.skip(f"{SHARED_RAW} not found (the shared research data sits beside the repository)")
    return random.Random(seed).sample(texts, min(n, len(texts)))


@pytest.fixture(scope="session")
def xinhua_articles():
    """Real Xinhua wire stories from ../shared (research-only; never copied into the repo)."""
    path = SHARED_RAW / "xinhua-uhgeval-1000" / "xinhua_articles.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found (the shared research data sits beside the repository)")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def server():
    """A real HTTP server on 127.0.0.1 serving the ingestion fixtures (see ingest_site.py)."""
    from ingest_site import make_server

    s = make_server()
    yield s
    s.stop()


@pytest.fixture
def site(server):
    from ingest_site import build_site

    server.clear()
    return build_site(server)
