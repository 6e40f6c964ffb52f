"""The findings / evidence store: evidence, suspects, findings and the queries reports use — each test on both
engines (an SQLite file, a PostgreSQL schema on a real server: ``store_location`` in fixtures_pg.py)."""
import gzip
import hashlib
import sqlite3

import pytest

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.errors import BadInput
from reprintwatch.store import Store

from ingest_site import build_licensed_index, licensed_articles


try:
    from psycopg import IntegrityError as PgIntegrityError
except ImportError:  # the PostgreSQL half of each test skips (or fails in CI) without it
    PgIntegrityError = sqlite3.IntegrityError


@pytest.fixture
def store(store_location):
    with Store(store_location) as s:
        yield s


def kept_gzip(store, row) -> bytes:
    """The gzipped bytes kept for an evidence row: a file beside an SQLite store, a row in PostgreSQL."""
    if store.engine == "sqlite":
        return (store.path.parent / row["body_path"]).read_bytes()
    return bytes(store.conn.execute("SELECT gzip FROM evidence_bodies WHERE sha256=?", (row["sha256"],)).fetchone()[0])


def replace_gzip(store, row, data: bytes) -> None:
    """Someone edits the kept bytes behind the store's back."""
    if store.engine == "sqlite":
        (store.path.parent / row["body_path"]).write_bytes(data)
    else:
        store.conn.execute("UPDATE evidence_bodies SET gzip=? WHERE sha256=?", (data, row["sha256"]))


def test_evidence_is_gzipped_under_its_sha256_and_reads_back(store):
    body = "<html>证据页面</html>".encode("gbk")
    evidence_id = store.record_page("https://a.example/x", body, final_url="https://a.example/y", status=200,
                                    fetched_at="2026-11-27T10:00:00Z", content_type="text/html", headers={"etag": "e1"})
    row = store.evidence(evidence_id)
    digest = hashlib.sha256(body).hexdigest()
    assert row["sha256"] == digest and row["body_size"] == len(body)
    assert row["body_path"] == f"evidence/{digest[:2]}/{digest}.gz"
    assert gzip.decompress(kept_gzip(store, row)) == body
    assert store.evidence_bytes(evidence_id) == body
    assert (row["url"], row["final_url"], row["status"]) == ("https://a.example/x", "https://a.example/y", 200)
    # the same bytes again share one copy
    second = store.record_page("https://a.example/x", body)
    assert second != evidence_id and store.evidence(second)["body_path"] == row["body_path"]
    if store.engine == "postgresql":
        assert store.conn.execute("SELECT COUNT(*) FROM evidence_bodies").fetchone()[0] == 1


def test_tampered_evidence_is_detected(store):
    evidence_id = store.record_page("https://a.example/x", b"original bytes")
    replace_gzip(store, store.evidence(evidence_id), gzip.compress(b"changed bytes"))
    with pytest.raises(BadInput, match="SHA-256"):
        store.evidence_bytes(evidence_id)
    replace_gzip(store, store.evidence(evidence_id), b"not gzip at all")
    with pytest.raises(BadInput, match="cannot read evidence"):
        store.evidence_bytes(evidence_id)


def test_suspect_versions_are_unique_per_url(store):
    store.record_suspect(url="https://a.example/p", platform="web", content_hash="h1", version=1)
    store.record_suspect(url="https://a.example/p", platform="web", content_hash="h2", version=2)
    with pytest.raises((sqlite3.IntegrityError, PgIntegrityError)):
        store.record_suspect(url="https://a.example/p", platform="web", content_hash="h3", version=2)


def test_findings_from_real_matches_and_filters(store, tmp_path):
    index = SQLiteIndex(build_licensed_index(tmp_path / "licensed.db"))
    detector = Detector(index)
    library, rice = licensed_articles()
    suspect = Article(id="s", content=library["content"] + "\n喜欢就点个在看吧。")
    matches = detector.check(suspect).reprints
    assert matches and matches[0].licensed.id == "dh-0001"
    evidence_id = store.record_page("https://mp.example/s/1", b"<html></html>")
    sid = store.record_suspect(url="https://mp.example/s/1", platform="wechat", content_hash="h", version=1,
                               account="城事号", title="转载", evidence_id=evidence_id, source="watch")
    ids = store.record_findings(sid, matches, created_at="2026-11-20T12:00:00Z")
    assert len(ids) == 1
    # recording the same matches again does not double them
    assert store.record_findings(sid, matches, created_at="2026-11-20T12:00:00Z") == []
    sid2 = store.record_suspect(url="https://news.example/2", platform="web", content_hash="h", version=1)
    other = detector.check(Article(id="t", content=rice["content"])).reprints
    store.record_findings(sid2, [m.to_dict() for m in other], created_at="2026-11-22T08:00:00Z")

    rows = store.list_findings()
    assert [r["licensed_id"] for r in rows] == ["dh-0001", "xl-0002"]
    first = rows[0]
    assert first["licensed_outlet"] == "东湖晚报" and first["verdict"] == "full_reprint"
    assert first["licensed_published_at"] == library["published_at"]
    assert first["account"] == "城事号" and first["url"] == "https://mp.example/s/1"
    assert first["passages"] and {"suspect_start", "licensed_start"} <= set(first["passages"][0])
    assert [r["licensed_id"] for r in store.list_findings(since="2026-11-21")] == ["xl-0002"]
    assert [r["licensed_id"] for r in store.list_findings(until="2026-11-20")] == ["dh-0001"]
    assert [r["licensed_id"] for r in store.list_findings(outlet="西岭日报")] == ["xl-0002"]
    assert len(store.list_findings(verdict="full_reprint")) == 2
    assert store.list_findings(verdict="partial_reprint") == []
    assert store.get_finding(ids[0]).title == "转载"
    assert store.get_finding(99999) is None
    assert [r.finding_id for r in store.list_findings(ids=[ids[0], 99999])] == [ids[0]]
    assert store.list_findings(ids=[]) == []
    with pytest.raises(BadInput, match="--since"):
        store.list_findings(since="last tuesday")
    index.close()


def test_transaction_rolls_back_everything(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.record_page("https://a.example/z", b"bytes")
            store.record_suspect(url="https://a.example/z", platform="web", content_hash="h", version=1)
            raise RuntimeError("crash in the middle")
    assert store.counts()["evidence"] == 0 and store.counts()["suspects"] == 0
