"""Defects a new user and hostile input found in the outer layers (issue 9): each test failed before."""
from __future__ import annotations

import os
import subprocess
import sys

from ingest_site import REPO


def test_jieba_cache_of_another_user_in_tmp_does_not_break_commands(tmp_path):
    shared_tmp = tmp_path / "tmp"
    (shared_tmp / "jieba.cache").mkdir(parents=True)  # stands for a cache file we may not replace
    env = {**os.environ, "TMPDIR": str(shared_tmp), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-c", "from reprintwatch.dedupe.segment import segment; "
                        "print('|'.join(segment('新华社消息')))"], cwd=REPO, env=env, capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "新华社|消息"
    assert "Traceback" not in r.stderr and "Error" not in r.stderr, r.stderr
    assert (tmp_path / "cache" / "reprintwatch" / "jieba.cache").is_file()


def test_candidate_ties_are_ordered_by_id_not_by_storage_order(tmp_path):
    from reprintwatch import Article, Detector, SQLiteIndex
    from reprintwatch.index.base import top_candidates

    names = {1: "b", 2: "z", 3: "a"}
    assert top_candidates({3: 5, 1: 5, 2: 7}, 2, lambda keys: {k: names[k] for k in keys}) == [("z", 7), ("a", 5)]
    text = "江南大桥今天正式通车。大桥全长三公里，连接南北两岸，市民步行即可过江。" * 3
    with SQLiteIndex(tmp_path / "i.db") as index:
        detector = Detector(index)
        detector.add([Article(id="zz-late-id", content=text)])  # stored first: the lower rowid
        detector.add([Article(id="aa-early-id", content=text)])
        from reprintwatch.dedupe.fingerprint import fingerprint

        keys = fingerprint(text, index.params).keys
        assert [i for i, _ in index.candidates(keys, 1)] == ["aa-early-id"]
