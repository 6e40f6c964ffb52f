"""The rewrite (洗稿) path: facts, the sentence alignment, its guards, and the verdict end to end."""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from reprintwatch import Article, Detector, FingerprintParams, LicensedIndexError, SQLiteIndex
from reprintwatch.dedupe import rewrite as R
from reprintwatch.dedupe.fingerprint import fingerprint
from reprintwatch.dedupe.normalize import normalize
from reprintwatch.dedupe.segment import segment

from texts import (MARKET_MONDAY, MARKET_TUESDAY, METRO, PORT, PORT_REWRITE, PORT_SAME_EVENT, RECAP, RECAP_NEXT_DAY,
                   RECAP_SAME_EVENT, RIVER, UNRELATED)


def analysed(text: str) -> R.TextAnalysis:
    n = normalize(text)
    return R.analyse(n, text, segment(n.text))


def fact_texts(text: str) -> list[str]:
    return [f for f, _, _ in R.facts(segment(normalize(text).text))]


def test_facts_are_figures_names_and_rare_terms_in_order():
    found = fact_texts(PORT)
    for fact in ("865", "320", "750", "6000", "2015", "郑国栋", "韩丽娟", "釜山", "柴油发动机"):
        assert fact in found
    # in text order: 86.5 before 750 before 4.2 (normalised: digits only)
    assert found.index("865") < found.index("750") < found.index("42") < found.index("412")
    # ordinary words are not facts
    for word in ("表示", "建设", "市民", "5"):
        assert word not in found


def test_fact_keys_are_one_per_distinct_fact_and_apart_from_band_keys():
    fp = fingerprint(PORT, FingerprintParams())
    key_facts = {f for f, _, _ in fp.facts if R.is_key_fact(f)}
    assert len(fp.rewrite_keys) == len(key_facts) and "865" in key_facts
    assert "18" not in key_facts and "2015" not in key_facts  # days and years: in every other article
    assert not np.isin(fp.rewrite_keys, fp.keys).any()
    assert set(fp.index_keys.tolist()) == set(fp.keys.tolist()) | set(fp.rewrite_keys.tolist())


def test_a_rewrite_aligns_sentence_by_sentence_in_order():
    v = R.verify_rewrite(analysed(PORT_REWRITE), analysed(PORT))
    assert v.is_rewrite
    assert v.coverage >= 0.8 and v.mean_similarity >= 0.6 and 0 < v.score <= 1
    # monotonic on both sides, one pair per licensed sentence at most
    assert [p.suspect_start for p in v.pairs] == sorted(p.suspect_start for p in v.pairs)
    assert [p.licensed_start for p in v.pairs] == sorted(p.licensed_start for p in v.pairs)
    # the dropped sentence (the routes to 新加坡 and 釜山) is not aligned
    assert not any("釜山" in PORT[p.licensed_start:p.licensed_end] for p in v.pairs)
    # pairs point at the sentences in the original texts
    first = v.pairs[0]
    assert "86.5亿元" in PORT_REWRITE[first.suspect_start:first.suspect_end] or "明年3月" in PORT_REWRITE[first.suspect_start:first.suspect_end]
    facts = [f.text for f in v.shared_facts]
    assert {"郑国栋", "韩丽娟", "865", "750", "412"} <= set(facts)
    for f in v.shared_facts:  # offsets lead to the fact in both texts
        assert normalize(PORT_REWRITE[f.suspect_start:f.suspect_start + 12]).text.startswith(f.text)
        assert normalize(PORT[f.licensed_start:f.licensed_start + 12]).text.startswith(f.text)
    assert [f.licensed_start for f in v.shared_facts] == sorted(f.licensed_start for f in v.shared_facts)


def test_same_press_conference_by_another_outlet_is_not_a_rewrite():
    v = R.verify_rewrite(analysed(PORT_SAME_EVENT), analysed(PORT))
    assert not v.is_rewrite
    assert len(v.shared_facts) >= 5  # it does share names and figures: that alone must not decide


def test_two_recaps_of_one_evening_are_facts_reported_twice_not_a_rewrite():
    v = R.verify_rewrite(analysed(RECAP_SAME_EVENT), analysed(RECAP))
    # the results align in order and carry the figures and names: every per-sentence guard passes ...
    t = R.DEFAULT_REWRITE_THRESHOLDS
    assert v.coverage >= t.min_coverage and len(v.pairs) >= t.min_pairs
    assert v.mean_similarity >= t.min_mean_similarity and len(v.shared_facts) >= t.min_shared_facts
    # ... but most of the suspect is its own story: the whole pair is two reports of one event
    assert v.suspect_coverage < t.min_suspect_coverage
    assert not v.is_rewrite
    assert R.verify_rewrite(analysed(RECAP_SAME_EVENT), analysed(RECAP),
                            dataclasses.replace(t, min_suspect_coverage=0.0)).is_rewrite


def test_a_game_s_sentence_is_not_aligned_with_another_game_s_by_one_shared_score():
    # 4比2 against 4比1, 4比3 … 3比7 against 4比3 … 6比11: a 4 and an 11 in common, not the same game
    v = R.verify_rewrite(analysed(RECAP_NEXT_DAY), analysed(RECAP))
    assert not v.is_rewrite and v.figure_conflicts >= 2
    any_one_figure = dataclasses.replace(R.DEFAULT_REWRITE_THRESHOLDS, min_figure_agreement=1e-9)
    assert R.verify_rewrite(analysed(RECAP_NEXT_DAY), analysed(RECAP), any_one_figure).is_rewrite
    # a wash keeps every figure of its sentences: PORT_REWRITE has no conflict at all
    assert R.verify_rewrite(analysed(PORT_REWRITE), analysed(PORT)).figure_conflicts == 0


def test_a_rewrite_is_mostly_the_source_s_sentences():
    v = R.verify_rewrite(analysed(PORT_REWRITE), analysed(PORT))
    assert v.suspect_coverage >= 0.9 and v.to_dict()["suspect_aligned_coverage"] == v.suspect_coverage
    # an account's header and footer around the copy leave it a rewrite
    posted = "点击上方蓝字关注“每日资讯站”\n" + PORT_REWRITE + "\n喜欢就点个“在看”吧！\n本文来源网络，如有侵权请联系删除。"
    v = R.verify_rewrite(analysed(posted), analysed(PORT))
    assert v.is_rewrite and v.suspect_coverage < 1.0


def test_template_report_of_another_day_is_not_a_rewrite():
    v = R.verify_rewrite(analysed(MARKET_TUESDAY), analysed(MARKET_MONDAY))
    assert not v.is_rewrite
    assert v.figure_conflicts >= 2


@pytest.mark.parametrize("text", [METRO, RIVER, UNRELATED, ""])
def test_unrelated_texts_are_not_rewrites(text):
    assert not R.verify_rewrite(analysed(text), analysed(PORT)).is_rewrite


def test_align_is_monotonic_and_skips_weak_pairs():
    sim = np.array([[0.9, 0.1, 0.0], [0.0, 0.2, 0.8], [0.1, 0.7, 0.0]])
    # (1,2) and (2,1) cross: the best order-preserving chain keeps (0,0) and one of them
    assert R.align(sim, 0.3, 0.2) == [(0, 0), (1, 2)]
    assert R.align(np.zeros((2, 2)), 0.3, 0.2) == []


def _detector(tmp_path) -> Detector:
    detector = Detector(SQLiteIndex(tmp_path / "licensed.db"))
    detector.add([
        Article("port", PORT, "青溪港二期码头明年3月投用", "江南日报"),
        Article("market", MARKET_MONDAY, "青溪股市震荡走高", "江南日报"),
        Article("metro", METRO, "地铁九号线开通", "江南日报"),
        Article("river", RIVER, "清溪河水质提升", "华夏通讯社"),
    ])
    return detector


def test_detector_reports_a_rewrite_with_its_evidence(tmp_path):
    detector = _detector(tmp_path)
    result = detector.check(Article("s", PORT_REWRITE))
    [match] = result.reprints
    assert match.licensed.id == "port" and match.verdict == R.REWRITE
    out = json.loads(json.dumps(result.to_dict()))["matches"][0]
    assert out["verdict"] == "rewrite"
    rw = out["rewrite"]
    assert rw["score"] > 0.4 and rw["aligned_coverage"] >= 0.8
    assert len(rw["aligned_sentences"]) >= 5
    assert all({"suspect_start", "suspect_end", "licensed_start", "licensed_end", "similarity"} <= set(p)
               for p in rw["aligned_sentences"])
    assert "郑国栋" in [f["text"] for f in rw["shared_facts"]]


def test_detector_keeps_same_event_and_template_reports_clean(tmp_path):
    detector = _detector(tmp_path)
    assert detector.check(Article("e", PORT_SAME_EVENT)).reprints == []
    assert detector.check(Article("t", MARKET_TUESDAY)).reprints == []
    detector.add([Article("recap", RECAP, "男单八强战罢", "华夏体育")])
    assert detector.check(Article("r", RECAP_SAME_EVENT)).reprints == []


def test_exact_copies_keep_their_verdict(tmp_path):
    detector = _detector(tmp_path)
    [match] = detector.check(Article("c", PORT)).reprints
    assert match.verdict == "full_reprint" and "rewrite" not in match.to_dict()


def test_rewrite_path_can_be_switched_off(tmp_path):
    detector = _detector(tmp_path)
    detector.rewrite_thresholds = None
    assert detector.check(Article("s", PORT_REWRITE)).reprints == []


def test_index_without_rewrite_sketch_is_refused(tmp_path):
    db = tmp_path / "old.db"
    SQLiteIndex(db).close()
    import sqlite3

    conn = sqlite3.connect(db)
    stored = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0])
    old = {k: v for k, v in stored.items() if not k.startswith("rewrite_")}
    conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (json.dumps(old),))
    conn.commit()
    conn.close()
    with pytest.raises(LicensedIndexError, match=r"rewrite_sketch: index 'none' vs now 'facts2'.*index migrate.*re-index"):
        SQLiteIndex(db)


def test_an_index_made_before_key_bits_reads_as_64_bit_keys_and_is_refused(tmp_path):
    db = tmp_path / "old.db"
    SQLiteIndex(db, FingerprintParams(key_bits=64)).close()
    import sqlite3

    conn = sqlite3.connect(db)
    stored = json.loads(conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()[0])
    del stored["key_bits"]
    conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (json.dumps(stored),))
    conn.commit()
    conn.close()
    with pytest.raises(LicensedIndexError, match=r"key_bits: index 64 vs now 40.*index migrate.*re-index"):
        SQLiteIndex(db)


def test_rewrite_keys_leave_the_index_with_their_article(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as index:
        detector = Detector(index)
        detector.add([Article("port", PORT)])
        assert index.candidates(detector.fingerprint(PORT_REWRITE).rewrite_keys, 5)[0][0] == "port"
        detector.add([Article("port", METRO)])  # replaced: its old facts must not find it any more
        assert index.candidates(detector.fingerprint(PORT_REWRITE).rewrite_keys, 5) == []
        index.delete(["port"])
        assert index.stats().band_keys == 0


def test_cli_shows_a_rewrite_in_every_format(tmp_path):
    from click.testing import CliRunner

    from reprintwatch.cli import cli

    licensed = tmp_path / "licensed.jsonl"
    licensed.write_text(json.dumps({"id": "port", "content": PORT, "outlet": "江南日报"}, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    suspects = tmp_path / "suspects.jsonl"
    suspects.write_text(json.dumps({"id": "s1", "content": PORT_REWRITE}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = ["--db", str(tmp_path / "x.db")]
    runner = CliRunner()
    assert runner.invoke(cli, [*db, "index", "add", str(licensed)]).exit_code == 0
    text = runner.invoke(cli, [*db, "scan", str(suspects)])
    assert text.exit_code == 0 and "rewrite" in text.output and "shared facts in order" in text.output
    jsonl = runner.invoke(cli, [*db, "scan", str(suspects), "--format", "jsonl"])
    [match] = json.loads(jsonl.stdout)["matches"]
    assert match["verdict"] == "rewrite" and match["rewrite"]["aligned_sentences"]
    csv_out = runner.invoke(cli, [*db, "scan", str(suspects), "--format", "csv"])
    assert csv_out.exit_code == 0
    header, row = csv_out.stdout.splitlines()[:2]
    assert header.endswith(",passages") and ",rewrite," in row
    assert row.rsplit(",", 1)[1].count(";") == len(match["rewrite"]["aligned_sentences"]) - 1


def test_a_wash_with_sentence_sized_exact_passages_is_aligned_whatever_its_facts_share(tmp_path):
    # a wash that kept one sentence word for word: copied text of a partial, its longest passage under the
    # partial's 50 characters — no reprint, but what a wash leaves exact (verify.near_partial)
    kept = "据悉，青溪港一期工程于2015年建成，去年完成集装箱吞吐量412万标准箱，同比增长9.7%。"
    assert kept in PORT
    wash = PORT_REWRITE.rsplit("\n", 1)[0] + "\n" + kept
    v = fingerprint_verify(wash, PORT)
    assert v.verdict == "none" and v.copied_chars >= 80 and 30 <= v.longest_passage_chars < 50
    detector = _detector(tmp_path)
    # the fact gate alone would not pick it (a washer's rare synonyms are facts too: a copy may hold many more
    # than its source, and the gate is a share of the copy's)
    detector.min_shared_fact_share = 1.0
    [match] = detector.check(Article("w", wash)).reprints
    assert match.licensed.id == "port" and match.verdict == R.REWRITE
    # without that hint the same detector misses it
    detector.thresholds = dataclasses.replace(detector.thresholds, rewrite_hint_longest=50)
    assert detector.check(Article("w", wash)).reprints == []
    # with the gate's usual share, its facts pick it as before
    detector.min_shared_fact_share = 0.2
    assert detector.check(Article("w", wash)).reprints[0].verdict == R.REWRITE


def fingerprint_verify(suspect: str, licensed: str):
    from reprintwatch.dedupe.verify import verify
    p = FingerprintParams()
    return verify(fingerprint(suspect, p).signature, fingerprint(licensed, p).signature, p.shingle_size)


# a singer's post on her teacher's death, as one report quotes it (in marks) and another prints it after 她写道：
POST = ("今天早上得知陈望舒老师在青溪离世的消息，心里久久不能平静。二十年前我第一次站上东海大剧院的舞台，就是老师亲手为我改的谱子。"
        "后来我们合作了《江南雨》《归舟》和《青溪谣》三张专辑，每一首歌里都有老师的心血。"
        "老师常说唱歌先要唱给自己听，这句话我记到了现在。"
        "去年十月在杭州的音乐会上，老师坐在第三排，散场后还拉着我的手说下次要写一首新歌。"
        "愿老师一路走好，您写下的旋律会一直陪着我们。")


def test_a_post_quoted_by_one_report_and_printed_after_a_colon_by_another_is_not_a_rewrite():
    licensed = ("华夏娱乐讯 著名作曲家陈望舒11月3日在青溪病逝，享年81岁。与他合作多年的歌手林晓岚在微博发文悼念，称“"
                + POST + "”（文：小舟）")
    suspect = ("东海娱乐讯 11月3日，歌手林晓岚在微博发文悼念作曲家陈望舒。她写道：" + POST
               + "\n据悉，林晓岚的三张专辑均由陈望舒作曲，其中《青溪谣》曾获当年的最佳作曲奖。")
    s, l = analysed(suspect), analysed(licensed)
    assert l.quoted.any() and not s.quoted.any()  # marks in one text only
    assert not R.verify_rewrite(s, l).is_rewrite
    assert R.verify_rewrite(s, l, dataclasses.replace(R.DEFAULT_REWRITE_THRESHOLDS, skip_quoted=False)).is_rewrite
    # a wash keeps the source's marks: quoted sentences align with quoted sentences and count
    washed = licensed.replace("著名作曲家", "知名作曲人").replace("病逝", "去世").replace("合作多年", "多年合作")
    assert R.verify_rewrite(analysed(washed), l).is_rewrite


def test_a_quote_left_open_does_not_make_the_paragraphs_after_it_quoted():
    # a wash dropped the sentence closing the first quote: its opening mark would run to the next quote's close
    text = ("“我们是黄河的儿女！我们艰苦奋斗。\n1939年，光未然在延安朗诵此诗。\n同年5月11日在延安首次公演。\n"
            "他说：“带着痛苦和呻吟的表情。”")
    a = analysed(text)
    assert a.quoted.tolist() == [False, False, False, False, True]
    # read from the first opening mark on, the same text's open quote covers what follows it
    assert a.quoted_open.tolist() == [True, True, True, True, True]


def test_a_wash_that_dropped_a_quotes_closing_sentence_still_aligns_its_quoted_sentences():
    # the source quotes a post whole; the wash keeps the opening mark, drops the post's last sentence (and with
    # it the closing mark), then quotes a word of its own: from the last opening mark the post is unquoted, from
    # the first it is quoted as in the source — either reading may be the copier's, so the pair counts
    licensed = ("华夏娱乐讯 著名作曲家陈望舒11月3日在青溪病逝，享年81岁。与他合作多年的歌手林晓岚在微博发文悼念，称“"
                + POST + "”（文：小舟）")
    last = "愿老师一路走好，您写下的旋律会一直陪着我们。"
    assert POST.endswith(last)
    washed = ("华夏娱乐讯 知名作曲人陈望舒11月3日在青溪去世，享年81岁。与他多年合作的歌手林晓岚在微博发文悼念，称“"
              + POST[: -len(last)] + "网友纷纷留言称其为“一代宗师”。")
    s, l = analysed(washed), analysed(licensed)
    assert s.quoted.sum() < s.quoted_open.sum()  # the two readings of the open quote differ
    assert R.verify_rewrite(s, l).is_rewrite
    # reading the open quote one way only, the post's sentences are quoted in one text and not the other
    tight_only = dataclasses.replace(s, quoted_open=None)
    assert not R.verify_rewrite(tight_only, l).is_rewrite


AD_LOADER = ("\n(function(){\n  var adScript = document.createElement('script');\n"
             "  adScript.src = '//ads.example.cn/js/left_20171020.js';\n"
             "  document.getElementsByTagName('head')[0].appendChild(adScript);\n})();\n")


def test_page_code_is_no_sentence_of_a_rewrite():
    # each page ends with the site's ad loader after the text (as Sina's pages do)
    licensed, washed = PORT + "（完）" + AD_LOADER, PORT_REWRITE + "（完）" + AD_LOADER
    a = analysed(licensed)
    # the loader (one token to jieba: its letters run together once normalised), not the report's sentences
    assert a.code[-1] and not a.code[:-1].any()
    assert not analysed(PORT).code.any()
    # a wash of the page: the loader aligns at 1.00 but is not counted (it stays in the texts' lengths)
    with_code = R.verify_rewrite(analysed(washed), a)
    plain = R.verify_rewrite(analysed(PORT_REWRITE + "（完）"), analysed(PORT + "（完）"))
    assert with_code.is_rewrite and with_code.pairs == plain.pairs
    assert with_code.coverage < plain.coverage and with_code.suspect_coverage < plain.suspect_coverage
    assert not any("adScript" in washed[p.suspect_start:p.suspect_end] for p in with_code.pairs)
    # the loader's URL was a 200-letter "fact" shared by every two Sina pages
    assert not any("adscript" in f.text for f in with_code.shared_facts)


@pytest.mark.parametrize("credit", ["据路透社报道，", "据外媒报道，", "据江南日报报道，", "（来源：路透社）"])
def test_a_wash_that_credits_an_outlet_is_still_a_rewrite(tmp_path, credit):
    """Pages are written by copiers: a 洗稿 copy that adds a credit — a foreign wire it never read, foreign media,
    the licensed outlet itself — is the same wash. Translations of one foreign report credit the wire too, so
    a rule telling them apart by credits would let this copy walk through (docs/findings.md, round 6: measured
    and not made)."""
    detector = _detector(tmp_path)
    for text in (credit + PORT_REWRITE, PORT_REWRITE + "\n" + credit):
        [match] = detector.check(Article("s", text)).reprints
        assert match.licensed.id == "port" and match.verdict == R.REWRITE


def test_a_quotation_copied_word_for_word_is_not_rescued_as_a_rewrite():
    """Sina seed 7 (8f4e99f): a report quoting a speech whole, and the speech's full text as the suspect — 98 % of
    the suspect copied exactly, discounted as a quotation, then aligned sentence by sentence and called a rewrite.
    A 洗稿 copy rescued from a quotation holds 0.17-0.39 of itself exactly (bench/disguise.py at 30-50 %)."""
    from reprintwatch.dedupe.rewrite import RewriteVerification
    from reprintwatch.dedupe.verify import Verification
    from reprintwatch.detector import QUOTED_WASH_MAX_COVERAGE, Match

    aligned = RewriteVerification(True, 0.7, 0.8, 0.9, 0)
    licensed = Article("report", "某报告引用演讲全文。", "演讲全文")

    def pair(suspect_coverage: float) -> Match:
        v = Verification("partial_reprint", 0.5, 0.6, suspect_coverage, 4800, 900)
        return Match(licensed, v, rewrite=aligned, discounted="quotation")

    assert pair(0.37).verdict == "rewrite"  # a wash whose surviving exact text is its quotes
    assert pair(QUOTED_WASH_MAX_COVERAGE).verdict == "none"
    assert pair(0.98).verdict == "none"  # the quotation itself: not a wash of the report
    # a pair verify() found nothing in stays a rewrite whatever (its coverage is no copy)
    nothing = Match(licensed, Verification("none", 0.1, 0.0, 0.0, 0, 0), rewrite=aligned)
    assert nothing.verdict == "rewrite"
