"""The one output layer: check results as text for people and JSON, JSON Lines or CSV for machines, plus
the escaping every command uses — :func:`terminal_safe` for text shown on a terminal and
:class:`CsvWriter` for spreadsheet cells. Page text is hostile input: it may carry terminal escapes,
bidi overrides and spreadsheet formulas. Every file a command writes goes through :func:`write_atomic`.

It imports nothing of the project (the check results it renders are only read), so every layer, the
store included, can write through it.
"""
from __future__ import annotations

import contextlib
import csv
import html as _html
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence, TextIO

# Check results (``detector.CheckResult``) are rendered by reading their fields: this layer imports no
# detector, so the store and every command below the detector can write through it.

FORMATS = ("text", "json", "jsonl", "csv")
CSV_FIELDS = (
    "suspect_id", "licensed_id", "outlet", "title", "url", "verdict", "similarity", "licensed_coverage",
    "suspect_coverage", "passages",
)


# C0 and C1 controls (ESC starts ANSI/OSC sequences; CR rewrites the line) and the bidi embeddings,
# overrides and isolates that make text read differently from what it holds ("Trojan source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text, newlines: bool = True) -> str:
    """``text`` for a terminal: every control and bidi character shown as a visible escape (``\\x1b``,
    ``\\u202e``), so it can neither move the cursor, set the title, nor reorder what a user reads.
    Newlines and tabs are kept (``newlines=False``: they become spaces)."""
    text = "" if text is None else str(text)
    if not newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def json_text(obj, indent: int | None = 2, sort_keys: bool = False) -> str:
    """The one JSON spelling every command prints: Chinese as itself (not ``\\u`` escapes), values JSON has
    no type for (dates, paths) as their ``str()``. JSON escapes control characters itself, so the text is
    terminal-safe as it is."""
    return json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys, default=str)


def json_file_bytes(obj) -> bytes:
    """Canonical JSON for files whose hashes are recorded (evidence bundles, dossiers, manifests): sorted
    keys, so the same content always gives the same bytes and the same SHA-256."""
    return (json_text(obj, indent=2, sort_keys=True) + "\n").encode("utf-8")


def one_line(text, width: int | None = None) -> str:
    """``text`` as one terminal-safe line (whitespace runs become one space), cut to ``width``."""
    piece = " ".join(("" if text is None else str(text)).split())
    if width and len(piece) > width:
        piece = piece[: width - 1] + "…"
    return terminal_safe(piece)


_FORMULA_LINE = re.compile(r"(^|\n)(?=[=+\-@\t])")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: a cell or any line inside it starting with ``= + - @`` or tab
    would be read as a formula, so it gets a leading ``'``. A bare CR counts as a line break (some
    spreadsheets split rows on it), so CRs become LFs first."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _FORMULA_LINE.sub(r"\1'", text)


BOM = "\ufeff"


class CsvWriter:
    """Rows of ``fields`` (dicts or sequences) to ``out``, every cell through :func:`csv_cell`."""

    def __init__(self, out: TextIO, fields: Sequence[str], header: bool = True, bom: bool = False):
        """``bom``: start with a UTF-8 byte-order mark — Excel on Chinese Windows reads a CSV without one as
        GBK and garbles the UTF-8 text (``--excel``)."""
        self.fields = tuple(fields)
        self._writer = csv.writer(out, lineterminator="\n")
        if bom:
            out.write(BOM)
        if header:
            self._writer.writerow(self.fields)

    def write(self, row) -> None:
        values = [row.get(name) for name in self.fields] if hasattr(row, "get") else list(row)
        self._writer.writerow([csv_cell(v) for v in values])


def _excerpt(text: str, start: int, end: int, width: int = 48) -> str:
    piece = " ".join(text[start:end].split())
    if len(piece) > width:
        half = width // 2 - 1
        piece = piece[:half] + " … " + piece[-half:]
    return piece


def render_text(result, include_all: bool = False, passages: int = 3) -> str:
    art = result.article
    matches = result.matches if include_all else result.reprints
    head = one_line(art.id) + (f"  {one_line(art.title)}" if art.title else "")
    if not matches:
        n = result.candidates
        return f"{head}\n  no reprint found ({n} candidate{'s' if n != 1 else ''} checked)\n"
    lines = [head]
    for rank, m in enumerate(matches, 1):
        v, lic = m.verification, m.licensed
        lines.append(
            f"  {rank}. {m.verdict:<15} {one_line(lic.id)}  {one_line(lic.outlet)}  {one_line(lic.title)}".rstrip()
        )
        if m.verdict == "rewrite":
            lines.extend(_rewrite_lines(m.rewrite, art.content, passages))
            continue
        lines.append(
            f"     score {m.score:.2f} · similarity {v.similarity:.2f} · licensed coverage {v.licensed_coverage:.0%} · "
            f"suspect coverage {v.suspect_coverage:.0%} · {v.copied_chars} characters copied in "
            f"{len(v.passages)} passage{'s' if len(v.passages) != 1 else ''}"
        )
        for p in sorted(v.passages, key=lambda p: -p.chars)[:passages]:
            lines.append(
                f"     suspect[{p.suspect_start}:{p.suspect_end}] = licensed[{p.licensed_start}:{p.licensed_end}]"
                f"  «{terminal_safe(_excerpt(art.content, p.suspect_start, p.suspect_end))}»"
            )
        if len(v.passages) > passages:
            lines.append(f"     … {len(v.passages) - passages} more passages (--format json shows all)")
        if m.discounted:
            why = {"shared_text": "text many licensed articles share", "template": "a template's text around other figures"
                   }.get(m.discounted, "a quotation")
            lines.append(f"     not a finding: what the two share is {why}")
        if m.siblings:
            shown = ", ".join(f"{one_line(x.licensed.id)} ({x.shared_chars} characters)" for x in m.siblings[:5])
            more = f" and {len(m.siblings) - 5} more" if len(m.siblings) > 5 else ""
            lines.append(f"     also holds text it explains (not findings): {shown}{more}")
    return "\n".join(lines) + "\n"


def _rewrite_lines(rw, content: str, shown: int) -> list[str]:
    facts = terminal_safe("、".join(f.text for f in rw.shared_facts[:12])) + (" …" if len(rw.shared_facts) > 12 else "")
    lines = [
        f"     rewrite score {rw.score:.2f} · {len(rw.pairs)} sentences aligned in order, covering "
        f"{rw.coverage:.0%} of the licensed article · mean sentence similarity {rw.mean_similarity:.2f}",
        f"     {len(rw.shared_facts)} shared facts in order: {facts}",
    ]
    for p in sorted(rw.pairs, key=lambda p: -p.similarity)[:shown]:
        lines.append(
            f"     suspect[{p.suspect_start}:{p.suspect_end}] ~ licensed[{p.licensed_start}:{p.licensed_end}]"
            f" {p.similarity:.2f}  «{terminal_safe(_excerpt(content, p.suspect_start, p.suspect_end))}»"
        )
    return lines


def csv_rows(result, include_all: bool = False) -> Iterable[dict]:
    for match in result.to_dict(include_all)["matches"]:
        # a rewrite's evidence is its aligned sentences, written like passages
        spans = match.pop("rewrite")["aligned_sentences"] if match["verdict"] == "rewrite" else match["passages"]
        row = {"suspect_id": result.article.id, **match}
        row["passages"] = ";".join(
            f"{p['suspect_start']}-{p['suspect_end']}:{p['licensed_start']}-{p['licensed_end']}" for p in spans
        )
        yield row


class ResultWriter:
    """Streams results to ``out`` in one of :data:`FORMATS`; call :meth:`close` at the end."""

    def __init__(self, out: TextIO, fmt: str, include_all: bool = False):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.out, self.fmt, self.include_all = out, fmt, include_all
        self.count = 0
        if fmt == "csv":
            self._csv = CsvWriter(out, CSV_FIELDS)
        elif fmt == "json":
            out.write("[")

    def write(self, result) -> None:
        if self.fmt == "text":
            self.out.write(render_text(result, self.include_all))
        elif self.fmt == "jsonl":
            self.out.write(json.dumps(result.to_dict(self.include_all), ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self.out.write(("\n" if self.count == 0 else ",\n") + json.dumps(result.to_dict(self.include_all), ensure_ascii=False))
        else:
            for row in csv_rows(result, self.include_all):
                self._csv.write(row)
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n")
        self.out.flush()



# --------------------------------------------------------------------------- HTML
# Every HTML page we write (reports, finding pages, dossiers, serve) shows text from pages we fetched:
# each value goes through :func:`esc`, each link through :func:`safe_link`, and each page carries CSP.

# No scripts, no remote anything, no forms posting away: the page is inert even if escaping failed.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(value) -> str:
    """Text (or ``None``) for HTML text or a quoted attribute. Controls and bidi overrides/isolates are shown
    as visible escapes, as on a terminal (:func:`terminal_safe`): a copier's account name ending in U+202E
    otherwise reversed the rest of its line in a dossier ("… · 被投诉人 …"), the respondent's name included."""
    return _html.escape(terminal_safe(value), quote=True)


def safe_link(url, text=None) -> str:
    """A link for http(s) URLs only; anything else (javascript:, data:) is shown as inert text."""
    shown = esc(text if text is not None else url)
    if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{shown}</a>'
    return shown


# --------------------------------------------------------------------------- files


def file_mode() -> int:
    """The mode every written file gets: what ``open()`` gives a new file under the current umask
    (0644 under the usual 022). A temporary file from :mod:`tempfile` is 0600, which is how dossier zips
    came out 0600 beside 0644 HTML and PDF."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_into(fh, data) -> None:
    if callable(data):
        data(fh)
    else:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def write_atomic(path, data: bytes | str | Callable, fsync: bool = False) -> Path:
    """Write ``path`` all at once or not at all: a temporary file in the same folder, renamed into place
    (a reader never sees half a file; a crash leaves the old one). ``data`` is bytes, text (UTF-8), or a
    function given the open binary file to write into (a zip, a gzip stream). ``fsync``: flushed to disk
    before the rename (the evidence store). Missing folders are made. Returns the path.

    A symlink is followed (the file it names is replaced, the link kept), and a target that exists but is
    not a regular file — ``/dev/stdout``, a FIFO, ``>(gzip > x.gz)`` — is written straight into: renaming
    over it replaced the device or pipe itself with a file (as root, ``-o /dev/full`` did just that)."""
    path = Path(path)
    if path.exists() and not path.is_file():
        with open(path, "wb") as fh:
            _write_into(fh, data)
        return path
    if path.is_symlink():
        path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_into(fh, data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
