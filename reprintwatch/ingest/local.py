"""Local inputs: a directory of .html/.htm/.txt files, a JSONL file of articles, or WARC files (warcio).

Each yields :class:`LocalItem` records that the runner treats like fetched pages: raw bytes kept as
evidence, extracted (HTML), checked, recorded, with the same continuity rules (keyed by ``url``).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..articles import Article, read_jsonl
from ..errors import BadInput

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt",)
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass
class LocalItem:
    url: str  # an identifier: the page's URL (WARC), file:// URI, or the JSONL article's url / file#id
    body: bytes  # the bytes kept as evidence
    kind: str  # 'html' | 'text' | 'article' | 'bad'
    content_type: str = ""
    status: int | None = None
    fetched_at: str | None = None
    final_url: str = ""
    article: Article | None = None
    bad: BadInput | None = None
    title: str = ""


def iter_local(path: Path, max_bytes: int) -> Iterator[LocalItem]:
    path = Path(path)
    if not path.exists():
        raise BadInput(str(path), "no such file or directory")
    if path.is_dir():
        yield from _iter_directory(path, max_bytes)
    elif path.name.lower().endswith(WARC_SUFFIXES):
        yield from iter_warc(path, max_bytes)
    elif path.suffix.lower() == ".jsonl":
        yield from iter_jsonl(path, max_bytes)
    else:
        yield _file_item(path, max_bytes)


def _iter_directory(root: Path, max_bytes: int) -> Iterator[LocalItem]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            file = Path(dirpath) / name
            lower = name.lower()
            if lower.startswith("."):
                continue
            if lower.endswith(WARC_SUFFIXES):
                yield from iter_warc(file, max_bytes)
            elif lower.endswith(".jsonl"):
                yield from iter_jsonl(file, max_bytes)
            elif lower.endswith(HTML_SUFFIXES + TEXT_SUFFIXES):
                yield _file_item(file, max_bytes)


def _file_item(file: Path, max_bytes: int) -> LocalItem:
    url = file.resolve().as_uri()
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return LocalItem(url, b"", "bad", bad=BadInput(str(file), f"{size:,} bytes, over the limit of {max_bytes:,}"))
        body = file.read_bytes()
    except OSError as exc:
        return LocalItem(url, b"", "bad", bad=BadInput(str(file), f"cannot read: {exc.strerror or exc}"))
    mtime = _dt.datetime.fromtimestamp(file.stat().st_mtime, _dt.timezone.utc).replace(microsecond=0)
    kind = "html" if file.name.lower().endswith(HTML_SUFFIXES) else "text"
    return LocalItem(url, body, kind, content_type="text/html" if kind == "html" else "text/plain",
                     fetched_at=mtime.isoformat().replace("+00:00", "Z"), final_url=url, title=file.stem)


def iter_jsonl(file: Path, max_bytes: int) -> Iterator[LocalItem]:
    base = file.resolve().as_uri()
    for item in read_jsonl(file, max_bytes=max_bytes):
        if isinstance(item, BadInput):
            yield LocalItem(f"{base}#{item.where.rsplit(':', 1)[-1]}", b"", "bad", bad=item)
            continue
        url = item.url or f"{base}#{item.id}"
        body = json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        yield LocalItem(url, body, "article", content_type="application/json", final_url=url, article=item)


def iter_warc(file: Path, max_bytes: int) -> Iterator[LocalItem]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        stream = open(file, "rb")
    except OSError as exc:
        yield LocalItem(file.resolve().as_uri(), b"", "bad", bad=BadInput(str(file), f"cannot read: {exc.strerror or exc}"))
        return
    with stream:
        try:
            for number, record in enumerate(ArchiveIterator(stream), 1):
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{file}: record {number} ({url or 'no URI'})"
                http = record.http_headers
                if http is None:
                    continue
                content_type = http.get_header("Content-Type") or ""
                if "html" not in content_type.lower() and "text/plain" not in content_type.lower():
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield LocalItem(url, b"", "bad", bad=BadInput(where, f"payload over the limit of {max_bytes:,} bytes"))
                    continue
                try:
                    status = int((http.get_statuscode() or "0"))
                except ValueError:
                    status = None
                kind = "html" if "html" in content_type.lower() else "text"
                date = record.rec_headers.get_header("WARC-Date")
                yield LocalItem(url, body, kind, content_type=content_type, status=status, fetched_at=date, final_url=url)
        except ArchiveLoadFailed as exc:
            yield LocalItem(file.resolve().as_uri(), b"", "bad", bad=BadInput(str(file), f"not a readable WARC file: {exc}"))
