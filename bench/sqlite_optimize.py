"""`index optimize` on a SQLite index: candidate lookup CPU before and after, same candidates.

    .venv/bin/python bench/sqlite_optimize.py /var/tmp/rw-prof/100k.db /var/tmp/rw-prof/texts.pkl

The index is copied to a temporary directory first (never changed in place). ``TEXTS`` is a pickled list of
suspect texts (the session kit's are ``bench/speed.py``'s 1,060 scan texts). Each pass looks up every text's
band keys (``SQLiteIndex.candidates``, limit 50); the best of three passes' CPU time is reported, before and
after :meth:`SQLiteIndex.optimize`, with whether every candidate list stayed the same.
"""
from __future__ import annotations

import pickle
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reprintwatch.detector import Detector  # noqa: E402
from reprintwatch.index.sqlite import SQLiteIndex  # noqa: E402


def main(db: str, texts_path: str) -> int:
    texts = pickle.loads(Path(texts_path).read_bytes())
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        copy = Path(tmp) / "index.db"
        shutil.copy(db, copy)
        index = SQLiteIndex(copy, create=False)
        fps = [Detector(index).fingerprint(t) for t in texts]

        def timed():
            index.candidates(fps[0].keys, 50)  # loads the key table
            best, found = float("inf"), []
            for _ in range(3):
                t0 = time.process_time()
                found = [index.candidates(fp.keys, 50) for fp in fps]
                best = min(best, time.process_time() - t0)
            return found, 1000 * best / len(fps), [len(r) for r in index._search_table()]

        before, ms_before, searched_before = timed()
        done = index.optimize()
        after, ms_after, searched_after = timed()
        index.close()
    print(f"{db}: {done.before} key runs -> {done.after} in {done.seconds:.1f} s; runs searched "
          f"{searched_before} -> {searched_after}")
    print(f"candidates, CPU per check: {ms_before:.3f} -> {ms_after:.3f} ms ({ms_after / ms_before:.2f}x); "
          f"same candidates for all {len(fps)} texts: {before == after}")
    return 0 if before == after else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
