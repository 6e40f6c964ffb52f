"""Rendering check results: text for people; JSON, JSON Lines and CSV for machines."""
from __future__ import annotations

import csv
import json
from typing import Iterable, TextIO

from .detector import CheckResult

FORMATS = ("text", "json", "jsonl", "csv")
CSV_FIELDS = (
    "suspect_id", "licensed_id", "outlet", "title", "url", "verdict", "similarity", "licensed_coverage",
    "suspect_coverage", "passages",
)


def _excerpt(text: str, start: int, end: int, width: int = 48) -> str:
    piece = " ".join(text[start:end].split())
    if len(piece) > width:
        half = width // 2 - 1
        piece = piece[:half] + " … " + piece[-half:]
    return piece


def render_text(result: CheckResult, include_all: bool = False, passages: int = 3) -> str:
    art = result.article
    matches = result.matches if include_all else result.reprints
    head = f"{art.id}" + (f"  {art.title}" if art.title else "")
    if not matches:
        return f"{head}\n  no reprint found ({result.candidates} candidates checked)\n"
    lines = [head]
    for rank, m in enumerate(matches, 1):
        v, lic = m.verification, m.licensed
        lines.append(
            f"  {rank}. {m.verdict:<15} {lic.id}  {lic.outlet}  {lic.title}".rstrip()
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
                f"  «{_excerpt(art.content, p.suspect_start, p.suspect_end)}»"
            )
        if len(v.passages) > passages:
            lines.append(f"     … {len(v.passages) - passages} more passages (--format json shows all)")
    return "\n".join(lines) + "\n"


def _rewrite_lines(rw, content: str, shown: int) -> list[str]:
    facts = "、".join(f.text for f in rw.shared_facts[:12]) + (" …" if len(rw.shared_facts) > 12 else "")
    lines = [
        f"     rewrite score {rw.score:.2f} · {len(rw.pairs)} sentences aligned in order, covering "
        f"{rw.coverage:.0%} of the licensed article · mean sentence similarity {rw.mean_similarity:.2f}",
        f"     {len(rw.shared_facts)} shared facts in order: {facts}",
    ]
    for p in sorted(rw.pairs, key=lambda p: -p.similarity)[:shown]:
        lines.append(
            f"     suspect[{p.suspect_start}:{p.suspect_end}] ~ licensed[{p.licensed_start}:{p.licensed_end}]"
            f" {p.similarity:.2f}  «{_excerpt(content, p.suspect_start, p.suspect_end)}»"
        )
    return lines


def csv_rows(result: CheckResult, include_all: bool = False) -> Iterable[dict]:
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
            self._csv = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
            self._csv.writeheader()
        elif fmt == "json":
            out.write("[")

    def write(self, result: CheckResult) -> None:
        if self.fmt == "text":
            self.out.write(render_text(result, self.include_all))
        elif self.fmt == "jsonl":
            self.out.write(json.dumps(result.to_dict(self.include_all), ensure_ascii=False) + "\n")
        elif self.fmt == "json":
            self.out.write(("\n" if self.count == 0 else ",\n") + json.dumps(result.to_dict(self.include_all), ensure_ascii=False))
        else:
            for row in csv_rows(result, self.include_all):
                self._csv.writerow(row)
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n")
        self.out.flush()

