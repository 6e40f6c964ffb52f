"""SQLiteIndex.get serves records it read before while the file is unchanged, and never a stale one: a change
through this connection, a commit of another, or a reopened connection empties what it kept."""
import numpy as np

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.index import sqlite as sqlite_index

from texts import FLASH, METRO, RIVER


def articles():
    return [Article("metro", METRO, "地铁九号线开通", "江南日报"), Article("river", RIVER, "清溪河水质提升", "华夏通讯社"),
            Article("flash", FLASH, "台风蓝色预警", "东海晚报")]


def same_record(a, b) -> bool:
    return (a.article == b.article and a.story == b.story
            and all(np.array_equal(getattr(a.signature, f), getattr(b.signature, f))
                    for f in ("token_lens", "token_spans", "shingles", "token_hashes")))


def test_a_repeated_get_serves_the_records_read_before(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        Detector(idx).add(articles())
        first = idx.get(["river", "metro", "nope"])
        assert [r.article.id for r in first] == ["river", "metro"]
        again = idx.get(["metro", "flash", "river", "metro"])
        assert [r.article.id for r in again] == ["metro", "flash", "river", "metro"]
        assert again[0] is first[1] and again[2] is first[0]  # served from what was kept
        with SQLiteIndex(tmp_path / "licensed.db") as fresh:  # the same records as read afresh
            assert all(same_record(a, b) for a, b in zip(again, fresh.get(["metro", "flash", "river", "metro"])))


def test_a_change_through_this_connection_is_seen(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        detector = Detector(idx)
        detector.add(articles())
        assert idx.get(["metro"])[0].article.content == METRO
        detector.add([Article("metro", METRO + "本报记者另有补充。", "地铁九号线开通", "江南日报")])
        assert idx.get(["metro"])[0].article.content == METRO + "本报记者另有补充。"
        idx.delete(["river"])
        assert idx.get(["river"]) == []


def test_a_commit_of_another_connection_is_seen(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as reader:
        with SQLiteIndex(tmp_path / "licensed.db") as writer:
            Detector(writer).add(articles())
            assert reader.get(["flash"])[0].article.outlet == "东海晚报"
            Detector(writer).add([Article("flash", FLASH, "台风蓝色预警", "东海日报")])
            assert reader.get(["flash"])[0].article.outlet == "东海日报"
            writer.delete(["flash"])
            assert reader.get(["flash", "metro"])[0].article.id == "metro"


def test_the_records_kept_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite_index, "_CACHED_RECORDS", 2)
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        Detector(idx).add(articles())
        idx.get(["metro", "river", "flash"])
        assert list(idx._cache) == ["river", "flash"]  # the least recently used went first
        idx.get(["river"])
        assert list(idx._cache) == ["flash", "river"]
