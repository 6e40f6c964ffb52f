"""Hand-read labels kept as data (bench/labels.py) and bench/sina_pairs.py --labels, on a tiny index of the
tests' own texts: a label file, a run, the counts."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import labels as L  # noqa: E402
from bench import sina_pairs  # noqa: E402
from bench.disguise import Doc  # noqa: E402
from texts import FLASH, METRO, RIVER, UNRELATED  # noqa: E402

HEADER = "\t".join(L.COLUMNS)
REPO = Path(__file__).resolve().parents[1]


def row(suspect="s1", licensed="l1", verdict="full_reprint", label="right", cause="copy", commit="404adfb",
        seed="16", note="copied whole under a new head"):
    return "\t".join([suspect, licensed, verdict, label, cause, commit, seed, note])


def test_a_label_file_reads_into_labels():
    text = "\n".join([HEADER, "# a comment", "", row(), row("s2", "l1", "partial_reprint", "wrong", "official",
                                                               note="both carry the 教育部 notice")])
    got = L.parse_labels(text, "r.tsv")
    assert [(g.pair, g.label, g.cause, g.seed, g.where) for g in got] == [
        (("s1", "l1"), "right", "copy", 16, "r.tsv:4"), (("s2", "l1"), "wrong", "official", 16, "r.tsv:5")]


@pytest.mark.parametrize("bad, says", [
    (row() + "\textra", "9 tab-separated columns, expected 8"),
    (row(suspect="s 1"), "suspect id 's 1' is empty, has spaces"),
    (row(licensed="s1"), "suspect and licensed are the same id"),
    (row(verdict="full"), "verdict 'full' is not one of"),
    (row(label="yes"), "label 'yes' is not one of"),
    (row(cause="copied"), "cause 'copied' is not one of"),
    (row(cause="official"), "a right pair's cause is how it was taken"),
    (row(label="wrong", cause="excerpt"), "a wrong pair's cause is what the two share"),
    (row(commit="HEAD"), "commit 'HEAD' is not 7-40 lowercase hex digits"),
    (row(seed="x"), "seed 'x' is not a whole number"),
    (row(note=" "), "the note is empty"),
    (row(note="x" * 201), "the note is 201 characters, over 200"),
    # a sentence of an article pasted into a note: refused (the crawl is research-only)
    (row(note="copied: " + METRO[6:30]), "Chinese characters in a row"),
])
def test_a_bad_row_is_an_error_naming_file_and_line(bad, says):
    with pytest.raises(L.LabelError) as e:
        L.parse_labels("\n".join([HEADER, row("s0", "l0"), bad]), "bench/reads/x.tsv")
    assert str(e.value).startswith("bench/reads/x.tsv:3: ") and says in str(e.value)


def test_file_level_errors_name_the_file(tmp_path):
    with pytest.raises(L.LabelError, match=r"^r.tsv:3: pair s1 l1 already read at r.tsv:2$"):
        L.parse_labels("\n".join([HEADER, row(), row(label="wrong", cause="facts")]), "r.tsv")
    with pytest.raises(L.LabelError, match=r"^r.tsv:1: the first row must be the header"):
        L.parse_labels(row(), "r.tsv")
    with pytest.raises(L.LabelError, match=r"^r.tsv: no header row"):
        L.parse_labels("# nothing read\n", "r.tsv")
    with pytest.raises(L.LabelError, match=r"nope.tsv: no such label file or directory"):
        L.read_labels([tmp_path / "nope.tsv"])
    (tmp_path / "latin1.tsv").write_bytes(HEADER.encode() + b"\n" + row(note="caf\xe9").encode("latin-1"))
    with pytest.raises(L.LabelError, match=r"latin1.tsv: not UTF-8"):
        L.read_labels([tmp_path])


def test_the_repos_label_files_are_valid():
    """bench/reads/*.tsv read without error; read9 (main 404adfb, seeds 16-17) holds the round's draw."""
    labels = L.read_labels([REPO / "bench" / "reads"])
    read9 = [lab for lab in labels if lab.where.startswith(str(REPO / "bench" / "reads" / "read9.tsv"))]
    by_verdict = {v: sum(lab.verdict == v for lab in read9) for v in L.VERDICTS}
    assert by_verdict["partial_reprint"] >= 60 and by_verdict["full_reprint"] >= 30 and by_verdict["rewrite"] >= 1
    assert {lab.commit for lab in read9} == {"404adfb"} and {lab.seed for lab in read9} == {16, 17}


def test_readers_who_disagree_count_unsure():
    a = L.parse_labels("\n".join([HEADER, row()]), "a.tsv")
    b = L.parse_labels("\n".join([HEADER, row(label="wrong", cause="template")]), "b.tsv")
    assert L.by_pair(a + b) == {("s1", "l1"): "unsure"}
    result = L.score(a + b, [{"suspect": "s1", "licensed": "l1", "verdict": "full_reprint"}], {"l1"}, {"s1"})
    assert result["disagree"] == [("s1", "l1")] and result["precision"]["full_reprint"]["unsure"] == 1


# --- a run on a tiny index ------------------------------------------------------------------------------------

DOCS = [
    Doc("river", RIVER, "清溪河治理", "test", "华夏通讯社"),
    Doc("river-copy", "转自网络\n" + RIVER, "清溪河变清了", "test", "新浪"),
    Doc("metro", METRO, "地铁九号线开通", "test", "江南日报"),
    # an outing's tips, then two of METRO's five paragraphs (tests/test_cli.py's excerpt)
    Doc("metro-part", UNRELATED + "\n".join(METRO.split("\n")[2:4]), "周末去哪儿", "test", "新浪"),
    Doc("flash", FLASH, "台风蓝色预警", "test", "东海晚报"),
    Doc("camping", UNRELATED + "帐篷要提前试搭一次。", "露营指南", "test", "新浪"),
]


def _seed_for_the_test():
    """A seed whose split indexes both originals and the flash and scans both copies and the camping text."""
    for seed in range(500):
        licensed, scanned = sina_pairs.split(DOCS, seed)
        if {d.id for d in licensed} == {"river", "metro", "flash"}:
            return seed
    raise AssertionError("no seed splits the tiny corpus as the test needs")


def test_sina_pairs_scores_a_run_against_labels(tmp_path, capsys):
    seed = _seed_for_the_test()
    (tmp_path / "me.tsv").write_text("\n".join([
        HEADER,
        row("river-copy", "river", "full_reprint", "right", "copy", note="RIVER under a repost line"),
        row("metro-part", "metro", "partial_reprint", "wrong", "facts", note="pretend: both report one opening"),
        # read right at another seed, not reported here: a real copy lost
        row("camping", "flash", "partial_reprint", "right", "excerpt", seed="3", note="pretend it was a copy"),
        # out of play at this seed (the licensed side is scanned)
        row("flash", "river-copy", "partial_reprint", "wrong", "template", note="never in play here"),
    ]) + "\n", encoding="utf-8")
    rc = sina_pairs.main(["--seed", str(seed), "--samples", "0", "--labels", str(tmp_path),
                          "--unlabelled-sample", "5"], docs=DOCS)
    out = capsys.readouterr().out
    assert rc == 0
    assert "licensed 3 · scanned 3 · suspects with matches 2 · matches 2" in out
    assert "labels: 4 read, 4 pairs\n" in out
    assert "right: 2 in play, 1 reported (1 full), 1 NOT REPORTED\n" in out
    assert "unsure: 0 in play, 0 reported, 0 no longer reported\n" in out
    assert "wrong: 1 in play, 1 reported (1 partial), 0 no longer reported\n" in out
    assert (f"  camping -> flash read partial excerpt ({tmp_path / 'me.tsv'}:4); suspect reported now against: "
            "nothing\n") in out
    assert "  full: 1 / 0 / 0 of 1 (100% right)\n  partial: 0 / 0 / 1 of 1 (0% right)\n" in out
    # every reported pair is labelled: nothing left to sample for the next reader
    assert "unlabelled sample" not in out


def test_unlabelled_sample_offers_rows_to_fill(tmp_path, capsys):
    seed = _seed_for_the_test()
    (tmp_path / "me.tsv").write_text("\n".join([HEADER, row("river-copy", "river")]) + "\n", encoding="utf-8")
    assert sina_pairs.main(["--seed", str(seed), "--samples", "0", "--labels", str(tmp_path / "me.tsv"),
                            "--unlabelled-sample", "5"], docs=DOCS) == 0
    out = capsys.readouterr().out
    assert "real copies lost: none" in out
    block = out.split("== unlabelled sample")[1].splitlines()
    assert block[1] == HEADER
    filled = block[2].split("\t")
    assert filled[:3] == ["metro-part", "metro", "partial_reprint"] and filled[6] == str(seed)
    assert len(block) == 4  # the row and its title line, nothing else
    # the title line is for reading only: pasted into a label file it fails the check
    with pytest.raises(L.LabelError, match="columns"):
        L.parse_labels("\n".join([HEADER, block[3]]), "pasted.tsv")


def test_bad_labels_stop_before_the_run(tmp_path, capsys):
    (tmp_path / "bad.tsv").write_text(HEADER + "\n" + row(label="maybe") + "\n", encoding="utf-8")
    assert sina_pairs.main(["--labels", str(tmp_path / "bad.tsv")], docs=[]) == 2
    err = capsys.readouterr().err
    assert err == f"sina_pairs: bad labels: {tmp_path / 'bad.tsv'}:2: label 'maybe' is not one of right, unsure, wrong\n"


def test_a_saved_json_run_is_scored_without_running_again(tmp_path, capsys):
    seed = _seed_for_the_test()
    assert sina_pairs.main(["--seed", str(seed), "--json"], docs=DOCS) == 0
    saved = tmp_path / "run.json"
    saved.write_text(capsys.readouterr().out, encoding="utf-8")
    (tmp_path / "me.tsv").write_text("\n".join([HEADER, row("river-copy", "river")]) + "\n", encoding="utf-8")
    argv = ["--seed", str(seed), "--samples", "0", "--labels", str(tmp_path / "me.tsv"), "--from-json", str(saved)]
    assert sina_pairs.main(argv, docs=DOCS) == 0
    out = capsys.readouterr().out
    assert f"saved run {saved}" in out and "right: 1 in play, 1 reported (1 full), 0 no longer reported\n" in out
    # the halves are recomputed from --seed: a file saved at another split is refused, in one line
    other = next(s for s in range(500) if "river" in {d.id for d in sina_pairs.split(DOCS, s)[1]})
    assert sina_pairs.main(["--seed", str(other), "--from-json", str(saved)], docs=DOCS) == 2
    assert capsys.readouterr().err == (f"sina_pairs: {saved}: its matches do not fit the split of --seed {other} "
                                       "(saved at another seed?)\n")
    (tmp_path / "junk.json").write_text("[1, 2]", encoding="utf-8")
    assert sina_pairs.main(["--from-json", str(tmp_path / "junk.json")], docs=DOCS) == 2
    assert "junk.json: not a --json output of bench/sina_pairs.py" in capsys.readouterr().err


def test_a_lost_copy_names_what_its_suspect_is_reported_against_now():
    labels = L.parse_labels("\n".join([
        HEADER, row("s1", "l1"), row("s2", "l2", "partial_reprint", "wrong", "speech", note="one quote"),
        row("s3", "l3", "partial_reprint", "unsure", "digest", note="a digest")]), "r.tsv")
    rows = [{"suspect": "s1", "licensed": "l9", "verdict": "full_reprint"},  # credited to another version now
            {"suspect": "s3", "licensed": "l3", "verdict": "rewrite"}]
    result = L.score(labels, rows, {"l1", "l2", "l3", "l9"}, {"s1", "s2", "s3"})
    assert L.format_score(result) == [
        "labels: 3 read, 3 pairs",
        "right: 1 in play, 0 reported, 1 NOT REPORTED",
        "unsure: 1 in play, 1 reported (1 rewrite), 0 no longer reported",
        "wrong: 1 in play, 0 reported, 1 no longer reported",
        "real copies lost (right, not reported):",
        "  s1 -> l1 read full copy (r.tsv:2); suspect reported now against: l9 full",
        "unsure or wrong, no longer reported:",
        "  s2 -> l2 wrong read partial speech (r.tsv:3); suspect reported now against: nothing",
        "precision among labelled pairs still reported (right / unsure / wrong):",
        "  rewrite: 0 / 1 / 0 of 1 (0% right)",
    ]
