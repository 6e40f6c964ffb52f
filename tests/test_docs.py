"""Every ```console block of README.md and docs/*.md is run and its output compared (as sqlite-utils keeps
its docs true with cog).

How a doc file is run: all its console blocks, in order, as one shell session (one ``bash``) in a fresh
temporary directory holding a copy of ``data/`` — so a later block sees what an earlier one indexed —
with ``HOME`` in that directory (the default index and store land in ``$HOME/.local/share/reprintwatch``),
every ``REPRINTWATCH_*`` variable cleared, ``$DIR`` naming the directory, stderr merged into stdout.
Each ``$ command`` line (``\\`` continues it) runs; the lines under it up to the next ``$`` are its
expected output. Lines starting with ``# `` are narration, not output.

Matching (both sides normalised the same way; only what must vary between runs):
  * the temporary directory reads ``$DIR``, its home ``/home/me``;
  * UTC timestamps (``2026-11-29T06:07:33Z``) and SHA-256 hex digests match any other;
  * a date in the docs also matches today's date (UTC or China), for the findings made by the run;
  * a line that is only ``…`` stands for any number of lines, and ``…`` inside a line for any text.

Markers (HTML comments, invisible on GitHub), directly above a block:
  ``<!-- docs-test: skip: REASON -->``   the block is not run (it needs a network, a server, minutes) —
                                         the only exceptions, each with its reason;
  ``<!-- docs-test: setup``              hidden ``$ command`` lines run in the session at that point,
  ``$ command …``                        their output not shown (e.g. writing a file an example reads).
  ``-->``
  ``<!-- docs-test: transcript: COMMAND -->``  the block below is not run by bash: COMMAND (e.g.
                                         ``python tests/complaint_demo.py $DIR``, for a walk-through that needs
                                         a local web site changing between two commands) prints
                                         ``$ reprintwatch …`` lines with their output, and the block's commands
                                         and outputs are compared with that, in order. On a line of its own
                                         (not above a block) it covers every block of the file.

Regenerate: ``python tests/test_docs.py --update [FILE.md …]`` reruns the sessions and rewrites, in place,
the output of every command that no longer matches with its full current output (paths normalised as above;
elide long parts again with ``…`` by hand). ``python tests/test_docs.py`` alone prints the mismatches;
``python tests/test_docs.py --skips`` lists the blocks not run, with their reasons.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC_FILES = [REPO / "README.md"] + sorted((REPO / "docs").glob("*.md"))
SESSION_TIMEOUT = 900  # seconds for one doc file's whole session

_FENCE = re.compile(r"^```(\S*)\s*$")
_SKIP = re.compile(r"^<!--\s*docs-test:\s*skip:\s*(.*?)\s*-->\s*$")
_SETUP_OPEN = re.compile(r"^<!--\s*docs-test:\s*setup\s*$")
_MARK = "@@docs-test {}@@"
_TRANSCRIPT = re.compile(r"^<!--\s*docs-test:\s*transcript:\s*(.*?)\s*-->\s*$", re.M)


@dataclass
class Command:
    text: str  # the command as bash runs it (continuation lines joined)
    line: int  # 1-based line of its `$ `
    expected: list[str] = field(default_factory=list)
    out_start: int = 0  # 0-based index of the first expected-output line in the file
    out_end: int = 0  # one past the last
    setup: bool = False


@dataclass
class Block:
    line: int
    commands: list[Command]
    skip: str | None = None
    transcript: str | None = None  # the script whose printout this block is compared with


def parse(path: Path) -> list[Block]:
    """The console blocks (and hidden setup commands, as blocks of their own) of one Markdown file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    i = 0
    pending_skip = pending_transcript = None
    while i < len(lines):
        line = lines[i]
        if _SETUP_OPEN.match(line):
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("-->"):
                j += 1
            cmds = [c for c in _commands(lines, i + 1, j) if c.text]
            for c in cmds:
                c.setup = True
            blocks.append(Block(i + 1, cmds))
            i = j + 1
            continue
        m = _SKIP.match(line)
        if m:
            pending_skip = m.group(1) or "(no reason given)"
            i += 1
            continue
        m = _TRANSCRIPT.match(line)
        if m:
            pending_transcript = m.group(1)
            i += 1
            continue
        fence = _FENCE.match(line)
        if fence:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            if fence.group(1) == "console":
                blocks.append(Block(i + 1, _commands(lines, i + 1, j), pending_skip, pending_transcript))
            pending_skip = pending_transcript = None
            i = j + 1
            continue
        if line.strip():
            pending_skip = pending_transcript = None
        i += 1
    file_level = [t for t in _TRANSCRIPT.findall("\n".join(lines)) if t not in {b.transcript for b in blocks}]
    for b in blocks:  # a transcript marker on its own (not above a block) covers the file's other blocks
        if file_level and b.transcript is None and b.commands and not b.commands[0].setup:
            b.transcript = file_level[0]
    return blocks


def _commands(lines: list[str], start: int, end: int) -> list[Command]:
    cmds: list[Command] = []
    i = start
    while i < end:
        line = lines[i]
        if line.startswith("$ "):
            first = i
            text = line[2:]
            while text.endswith("\\") and i + 1 < end:
                i += 1
                text = text + "\n" + lines[i]
            cmd = Command(text, first + 1, out_start=i + 1, out_end=i + 1)
            cmds.append(cmd)
        elif cmds:
            if not line.startswith("# "):
                cmds[-1].expected.append(line)
            cmds[-1].out_end = i + 1
        i += 1
    for c in cmds:  # a narration line after the output is not part of it
        while c.out_end > c.out_start and lines[c.out_end - 1].startswith("# "):
            c.out_end -= 1
    return cmds


# --- running -----------------------------------------------------------------------------------------

def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPRINTWATCH_")}
    # jieba's dictionary cache is kept where it already is (it is the same for every run)
    env.setdefault("XDG_CACHE_HOME", str(Path.home() / ".cache"))
    env.pop("XDG_DATA_HOME", None)
    env.update(
        HOME=str(tmp / "home"),
        DIR=str(tmp),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONUNBUFFERED="1",  # stdout and stderr in the order they were written
        COLUMNS="100",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    return env


def run_session(path: Path, blocks: list[Block]) -> dict[int, str]:
    """Runs the file's commands (skipped blocks left out) as one bash session; the output of each command,
    keyed by its line, paths normalised to ``$DIR`` and ``/home/me``."""
    results: dict[int, str] = {}
    transcripts: dict[str, list[Command]] = {}
    for b in blocks:
        if b.transcript and not b.skip:
            transcripts.setdefault(b.transcript, []).extend(b.commands)
    for script, cmds in transcripts.items():
        results.update(_from_transcript(script, cmds))
    commands = [c for b in blocks if not b.skip and not b.transcript for c in b.commands]
    if not commands:
        return results
    with tempfile.TemporaryDirectory(prefix="rw-docs-") as tmpname:
        tmp = Path(tmpname)
        (tmp / "home").mkdir()
        shutil.copytree(REPO / "data", tmp / "data")
        script = ["set +e", 'cd "$DIR"', "exec 2>&1", "__rc=0"]
        for n, c in enumerate(commands):
            # the marker must not change $? for the command after it (`$ echo $?`)
            script.append(f"printf '\\n{_MARK.format(n)}\\n'; (exit $__rc)")
            script.append(c.text)
            script.append("__rc=$?")
        script.append(f"printf '\\n{_MARK.format(len(commands))}\\n'")
        (tmp / ".session.sh").write_text("\n".join(script) + "\n", encoding="utf-8")
        proc = subprocess.run(
            ["bash", str(tmp / ".session.sh")], cwd=tmp, env=_env(tmp), stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL, timeout=SESSION_TIMEOUT,
        )
        out = proc.stdout.decode("utf-8", "replace")
        for p in {str(tmp), os.path.realpath(tmp)}:
            out = out.replace(p + "/home", "/home/me").replace(p, "$DIR")
    for n, c in enumerate(commands):
        start = out.find("\n" + _MARK.format(n) + "\n")
        end = out.find("\n" + _MARK.format(n + 1) + "\n")
        if start < 0 or end < 0:
            results[c.line] = out[start:] if start >= 0 else "(the session stopped before this command)"
            continue
        results[c.line] = out[start + len(_MARK.format(n)) + 2:end + 1]
    return results


def _from_transcript(command: str, commands: list[Command]) -> dict[int, str]:
    """The output of each of ``commands`` as printed by ``command`` (a script printing ``$ reprintwatch …``
    lines and their output), matched in order; a command the script did not print gets a note instead."""
    with tempfile.TemporaryDirectory(prefix="rw-docs-") as tmpname:
        tmp = Path(tmpname)
        (tmp / "home").mkdir()
        proc = subprocess.run(
            ["bash", "-c", f"cd {shlex_quote(str(REPO))} && {command}"], env=_env(tmp), stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=SESSION_TIMEOUT,
        )
    printed: list[tuple[str, list[str]]] = []
    for line in proc.stdout.decode("utf-8", "replace").split("\n"):
        if line.startswith("$ "):
            printed.append((line[2:], []))
        elif printed and not line.startswith("# "):
            printed[-1][1].append(line)
    results = {}
    for c, (said, out) in zip(commands, printed):
        results[c.line] = "\n".join(out) if said == c.text else f"(the transcript ran `{said}` here)"
    for c in commands[len(printed):]:
        results[c.line] = "(the transcript stopped before this command)"
    return results


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# --- matching ----------------------------------------------------------------------------------------

_TIME = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z")
_SHA = re.compile(r"\b[0-9a-f]{64}\b")
_TOKEN = re.compile(r"( ?… ?|\d{4}-\d\d-\d\d)")


def _today() -> set[str]:
    now = _dt.datetime.now(_dt.timezone.utc)
    return {now.date().isoformat(), (now + _dt.timedelta(hours=8)).date().isoformat()}


def _normal(text: str) -> str:
    return _SHA.sub("<sha256>", _TIME.sub("<time>", text))


def _line_pattern(line: str) -> str:
    parts = []
    for piece in _TOKEN.split(line):
        if piece.strip() == "…":
            parts.append(".*")
        elif _TOKEN.fullmatch(piece):
            parts.append(f"(?:{re.escape(piece)}|<today>)")
        else:
            parts.append(re.escape(piece))
    return "".join(parts)


def matches(expected: list[str], actual: str) -> bool:
    """Whether ``actual`` (a command's output) is what ``expected`` (the doc's lines) shows."""
    got = _normal(actual)
    for day in _today():
        got = got.replace(day, "<today>")
    got_lines = [ln.rstrip() for ln in got.split("\n")]
    while got_lines and not got_lines[-1]:
        got_lines.pop()
    want = [ln.rstrip() for ln in _normal("\n".join(expected)).split("\n")] if expected else []
    while want and not want[-1]:
        want.pop()
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if ln.strip() == "…" else _line_pattern(ln) + r"\n" for ln in want
    )
    return re.fullmatch(pattern, "".join(ln + "\n" for ln in got_lines)) is not None


def mismatches(path: Path) -> list[tuple[Command, str]]:
    blocks = parse(path)
    results = run_session(path, blocks)
    return [
        (c, results[c.line])
        for b in blocks if not b.skip
        for c in b.commands
        if not c.setup and not matches(c.expected, results[c.line])
    ]


def _report(path: Path, bad: list[tuple[Command, str]]) -> str:
    rel = path.relative_to(REPO)
    parts = []
    for c, got in bad:
        diff = difflib.unified_diff(
            c.expected, got.rstrip("\n").split("\n"), "in the docs", "real output", lineterm="", n=2
        )
        parts.append(f"{rel}:{c.line}: $ {c.text}\n" + "\n".join(diff))
    return "\n\n".join(parts)


def update(path: Path) -> int:
    """Rewrites the output of every command of ``path`` that no longer matches; returns how many."""
    bad = mismatches(path)
    if not bad:
        return 0
    lines = path.read_text(encoding="utf-8").split("\n")
    for c, got in sorted(bad, key=lambda cg: cg[0].out_start, reverse=True):
        new = got.rstrip("\n").split("\n") if got.strip() else []
        lines[c.out_start:c.out_end] = [ln.rstrip() for ln in new]
    path.write_text("\n".join(lines), encoding="utf-8")
    return len(bad)


# --- the tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_console_examples_show_real_output(path):
    bad = mismatches(path)
    assert not bad, (
        "stale console examples (regenerate: python tests/test_docs.py --update "
        f"{path.relative_to(REPO)}):\n" + _report(path, bad)
    )


def test_every_skipped_block_says_why():
    skipped = [(p, b) for p in DOC_FILES for b in parse(p) if b.skip]
    assert all(b.skip != "(no reason given)" for _, b in skipped), [
        f"{p.relative_to(REPO)}:{b.line}" for p, b in skipped if b.skip == "(no reason given)"
    ]


def test_matching_rules():
    assert matches(["a", "…", "z"], "a\nb\nc\nz\n")
    assert matches(["a", "…", "z"], "a\nz\n")
    assert not matches(["a", "z"], "a\nb\nz\n")
    assert matches(["x «甲 … 乙» y"], "x «甲乙丙 … 丁乙» y\n")
    assert matches(["#4  2026-11-29T06:07:33Z  ok"], "#4  2030-01-02T03:04:05Z  ok\n")
    today = sorted(_today())[0]
    assert matches(["Reprint report for 2026-11-29"], f"Reprint report for {today}\n")
    assert not matches(["Reprint report for 2026-11-29"], "Reprint report for 2026-11-28\n")
    assert not matches(["(1 candidates checked)"], "(1 candidate checked)\n")
    assert matches([], "")


def test_parse_markers(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text(
        "<!-- docs-test: setup\n$ touch a\n-->\n\n"
        "<!-- docs-test: skip: needs a server -->\n```console\n$ reprintwatch serve\n```\n\n"
        "```console\n$ echo a \\\n   b\na b\n# narration\n$ true\n```\n",
        encoding="utf-8",
    )
    setup, skipped, run = parse(doc)
    assert setup.commands[0].setup and setup.commands[0].text == "touch a"
    assert skipped.skip == "needs a server"
    assert run.skip is None and [c.text for c in run.commands] == ["echo a \\\n   b", "true"]
    assert run.commands[0].expected == ["a b"] and run.commands[1].expected == []
    results = run_session(doc, [setup, skipped, run])
    assert matches(run.commands[0].expected, results[run.commands[0].line])


def test_transcript_blocks_compare_with_what_a_script_prints(tmp_path):
    doc = tmp_path / "t.md"
    doc.write_text(
        "<!-- docs-test: transcript: printf '$ reprintwatch a\\nyes\\n$ reprintwatch b\\n# said\\nno\\n' -->\n"
        "```console\n$ reprintwatch a\nyes\n$ reprintwatch b\nnot what it printed\n```\n",
        encoding="utf-8",
    )
    (block,) = parse(doc)
    assert block.transcript and [c.text for c in block.commands] == ["reprintwatch a", "reprintwatch b"]
    results = run_session(doc, [block])
    assert matches(block.commands[0].expected, results[block.commands[0].line])
    assert results[block.commands[1].line].strip() == "no"  # narration left out, and a real mismatch
    assert not matches(block.commands[1].expected, results[block.commands[1].line])


# --- the examples in every command's --help --------------------------------------------------------

def _help_examples():
    """(command path, example argv) for every ``reprintwatch …`` line in every command's --help."""
    import shlex

    from click.testing import CliRunner

    from reprintwatch.cli import cli

    def walk(command, path=()):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, path + (name,))

    runner = CliRunner()
    for path, command in walk(cli):
        text = runner.invoke(cli, [*path, "--help"]).output.replace("\\\n", " ")
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("reprintwatch "):
                continue
            argv = []
            for token in shlex.split(line, comments=True)[1:]:
                if token in {"|", ">", ">>", "&&", ";", "2>", "<"}:
                    break
                argv.append(token)
            yield path, argv


def test_every_help_example_is_valid_usage(tmp_path, monkeypatch):
    """Each example in a --help parses: its command exists and every option and value is accepted (the
    command's work is replaced by a no-op; files it names are made empty, so a `FILE` that must exist does)."""
    import click
    from click.testing import CliRunner

    from reprintwatch.cli import cli

    monkeypatch.chdir(tmp_path)
    for key in [k for k in os.environ if k.startswith("REPRINTWATCH_")]:
        monkeypatch.delenv(key)
    ran = []

    def leaves(command):
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                yield from leaves(sub)
        else:
            yield command

    for command in leaves(cli):
        monkeypatch.setattr(command, "callback", lambda *a, **k: ran.append(1))
    bad, examples = [], list(_help_examples())
    assert len({p for p, _ in examples}) >= 25  # every command has at least one (test_wings checks each)
    for path, argv in examples:
        for token in argv:
            if re.fullmatch(r"[\w./-]+\.(jsonl|html|txt|toml|csv|zip|json)", token) and "://" not in token:
                (tmp_path / token).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / token).touch()
        result = CliRunner().invoke(cli, argv)
        if result.exit_code != 0:
            bad.append(f"{' '.join(path)}: reprintwatch {' '.join(argv)}\n    {result.output.strip()[-300:]}")
    assert not bad, "\n".join(bad)
    assert ran


if __name__ == "__main__":
    args = sys.argv[1:]
    if args == ["--skips"]:  # the exception list: every block not run, and why
        for f in DOC_FILES:
            for b in parse(f):
                if b.skip:
                    print(f"{f.relative_to(REPO)}:{b.line}: {b.skip}")
        sys.exit(0)
    do_update = "--update" in args
    files = [Path(a).resolve() for a in args if a != "--update"] or DOC_FILES
    total = 0
    for f in files:
        if do_update:
            n = update(f)
            if n:
                print(f"{f.relative_to(REPO)}: {n} example(s) rewritten")
            total += n
        else:
            bad = mismatches(f)
            if bad:
                print(_report(f, bad) + "\n")
            total += len(bad)
    print(f"{total} example(s) {'rewritten' if do_update else 'stale'}")
    sys.exit(1 if total and not do_update else 0)
