"""Attribution that explains away (dedupe/relations.py): a finding names only what was copied."""
from __future__ import annotations

import pytest

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.dedupe.relations import Claim, explain_away, quoted_spans, stands_alone

from texts import FLASH, METRO, PORT, RIVER, SERIES_NOTE, UNRELATED


def test_a_claim_inside_a_better_ones_text_is_explained_by_it():
    whole = Claim(((0, 400),), 400)  # the copied article
    note = Claim(((0, 120),), 500)  # a sibling sharing its first 120 characters
    credits = explain_away([whole, note])
    assert [c.kept for c in credits] == [True, False]
    assert credits[1].explained_by == 0 and credits[1].unexplained == 0 and credits[1].shared == 120


def test_pieces_of_two_sources_are_both_kept_and_leftovers_must_stand_alone():
    first = Claim(((0, 200),), 600)
    second = Claim(((200, 330),), 700)  # its own 130 characters: a 拼接稿's second source
    overlapping = Claim(((150, 370),), 900)  # 40 characters no one else explains: not enough alone
    credits = explain_away([first, second, overlapping])
    assert [c.kept for c in credits] == [True, True, False]
    # listed under the kept claim sharing most of its text (130 characters with the second, 50 with the first)
    assert credits[2].unexplained == 40 and credits[2].explained_by == 1


def test_a_short_article_stands_alone_on_its_share():
    assert stands_alone(40, 40, 70)  # most of a 70-character flash
    assert not stands_alone(40, 40, 400)
    assert stands_alone(80, 50, 5000)
    assert not stands_alone(200, 49, 5000)  # sentence-sized stretches: facts of one event, a notice's clauses


@pytest.fixture
def series_detector(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("metro", SERIES_NOTE + METRO, "地铁九号线开通"), Article("river", SERIES_NOTE + RIVER, "清溪河"),
               Article("port", SERIES_NOTE + PORT, "青溪港二期")])
        yield d


def test_a_copy_of_one_series_member_names_only_it(series_detector):
    result = series_detector.check(Article("s", "点击上方蓝字关注我们\n" + SERIES_NOTE + METRO))
    (match,) = result.reprints
    assert match.licensed.id == "metro" and match.verdict == "full_reprint"
    # the other members share the editor's note only: listed under the copy's match, with what they share
    assert {s.licensed.id for s in match.siblings} == {"river", "port"}
    assert all(80 <= s.shared_chars <= 100 for s in match.siblings)
    note = match.to_dict()["siblings"][0]["passages"][0]
    shared = result.article.content[note["suspect_start"]:note["suspect_end"]]
    assert SERIES_NOTE.strip() in shared and len(shared) < len(SERIES_NOTE) + 10


def test_every_source_of_a_stitched_copy_and_a_short_excerpt_are_still_found(series_detector):
    stitched = series_detector.check(Article("s", METRO[:140] + "\n此外，" + RIVER[60:200]))
    assert {m.licensed.id for m in stitched.reprints} == {"metro", "river"}
    excerpt = PORT[120:240]
    assert len([c for c in excerpt if c.isalnum()]) >= 100
    found = series_detector.check(Article("e", UNRELATED + "\n" + excerpt + "\n" + UNRELATED[::-1]))
    assert [m.licensed.id for m in found.reprints] == ["port"]


def test_the_note_alone_makes_one_finding_not_three(series_detector):
    # a page carrying only the series' note: one member explains it; the others are listed, not reported
    result = series_detector.check(Article("s", UNRELATED + "\n" + SERIES_NOTE))
    assert len(result.reprints) <= 1
    assert sum(len(m.siblings) for m in result.reprints) == 2 * len(result.reprints)


def test_text_three_licensed_stories_hold_makes_no_finding_and_versions_count_once(tmp_path):
    from reprintwatch.dedupe.relations import FAMILY_MIN_HOLDERS

    assert FAMILY_MIN_HOLDERS == 3
    note_only = Article("s", UNRELATED + "\n" + SERIES_NOTE)
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        # three series members: the editor's note they all carry is the series', not any one member's
        d.add([Article(k, SERIES_NOTE + body, k) for k, body in (("metro", METRO), ("river", RIVER), ("port", PORT))])
        assert d.check(note_only).reprints == []
    with SQLiteIndex(tmp_path / "versions.db") as idx:
        d = Detector(idx)
        # two members, one of them carried twice (a version: the same text, its last sentence cut) — two
        # stories hold the note, not three: one finding names it, the other member is listed under it
        d.add([Article("metro", SERIES_NOTE + METRO, "metro"), Article("river", SERIES_NOTE + RIVER, "river"),
               Article("metro-2", SERIES_NOTE + METRO.rsplit("。", 2)[0] + "。", "metro")])
        (match,) = d.check(note_only).reprints
        assert match.licensed.id in {"metro", "metro-2", "river"} and match.siblings


def test_text_held_by_many_licensed_articles_makes_no_finding(tmp_path):
    from texts import MARKET_MONDAY

    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        bodies = {"metro": METRO, "river": RIVER, "port": PORT, "market": MARKET_MONDAY}
        d.add([Article(k, SERIES_NOTE + body, k) for k, body in bodies.items()])
        note_only = d.check(Article("s", UNRELATED + "\n" + SERIES_NOTE))
        assert note_only.reprints == []
        assert {m.discounted for m in note_only.matches if m.verification.is_reprint} == {"shared_text"}
        assert note_only.to_dict(include_all=True)["matches"][0]["discounted"] == "shared_text"
        # a copy of one member is still that member's finding, the others listed under it
        (match,) = d.check(Article("c", SERIES_NOTE + RIVER)).reprints
        assert match.licensed.id == "river" and {s.licensed.id for s in match.siblings} == {"metro", "port", "market"}
        # and an excerpt of a member's own text is found
        (match,) = d.check(Article("e", UNRELATED + "\n" + PORT[120:260])).reprints
        assert match.licensed.id == "port"


def test_a_quotation_shared_by_two_reports_is_not_copying(tmp_path):
    from texts import STATEMENT

    licensed = "江南日报讯 昨天上午，青溪网络科技公司的手机应用出现大面积故障，用户无法登录。当晚，该公司发表声明：" + STATEMENT
    other = UNRELATED + "\n不少用户在社交平台上抱怨无法登录。随后，青溪网络科技公司在官方微博发布致歉信称：" + STATEMENT
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("report", licensed, "故障")])
        quoting = d.check(Article("s", other))
        assert quoting.reprints == [] and quoting.matches[0].discounted == "quotation"
        # the same quotation inside the copied report is the report's finding
        assert [m.licensed.id for m in d.check(Article("c", "点击上方蓝字关注我们\n" + licensed)).reprints] == ["report"]


def test_held_by_many_and_quoted_spans():
    from reprintwatch.dedupe.relations import held_by_many, quoted_spans

    holders = [[(0, 50)], [(10, 60)], [(20, 30), (40, 45)], [(25, 100)]]
    assert held_by_many(holders, 3) == [(20, 50)]
    assert held_by_many(holders, 4) == [(25, 30), (40, 45)]
    assert held_by_many(holders[:2], 3) == []
    text = "他说：“今天很好。”又说「明天」，“没有闭合"
    assert [text[a:b] for a, b in quoted_spans(text)] == ["今天很好。", "明天"]


def test_a_page_of_code_is_not_an_article(tmp_path):
    from reprintwatch.dedupe.normalize import is_code

    script = "\n".join(f"var slide{i} = {{src: '/img/{i}.jpg', title: 'look {i}'}}; show(slide{i});" for i in range(60))
    assert is_code(script) and not is_code(METRO) and not is_code(METRO + "\n代码示例：if (a) { b(); }")
    assert not is_code("BBC English quiz: what does 'postcode' mean? 邮政编码（postcode）是英国的叫法。" * 5)
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("slides", script)])
        assert d.check(Article("s", script)).matches == []


def test_a_holder_that_stands_out_keeps_its_share_of_shared_text_and_quotes_need_marks_on_both_sides():
    from reprintwatch.dedupe.relations import quotations
    from reprintwatch.dedupe.verify import Passage

    template = [(0, 120)]  # held by four licensed texts
    copied = Claim(((0, 130),), 600, stands_out=True)  # the day's report: its figures too
    sibling = Claim(((0, 100),), 600)
    assert [c.kept for c in explain_away([copied, sibling], shared_text=template)] == [True, False]
    assert explain_away([Claim(((0, 130),), 600)], shared_text=template)[0].discounted == "shared_text"
    suspect, licensed = "记者了解到，他说：“甲乙丙丁戊己庚辛”。", "据报道，“甲乙丙丁戊己庚辛”。"
    inside = Passage(10, 18, 5, 13, 8)
    beyond = Passage(0, 18, 5, 13, 8)  # reaches into the suspect's prose before the quote
    assert quotations([inside, beyond], quoted_spans(suspect), licensed) == [(10, 18)]
    assert quotations([inside], quoted_spans(suspect), "据报道" + licensed[5:]) == []  # quoted in the suspect only


def test_the_text_output_lists_siblings_and_says_why_a_pair_is_no_finding(series_detector):
    from reprintwatch.output import render_text
    from texts import STATEMENT

    text = render_text(series_detector.check(Article("s", SERIES_NOTE + METRO)))
    assert "also holds text it explains (not findings): " in text and "port (" in text and "river (" in text
    series_detector.add([Article("report", "江南日报讯 昨天上午，青溪网络科技公司的应用出现故障。该公司发表声明：" + STATEMENT)])
    quoting = series_detector.check(Article("q", UNRELATED + "\n随后，该公司在官方微博发布致歉信称：" + STATEMENT))
    assert "no reprint found" in render_text(quoting)
    assert "not a finding: what the two share is a quotation" in render_text(quoting, include_all=True)


def test_a_short_article_copied_whole_is_the_finding_not_a_digest_holding_it(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("flash", FLASH), Article("digest", METRO + "\n" + FLASH + "\n" + RIVER + "\n" + PORT)])
        # the copy: the flash whole, and one sentence of the digest's metro story next to it
        result = d.check(Article("s", UNRELATED + "\n" + FLASH + METRO[:60]))
    assert [m.licensed.id for m in result.reprints][:1] == ["flash"]


def test_a_family_member_counts_only_text_no_other_licensed_text_holds():
    template = [(0, 300)]  # the standard clauses a dozen 招生简章 hold
    # a member: 300 characters of template and 100 more that one other member holds too (a clause variant)
    member = Claim(((0, 400),), 5000, held_by_others=((0, 300), (300, 400)))
    assert explain_away([member], shared_text=template)[0].discounted == "shared_text"
    # the same member holding 100 characters no other licensed text holds: its own text, a finding
    own = Claim(((0, 400),), 5000, held_by_others=((0, 300),))
    assert [c.kept for c in explain_away([own], shared_text=template)] == [True]
    # not a member (most of its copied text is its own): what others hold of it still counts
    mostly_own = Claim(((200, 700),), 5000, held_by_others=((200, 300), (300, 700)))
    assert [c.kept for c in explain_away([mostly_own], shared_text=template)] == [True]
    # a notice sharing 90 characters with the members, not held by four: the family's text, not its own
    notice = Claim(((300, 390),), 1200)
    credits = explain_away([member, notice], shared_text=template)
    assert [c.discounted for c in credits] == ["shared_text", "shared_text"]
    assert explain_away([notice], shared_text=template)[0].kept  # alone, it would be a finding


def test_a_quote_in_marks_on_one_side_and_after_a_colon_or_verb_on_the_other_is_a_quotation():
    from reprintwatch.dedupe.relations import quotations, speech_starts
    from reprintwatch.dedupe.verify import Passage

    words = "今天听到这个消息非常不舍他的作品影响了很多人"
    suspect = "她听闻消息后表示：“" + words + "”"
    passage = Passage(10, 10 + len(words), 0, 0, len(words))
    for licensed in ("王女士：" + words, "王女士表示，" + words, "王女士回应称：" + words):
        start = licensed.index(words)
        assert start in speech_starts(licensed)
        p = Passage(passage.suspect_start, passage.suspect_end, start, start + len(words), len(words))
        assert quotations([p], quoted_spans(suspect), licensed, suspect) == [(p.suspect_start, p.suspect_end)]
    # the licensed text prints it as its own prose: copied, not quoted
    licensed = "据了解，" + words
    p = Passage(passage.suspect_start, passage.suspect_end, 4, 4 + len(words), len(words))
    assert quotations([p], quoted_spans(suspect), licensed, suspect) == []
    # and the other way round: quoted in the licensed text, introduced by a verb of saying in the suspect
    licensed, suspect = "他说：“" + words + "”", "负责人指出，" + words
    p = Passage(6, 6 + len(words), 4, 4 + len(words), len(words))
    assert quotations([p], quoted_spans(suspect), licensed, suspect) == [(6, 6 + len(words))]
    assert quotations([p], quoted_spans(suspect), licensed, "负责人之后，" + words) == []


NOTICE = ("根据教育部有关规定，考生须在规定时间内登录省教育考试院网站进行网上报名，如实填写个人信息并上传本人近期证件照片，"
          "逾期不再补报；报名信息经考生本人确认后一律不作修改，因考生填写错误引起的一切后果由考生本人承担。")


def test_a_paragraph_other_stories_of_the_whole_index_reproduce_is_no_partial(tmp_path, monkeypatch):
    import reprintwatch.detector as detector_module

    # the check's own count of holders (FAMILY_MIN_HOLDERS) switched off: only the index's postings can tell
    monkeypatch.setattr(detector_module, "FAMILY_MIN_HOLDERS", 99)
    suspect = Article("s", UNRELATED + "\n" + NOTICE + "\n" + UNRELATED[::-1])
    with SQLiteIndex(tmp_path / "two.db") as idx:
        d = Detector(idx)
        d.add([Article("metro", METRO + "\n" + NOTICE, "metro"), Article("river", RIVER + "\n" + NOTICE, "river")])
        # held by one other story: a copy of either (one finding, the other listed under it)
        assert len(d.check(suspect).reprints) == 1
    with SQLiteIndex(tmp_path / "three.db") as idx:
        d = Detector(idx)
        d.add([Article(k, body + "\n" + NOTICE, k) for k, body in (("metro", METRO), ("river", RIVER), ("port", PORT))])
        result = d.check(suspect)
        # each holder's passage is held by two other stories of the index: text the archive reproduces
        assert result.reprints == []
        assert {m.discounted for m in result.matches if m.verification.is_reprint} == {"shared_text"}


def test_the_index_is_asked_only_for_claims_kept_so_far(tmp_path, monkeypatch):
    """Text held across the index only takes evidence from its own claim: a claim not kept without it is no
    finding with it either. So a claim another explains is never asked about, and one is asked about only once
    a claim before it is discounted and leaves it kept — the same outcome as asking for every claim first."""
    import reprintwatch.detector as detector_module

    monkeypatch.setattr(detector_module, "FAMILY_MIN_HOLDERS", 99)
    rounds: list[list[str]] = []
    ask = Detector._held_across_index

    def recorded(self, fp, wanted):
        if wanted:
            rounds.append(sorted({m.licensed.id for m, _ in wanted}))
        return (yield from ask(self, fp, wanted))

    monkeypatch.setattr(Detector, "_held_across_index", recorded)
    suspect = Article("s", UNRELATED + "\n" + NOTICE + "\n" + UNRELATED[::-1])
    with SQLiteIndex(tmp_path / "two.db") as idx:
        d = Detector(idx)
        d.add([Article("metro", METRO + "\n" + NOTICE, "metro"), Article("river", RIVER + "\n" + NOTICE, "river")])
        result = d.check(suspect)
        # one finding, the other listed under it: only the finding's passages were asked about
        assert len(result.reprints) == 1 and [len(r) for r in rounds] == [1]
    rounds.clear()
    with SQLiteIndex(tmp_path / "three.db") as idx:
        d = Detector(idx)
        d.add([Article(k, body + "\n" + NOTICE, k) for k, body in (("metro", METRO), ("river", RIVER), ("port", PORT))])
        result = d.check(suspect)
        # each holder discounted in turn leaves the next one kept: asked about one a round, each once
        assert result.reprints == []
        assert [len(r) for r in rounds] == [1, 1, 1] and sorted(x for r in rounds for x in r) == ["metro", "port", "river"]


def test_an_answer_that_can_change_no_credit_is_moot_and_any_answer_gives_the_same_credits():
    """common_is_moot: with all of ``most`` taken away the outcome is the one without it — then so is it with
    any part of it (what the index may answer), checked here for every part on claims written for it."""
    import itertools

    from reprintwatch.dedupe.relations import common_is_moot

    def outcome(claims):
        return [(c.kept, c.explained_by, c.discounted) for c in explain_away(claims)]

    stands = Claim(((0, 150), (200, 260), (300, 330)), 1000)  # 150 + 60 + 30 copied, 1,000 licensed
    under = Claim(((100, 180), (300, 330)), 1000, stands_out=True)  # partly under the first
    cases = [
        ([stands], [[(200, 260), (300, 330)]], True),  # the 150-character passage stands alone either way
        ([stands], [[(0, 150), (200, 260)]], False),  # held, the two would leave 30 characters: not a finding
        ([stands, under], [[(0, 150), (200, 260)], [(100, 180)]], False),
        ([stands, under], [[(200, 260)], [(100, 180)]], True),
    ]
    for claims, most, moot in cases:
        credits = explain_away(claims)
        assert common_is_moot(claims, credits, most) is moot
        parts = [[list(c) for n in range(len(m) + 1) for c in itertools.combinations(m, n)] for m in most]
        answers = {tuple(map(tuple, pick)): outcome([Claim(c.spans, c.licensed_chars, c.whole, c.stands_out,
                                                           common=tuple(a)) for c, a in zip(claims, pick)])
                   for pick in itertools.product(*parts)}
        if moot:  # every possible answer: the outcome without one
            assert {tuple(o) for o in answers.values()} == {tuple(outcome(claims))}
        else:
            assert len({tuple(o) for o in answers.values()}) > 1
    assert common_is_moot([stands], explain_away([stands]), [[]])


def test_the_index_is_not_asked_about_a_passage_whose_answer_can_change_nothing(tmp_path, monkeypatch):
    """A partial claim standing on a long passage of its own: the other long passage (the notice) is not asked
    about — held or not, the claim is kept — and the result is the one of asking about every passage."""
    import reprintwatch.detector as detector_module

    monkeypatch.setattr(detector_module, "FAMILY_MIN_HOLDERS", 99)
    asked: list[int] = []
    ask = Detector._held_across_index

    def recorded(self, fp, wanted):
        asked.extend(p.chars for _, p in wanted)
        return (yield from ask(self, fp, wanted))

    monkeypatch.setattr(Detector, "_held_across_index", recorded)
    suspect = Article("s", UNRELATED + "\n" + PORT[:200] + "\n" + UNRELATED[::-1] + "\n" + NOTICE)
    with SQLiteIndex(tmp_path / "i.db") as idx:
        d = Detector(idx)
        d.add([Article("port", PORT + "\n" + NOTICE, "port"), Article("metro", METRO + "\n" + NOTICE, "metro"),
               Article("river", RIVER + "\n" + NOTICE, "river")])
        found = d.check(suspect)
        # the notice is held by two other stories (metro, river), but the port claim stands on its own text
        assert [m.licensed.id for m in found.reprints] == ["port"]
        assert len(asked) == 1 and asked[0] >= 150  # only the passage of PORT's own text
        asked.clear()
        monkeypatch.setattr(detector_module, "common_is_moot", lambda *a, **k: False)  # ask about every passage
        every = d.check(suspect)
        assert len(asked) == 2
        assert every.to_dict(include_all=True) == found.to_dict(include_all=True)


def test_the_checks_of_a_batch_ask_the_index_together_and_find_what_each_finds_alone(tmp_path, monkeypatch):
    """Detector._attribute_many: rules 7's questions of every check of a batch in one candidates_many a round."""
    import reprintwatch.detector as detector_module

    monkeypatch.setattr(detector_module, "FAMILY_MIN_HOLDERS", 99)
    suspects = [Article("a", UNRELATED + "\n" + NOTICE + "\n" + UNRELATED[::-1]),
                Article("b", UNRELATED[::-1] + "\n" + NOTICE),
                Article("c", UNRELATED + "\n" + PORT[:200] + "\n" + UNRELATED[::-1] + "\n" + NOTICE),
                Article("d", UNRELATED)]
    with SQLiteIndex(tmp_path / "i.db") as idx:
        d = Detector(idx)
        d.add([Article(k, body + "\n" + NOTICE, k) for k, body in (("metro", METRO), ("river", RIVER), ("port", PORT))])
        calls: list[int] = []
        many = idx.candidates_many
        monkeypatch.setattr(idx, "candidates_many", lambda queries: (calls.append(len(queries)), many(queries))[1])
        alone = [d.check(s).to_dict(include_all=True) for s in suspects]
        asked_alone, calls[:] = len(calls) - len(suspects), []  # less each check's candidate search
        assert [r.to_dict(include_all=True) for r in d.check_batch(suspects)] == alone
        assert 1 <= len(calls) - 1 < asked_alone  # the batch's candidate search, then its rounds of questions


def test_the_template_text_and_quotations_of_a_claim_are_read_only_where_they_can_change_its_credit():
    """explain_away reads Claim.template only where it can change a credit: a claim whose copied text the
    kept claims before it cover whole is explained by them whatever its template text (Detector makes a
    template only when read: normalising the licensed text is its cost)."""
    from collections.abc import Sequence

    class Unread(Sequence):
        def __len__(self):
            raise AssertionError("read")

        def __getitem__(self, i):
            raise AssertionError("read")

    first = Claim(((0, 200),), 400)
    covered = Claim(((20, 120), (150, 190)), 300)
    partly = Claim(((150, 260),), 300)
    for template in ((), ((20, 120),), ((0, 300),)):  # whatever it would be: the same credits
        made = explain_away([first, Claim(covered.spans, 300, template=template)])
        assert explain_away([first, Claim(covered.spans, 300, template=Unread())]) == made
        assert made[1].explained_by == 0
    with pytest.raises(AssertionError, match="read"):  # text of its own left: its template is read
        explain_away([first, Claim(partly.spans, 300, template=Unread())])
    # nor the quotations of a claim taken whole (a copy whatever it quotes) or of one covered whole
    for quoted in ((), ((20, 120),)):
        assert explain_away([Claim(first.spans, 400, whole=True, quoted=Unread())]) == \
            explain_away([Claim(first.spans, 400, whole=True, quoted=quoted)])
        assert explain_away([first, Claim(covered.spans, 300, quoted=Unread())]) == \
            explain_away([first, Claim(covered.spans, 300, quoted=quoted)])
    with pytest.raises(AssertionError, match="read"):
        explain_away([first, Claim(partly.spans, 300, quoted=Unread())])


# --- rules 9: a document the licensed article reproduces, and page code, are not the outlet's prose
BULLETIN = ("一、事故基本情况。本月四日凌晨，位于临港工业园区的一家化工企业在装船作业时，码头连接软管老化破裂，"
            "造成约七吨化学品泄漏入海。企业发现后立即停止作业并报告有关部门。二、处置情况。事发后，区政府立即启动应急预案，"
            "组织海事、环保、渔业等部门布设围油栏，回收泄漏物，并对周边海域水质和空气质量开展连续监测。三、下一步工作。"
            "区政府将继续做好污染清理和监测工作，依法查处涉事企业，并及时向社会公布处置进展。")
LEAD = ("海滨晚报讯 记者走访临港工业园区发现，事发码头附近的渔民已连续三天无法出海，养殖网箱里的鱼虾大量死亡，"
        "不少渔民对赔偿问题忧心忡忡。园区管委会一位工作人员告诉记者，赔偿方案仍在研究之中。")


def test_reproduced_spans_run_from_a_document_cue_to_the_end_or_to_the_end_of_a_quoted_post():
    from reprintwatch.dedupe.quotes import reproduced_spans

    text = "导语。现将有关事项通知如下：一、报名条件……"
    (a, b), = reproduced_spans(text)
    assert text[a:b] == "一、报名条件……"
    speech = "记者整理了演讲内容。以下为王总在大会上的演讲全文：\n  各位来宾，大家好……"
    assert speech[slice(*reproduced_spans(speech)[0])] == "各位来宾，大家好……"
    post = "她在微博发文悼念，原文：“二十年前初见先生，他教我做人做事，此恩永世难忘，先生一路走好。”据悉，先生生于一九二七年。"
    assert post[slice(*reproduced_spans(post)[0])] == "“二十年前初见先生，他教我做人做事，此恩永世难忘，先生一路走好。”"
    heading = "以下为圆桌实录：“AI思维”与未来。张总：我认为……"  # a short quote is a heading's term, not the document
    assert heading[slice(*reproduced_spans(heading)[0])] == "“AI思维”与未来。张总：我认为……"
    # a colon, a verb of saying or 如下 after the outlet's own words is no cue
    assert reproduced_spans("专家介绍，具体应对技巧如下：一是多喝水。") == []
    assert reproduced_spans("他表示：今年的销量会翻倍。点击阅读原文。") == []


def test_a_document_the_licensed_article_reproduces_is_no_evidence_but_the_outlets_own_text_is(tmp_path):
    licensed = LEAD + "当晚，区政府发布事故处置情况通报，全文如下：" + BULLETIN
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("report", licensed, "泄漏")])
        # another report quoting the bulletin: it reproduced the government's text, not the evening paper's
        holding = d.check(Article("s", UNRELATED + "\n区政府通报称：" + BULLETIN))
        assert holding.reprints == []
        assert [m.discounted for m in holding.matches if m.verification.is_reprint] == ["shared_text"]
        assert holding.matches[0].verdict == "none"  # nor aligned again by the rewrite path
        # the bulletin pasted bare into a page may have been taken from the paper (the one text carrying it)
        pasted = d.check(Article("x", UNRELATED + "\n" + BULLETIN[40:]))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]
        # the paper's own paragraph is a partial copy; the whole article, cue and bulletin included, a full one
        own = d.check(Article("p", UNRELATED + "\n" + LEAD))
        assert [(m.licensed.id, m.verdict) for m in own.reprints] == [("report", "partial_reprint")]
        assert [m.verdict for m in d.check(Article("c", "点击上方蓝字关注我们\n" + licensed)).reprints] == ["full_reprint"]


def test_a_passage_of_page_code_is_no_evidence():
    from reprintwatch.dedupe.normalize import PASSAGE_CODE_MAX_CHINESE, is_code
    from reprintwatch.dedupe.relations import not_the_outlets
    from reprintwatch.dedupe.verify import Passage

    player = "".join(f"\t\t{{\n\t\t\tvideo_id: 2680{i},\t//视频编号\n\t\t\tpic: '//img.example.cn/v/{i}.jpg',\t//节目列表小图\n"
                     f"\t\t\ttitle: '第{i}集',\t//标题\n\t\t}},\n" for i in range(6))
    assert is_code(player, PASSAGE_CODE_MAX_CHINESE) and not is_code(player)  # a passage's share, not a page's
    prose = "登录“中国研究生招生信息网”（公网网址：http://yz.example.cn，教育网址：http://yz.example.edu.cn）报名。" * 2
    assert not is_code(prose, PASSAGE_CODE_MAX_CHINESE) and not is_code(LEAD, PASSAGE_CODE_MAX_CHINESE)
    suspect = LEAD + player
    passages = [Passage(0, len(LEAD), 0, len(LEAD), len(LEAD)), Passage(len(LEAD), len(suspect), 0, len(player), 200)]
    assert not_the_outlets(passages, suspect, LEAD + player) == ([], [(len(LEAD), len(suspect))])
    # a passage inside the licensed article's reproduced document is reported apart: the caller weighs it
    licensed = "导语。" + LEAD + "以下为通报全文：" + BULLETIN
    at = licensed.index(BULLETIN)
    doc = [Passage(0, 120, at + 10, at + 130, 120), Passage(200, 260, 3, 63, 60)]
    assert not_the_outlets(doc, BULLETIN * 2, licensed) == ([(0, 120)], [])


def test_a_document_passage_counts_out_where_another_text_holds_it_or_the_suspect_quotes_it():
    from reprintwatch.dedupe.relations import held_elsewhere, presented_as_speech, quoted_spans

    assert held_elsewhere((100, 200), [[(0, 120)], [(90, 160), (170, 180)]])  # 70 of 100 in the second holder
    assert not held_elsewhere((100, 200), [[(0, 120)], [(150, 170)]])
    text = "局方在通报中称：一、事故基本情况。他说“二、处置情况。”三、下一步工作。"
    at = text.index
    assert presented_as_speech((at("一"), at("二") - 2), text, quoted_spans(text))
    assert presented_as_speech((at("二"), at("”")), text, quoted_spans(text))
    assert not presented_as_speech((at("三"), len(text)), text, quoted_spans(text))


# An invented province's exam notice: its clauses, and a clause the licensed report does not carry.
CLAUSES = ("（一）报名参加考试的人员，应当遵守中华人民共和国宪法和法律，具有高级中等教育学校毕业或者同等学力。"
           "（二）下列人员不得报名：具有高等学历教育资格的高校在校生；因违反国家教育考试规定被给予暂停参加考试处理"
           "且在停考期内的人员。（三）考生须按照规定的时间到指定地点办理报名手续，逾期一律不予补办。")
MORE_CLAUSES = ("（四）考生报名时应当如实填报个人信息，弄虚作假的依照有关规定严肃处理。"
                "（五）各级招生考试机构应当依法做好考生信息采集工作，有关部门予以配合。本通知自发布之日起施行，"
                "此前有关规定与本通知不一致的，以本通知为准。")
EXAM_REPORT = ("晨报讯 记者昨天从省教育考试院获悉，今年普通高考报名下月初开始，预计全省报名人数与去年基本持平。"
               "不少家长告诉记者，孩子正在准备材料，最担心的是户籍和学籍证明来不及开具。记者走访多所中学发现，"
               "班主任已在家长群里逐条解读报名要求，有的学校还专门开设了咨询窗口，帮助学生核对信息。"
               "省教育考试院提醒，今年报名的主要条件是：")


def test_official_rate_reads_a_documents_register_not_a_reports():
    from reprintwatch.dedupe.relations import OFFICIAL_RATE, OFFICIAL_REST_RATE, official_rate

    assert official_rate(CLAUSES) >= OFFICIAL_RATE and official_rate(MORE_CLAUSES) >= OFFICIAL_RATE
    for prose in (LEAD, UNRELATED, EXAM_REPORT[:-15], FLASH, METRO):
        assert official_rate(prose) < OFFICIAL_REST_RATE, prose
    assert official_rate("") == 0.0 and official_rate("Section 1: shall not") == 0.0


def test_official_text_needs_a_suspect_that_carries_the_document_beyond_the_claim():
    from reprintwatch.dedupe.relations import OFFICIAL_RATE, OFFICIAL_REST_RATE, official_rate, official_text
    from reprintwatch.dedupe.verify import Passage

    def claim(suspect):
        at = suspect.index(CLAUSES)
        return [Passage(at, at + len(CLAUSES), 10, 10 + len(CLAUSES), len(CLAUSES))]

    # a report that has the notice itself (a clause the licensed article lacks): the copied clauses are the notice's
    own = "本报讯 省教育考试院昨日发布普通高考报名工作的通知。" + CLAUSES + MORE_CLAUSES
    assert official_text(claim(own), own, EXAM_REPORT + CLAUSES) == [(own.index(CLAUSES), own.index(CLAUSES) + len(CLAUSES))]
    # the clauses pasted into an unrelated page, or a page that is nothing else: no evidence it had the notice
    pasted = UNRELATED + "\n" + CLAUSES + "\n" + FLASH
    assert official_text(claim(pasted), pasted, EXAM_REPORT + CLAUSES) == []
    assert official_text(claim(CLAUSES), CLAUSES, EXAM_REPORT + CLAUSES) == []
    # the rest held by another claim of the check (a 拼接稿's other piece) or the licensed article's own text
    # reworded (a 洗稿 copy) is no document the suspect has itself
    at = own.index(MORE_CLAUSES)
    assert official_text(claim(own), own, EXAM_REPORT + CLAUSES, [(at, len(own))]) == []
    assert official_text(claim(own), own, EXAM_REPORT + CLAUSES + MORE_CLAUSES.replace("应当", "要")) == []
    # one or two markers are chance, not a register: a film item's 必须 among its credits
    film = ("动画电影讲述一场意外事件导致世界陷入危机，超级间谍Lance Sterling必须和发明家Walter Beckett组队拯救世界。"
            "该片改编自2009年动画短片，北美明年九月上映。")
    page = "角色按照本人建模，预告按照惯例先在网上发布，配音演员名单按照字母排序公布，导演表示影片将按照原定计划上映，" * 2 + film
    assert official_rate(film) >= OFFICIAL_RATE and official_rate(page[:-len(film)]) >= OFFICIAL_REST_RATE
    assert official_text([Passage(len(page) - len(film), len(page), 0, len(film), len(film))], page, film) == []
    # prose copied is not a document's however official the suspect around it
    prosed = MORE_CLAUSES + LEAD
    prose = [Passage(len(MORE_CLAUSES), len(prosed), 0, len(LEAD), len(LEAD))]
    assert official_text(prose, prosed, LEAD) == []


def test_a_notices_clauses_both_carry_are_no_finding_but_the_reports_own_text_is(tmp_path):
    licensed = EXAM_REPORT + CLAUSES
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("report", licensed, "高考报名")])
        # another report reproducing the notice, with a clause the licensed report does not carry
        notice = d.check(Article("s", "本报讯 省教育考试院昨日发布普通高考报名工作的通知。" + CLAUSES + MORE_CLAUSES))
        assert notice.reprints == []
        assert [m.discounted for m in notice.matches if m.verification.is_reprint] == ["shared_text"]
        # the clauses pasted into an unrelated page may have been taken from the paper: still found
        pasted = d.check(Article("x", UNRELATED + "\n" + CLAUSES + "\n" + FLASH))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]
        # the report's own prose copied by the same notice-carrying page is a copy of the report
        middle = EXAM_REPORT[EXAM_REPORT.index("不少家长"):EXAM_REPORT.index("省教育考试院提醒")]
        prose = d.check(Article("p", "本报讯 省教育考试院昨日发布通知。" + middle + "\n" + MORE_CLAUSES))
        assert [m.verdict for m in prose.reprints] == ["partial_reprint"]
        # and the report taken whole is a copy whatever it holds
        assert [m.verdict for m in d.check(Article("c", "转载：" + licensed)).reprints] == ["full_reprint"]


# An invented company's chairman speaking at a public launch, reported by two outlets in their own words.
WORDS = ("今年我们在研发上的投入超过了过去五年的总和，新工厂明年投产以后，产能将提高三倍，出口市场会从东南亚"
         "扩展到中东和非洲，我们有信心在三年之内让自主品牌的销量占到公司总销量的一半以上。")
HERALD = ("临港日报讯 记者昨日从市工信局获悉，本市今年新增专精特新企业四十二家，数量居全省第二。"
          "在当天举行的新品发布会上，海川机械董事长林国栋表示，" + WORDS +
          "据了解，海川机械成立于一九九八年，目前拥有员工两千余人，去年营业收入突破三十亿元。")
EVENING = ("晚报快讯 海川机械昨天下午发布了三款新型挖掘机，吸引了来自二十多个国家的经销商到场。"
           "林国栋在发布会上称，" + WORDS + "现场多家经销商当场签下了意向订单，金额合计约五亿元。")


def test_spoken_words_start_at_an_attribution_in_both_texts_and_end_with_the_sentence():
    from reprintwatch.dedupe.relations import spoken_words

    passage = _passage
    at = EVENING.index(WORDS)
    assert spoken_words([passage(EVENING, HERALD, WORDS)], EVENING, HERALD) == [(at, at + len(WORDS))]
    # the shared text runs on past the speaker's sentence: only the sentence is the speaker's
    longer = "林国栋在发布会上称，" + WORDS + "据了解，海川机械成立于一九九八年"
    assert spoken_words([passage(longer + "。", HERALD, WORDS + "据了解，海川机械成立于一九九八年")], longer + "。", HERALD) \
        == [(10, 10 + len(WORDS))]
    # a shared start in the speaker's clause (the two name him with different titles) is his words too
    titled = "晚报快讯 三款新型挖掘机昨日发布。公司创始人林国栋表示，" + WORDS
    assert spoken_words([passage(titled, HERALD, "林国栋表示，" + WORDS)], titled, HERALD) \
        == [(titled.index("林国栋"), len(titled))]
    # a copy of the outlet's paragraph takes its words before the attribution too: prose
    copied = "转自网络。" + HERALD[HERALD.index("在当天举行"):]
    p = passage(copied, HERALD, HERALD[HERALD.index("在当天举行"):])
    assert spoken_words([p], copied, HERALD) == []
    # the words pasted bare, with no attribution in the suspect: no evidence it is someone's speech
    bare = "网友转发：\n" + WORDS
    assert spoken_words([passage("读者来信。" + WORDS, HERALD, WORDS)], "读者来信。" + WORDS, HERALD) == []
    assert spoken_words([passage(bare, HERALD, WORDS)], bare, HERALD) == [(bare.index(WORDS), len(bare))]  # a colon
    # words given to the outlet's own reporter are its interview, not a launch's speech
    told = HERALD.replace("林国栋表示，", "林国栋告诉本报记者，")
    assert spoken_words([passage(EVENING, told, WORDS)], EVENING, told) == []
    # a colon inside a title and the outlet's 据悉 are no attribution
    film, named = "新片《海川：钢铁年代》" + WORDS, "电影《海川：钢铁年代》" + WORDS
    assert spoken_words([passage(film, named, "钢铁年代》" + WORDS)], film, named) == []
    # 说 ending a noun is no verb of saying: 小说， is no speaker's clause
    novels = "笔下创作多部脍炙人口的武侠小说，包括《海川英雄传》等。"
    ours, theirs = "这位作家上午去世，他" + novels, "享年九十四岁。金庸" + novels
    assert spoken_words([passage(ours, theirs, novels)], ours, theirs) == []
    heard = "据悉，" + WORDS
    assert spoken_words([passage(heard, "另据悉，" + WORDS, WORDS)], heard, "另据悉，" + WORDS) == []


def _speech_no_finding_but_a_copy(d, report: str, copy: str) -> None:
    """Another report of the speech is no finding (a quotation); a copy of the outlet's paragraph is a partial."""
    other = d.check(Article("evening", report))
    assert other.reprints == []
    assert [m.discounted for m in other.matches if m.verification.is_reprint] == ["quotation"]
    assert [m.verdict for m in d.check(Article("copy", copy)).reprints] == ["partial_reprint"]


def test_a_speakers_words_two_reports_carry_are_no_finding_but_the_outlets_own_text_is(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("herald", HERALD + UNRELATED, "海川机械发布新品")])
        # another report of the launch (the chairman's words after its own attribution); a copy of the outlet's
        # paragraph, attribution and all
        _speech_no_finding_but_a_copy(d, EVENING, "转自网络。" + HERALD[HERALD.index("在当天举行"):] + FLASH)
        # an excerpt of the words pasted into an unrelated page is still found
        pasted = d.check(Article("x", FLASH + "\n" + WORDS + "\n" + METRO))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]


def _passage(suspect, licensed, text):
    from reprintwatch.dedupe.verify import Passage

    a, b = suspect.index(text), licensed.index(text)
    return Passage(a, a + len(text), b, b + len(text), len(text))


def test_spoken_words_after_a_bare_verb_and_after_a_quote_closing_on_an_attribution():
    from reprintwatch.dedupe.relations import spoken_words

    # an interview's transcript (林国栋：) against a report running the verb into his words (林国栋认为…)
    transcript = "问：新工厂什么时候投产？\n林国栋：" + WORDS
    reported = "对于产能问题，林国栋认为" + WORDS + "记者了解到，新工厂占地三百亩。"
    at = transcript.index(WORDS)
    assert spoken_words([_passage(transcript, reported, WORDS)], transcript, reported) == [(at, at + len(WORDS))]
    # the outlet's own voice is no speaker: 笔者认为… is an editorial's prose
    editorial = "对于产能问题，笔者认为" + WORDS
    assert spoken_words([_passage(transcript, editorial, WORDS)], transcript, editorial) == []
    # a shared start before a bare verb is no speaker's clause (要强调腰线 is advice; 你认为… a question)
    advice = "穿西服的关键就是要强调腰线，最简单的方法是搭配一条腰带。"
    other = "秋冬穿搭小贴士：穿西服的关键就是要强调腰线，最简单的方法是搭配一条腰带。"
    said = advice[:advice.index("，")]
    assert spoken_words([_passage(advice, other, said)], advice, other) == []

    # two reports of one speech: a quoted sentence, the same attribution, his words after it
    quote = "“明年我们的出口会翻一番，" + WORDS[:20] + "。”林国栋指出，" + WORDS
    herald = "临港日报讯 海川机械昨天发布新品。" + quote + "据了解，海川机械成立于一九九八年。"
    evening = "晚报快讯 海川机械新品亮相，经销商云集。" + quote + "现场签下意向订单五亿元。"
    shared = quote[quote.index("出口"):]  # starts inside the quote, runs past 林国栋指出， into his words
    at = evening.index(shared)
    assert spoken_words([_passage(evening, herald, shared)], evening, herald) == [(at, at + len(shared))]
    # a copy of the paragraph from before the quote took the outlet's sentence: prose
    para = herald[herald.index("海川机械昨天"):]
    copied = "转自网络：" + para
    assert spoken_words([_passage(copied, herald, para)], copied, herald) == []
    # a quote closing on the outlet's reporter is its interview, not a speech
    told = herald.replace("林国栋指出，", "林国栋告诉记者，")
    told_shared = shared.replace("林国栋指出，", "林国栋告诉记者，")
    evening_told = evening.replace("林国栋指出，", "林国栋告诉记者，")
    assert spoken_words([_passage(evening_told, told, told_shared)], evening_told, told) == []


def test_official_text_reads_fragments_of_a_licensed_item_that_is_the_document():
    from reprintwatch.dedupe.relations import official_rate, official_text, OFFICIAL_RATE

    notice = "省教育考试院关于做好普通高考报名工作的通知\n" + CLAUSES + MORE_CLAUSES
    assert official_rate(notice) >= OFFICIAL_RATE
    # a fragment of a clause: one marker, too few for the register by itself
    fragment = "具有高等学历教育资格的高校在校生；因违反国家教育考试规定被给予暂停参加考试处理且在停考期内的人员"
    own_clauses = ("（一）考生应当在规定时间内登录报名系统，按照要求如实填写报名信息。（二）考生须本人到报名点确认，"
                   "不得委托他人代办，逾期一律不予补办。（三）报考艺术类专业的考生，还须按照有关规定参加专业考试。")
    other = "本报讯 邻省今年的高考报名下周开始。" + own_clauses + "以下人员不能报名：" + fragment + "。"
    at = other.index(fragment)
    assert official_text([_passage(other, notice, fragment)], other, notice) == [(at, at + len(fragment))]
    # the same fragment of a report that is no document (a reporter's story) is left to the clauses' own register
    story = EXAM_REPORT.replace("主要条件是：", "主要条件是，") + "以下人员不能报名：" + fragment + "。"
    assert official_rate(story) < OFFICIAL_RATE
    assert official_text([_passage(other, story, fragment)], other, story) == []
    # the outlet's prose in a licensed item that reproduces a notice is no document's (its sentences: no marker)
    licensed = EXAM_REPORT + CLAUSES + MORE_CLAUSES
    prose = EXAM_REPORT[EXAM_REPORT.index("不少家长"):EXAM_REPORT.index("省教育考试院提醒")]
    copier = "本报讯 邻省今年的高考报名下周开始。" + prose + own_clauses
    assert official_rate(licensed) >= OFFICIAL_RATE
    assert official_text([_passage(copier, licensed, prose)], copier, licensed) == []
    # and an excerpt of the notice pasted into an unrelated page is still evidence (no register around it)
    pasted = UNRELATED + "\n" + fragment + "\n" + FLASH
    assert official_text([_passage(pasted, notice, fragment)], pasted, notice) == []


def test_two_reports_of_a_quote_and_the_words_after_its_attribution_make_no_finding(tmp_path):
    tail = "明年我们的出口会翻一番，经销商已经从二十个国家增加到三十五个。”林国栋指出，" + WORDS
    herald = "临港日报讯 海川机械昨天发布三款新型挖掘机。“今年的订单已经排到了" + tail + "据了解，海川机械成立于一九九八年。"
    evening = "晚报快讯 海川机械新品亮相，经销商云集。“订单都排到了" + tail + "现场签下意向订单五亿元。" + METRO
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("herald", herald + UNRELATED, "海川机械发布新品")])
        # the outlet's lead copied with the quote is a copy
        _speech_no_finding_but_a_copy(d, evening, "转自网络。" + herald[herald.index("海川机械昨天"):] + FLASH)


def test_numbered_items_of_a_list_are_read_as_the_clause_that_opens_them():
    from reprintwatch.dedupe.relations import numbered_item

    text = "下列人员不得报名：1。具有高等学历教育资格的高校在校生；2。高级中等教育学校非应届毕业的在校生（经核准的除外）。"
    for inside in ("具有", "高级中等", "经核准"):
        assert numbered_item(text, text.index(inside)), inside
    assert numbered_item(text, text.index("2。"))  # a passage starting at the number
    listed = "（1）烈士子女；（2）在服役期间荣立二等功以上的退役军人。5、现役军人子女：军人烈士子女，因公牺牲军人的子女"
    for inside in ("烈士子女", "在服役", "因公牺牲"):
        assert numbered_item(listed, listed.index(inside)), inside
    # prose: a figure's decimal point, a sentence after an item's end, no number at all
    prose = "他说价格涨了3.5元。今年的目标是增加收入；具体做法如下。1、多读书。读书之外，还要多运动。"
    for outside in ("元", "增加", "具体", "读书之外"):
        assert not numbered_item(prose, prose.index(outside)), outside


def test_official_text_takes_a_documents_numbered_items_without_markers():
    from reprintwatch.dedupe.relations import _in_register, official_text

    # an invented notice's list of who gets extra points: items with no marker of the register
    items = ("（1）在服役期间荣立二等功以上的退役军人；（2）从边疆山区牧区转学到本省就读的少数民族考生；"
             "（3）归侨子女和华侨子女；（4）台湾省籍考生。")
    own_clauses = ("（一）考生应当在规定时间内登录报名系统，按照要求如实填写报名信息。（二）考生须本人到报名点确认，"
                   "不得委托他人代办，逾期一律不予补办。（三）报考艺术类专业的考生，还须按照有关规定参加专业考试。")
    notice = "本报讯 省教育考试院发布招生照顾对象审核办法。" + own_clauses + "下列考生加分投档：" + items
    other = "晚报讯 邻省公布照顾政策。今年照顾对象如下：" + items + "以上考生须在报名时提交证明材料。" + FLASH
    assert not _in_register(other)
    first = items[items.index("在服役"):items.index("；（2）")]
    passages = [_passage(notice, other, first)]
    at = notice.index(first)
    assert official_text(passages, notice, other) == [(at, at + len(first))]
    # the same words as the suspect's prose, not an item of its list: a copy as before
    prose_notice = notice.replace("（1）在服役", "据悉，在服役")
    assert official_text([_passage(prose_notice, other, first)], prose_notice, other) == []
    # a numbered item of the suspect whose licensed text is a story (no list, no register): a copy
    story = EXAM_REPORT + "记者了解到，" + first + "的子女也在照顾之列。"
    assert official_text([_passage(notice, story, first)], notice, story) == []
    # a list of tips in an item whose own text is no document (no register beyond the list): a copy
    tips = "健康时报讯 专家给出三条建议：（1）" + first + "；（2）多喝水。" + FLASH
    assert official_text([_passage(tips, other, first)], tips, other) == []


# An invented game reported by two outlets, each in its own words around the same box score.
BOX = ("最终海港队以103比98险胜河西队。海港队方面，陈立明拿下28分11个篮板，周子航得到19分7次助攻，外援卡特贡献15分9个篮板；"
       "河西队的林书豪斯砍下31分6个篮板，王一鸣17分。")
GAME = ("本报讯 昨晚，城市篮球联赛第十二轮在体育中心进行，主场作战的海港队迎来强敌河西队。首节比赛双方你来我往，海港队凭借"
        "主教练赛前布置的联防战术一度取得两位数领先，但河西队在第三节打出一波反击，林书豪斯连续命中三分。" + BOX +
        "赛后主教练表示球队的防守还需要加强，下一场将客场挑战东岭队。")
RECAP = ("体育频道消息 11月9日晚，海港队坐镇主场迎战河西队，现场观众达到6200人。全场比赛海港队命中率47%，三分球34投13中，"
         "周子航和陈立明在末节关键时刻连续得分，林书豪斯的最后一投偏出。" + BOX + "这场胜利让海港队的战绩来到9胜3负，暂列积分榜第二位。")


def test_facts_of_one_event_are_figures_the_suspect_reports_with_its_own_figures():
    from reprintwatch.dedupe.fingerprint import FingerprintParams, fingerprint
    from reprintwatch.dedupe.relations import EVENT_PASSAGE_FIGURES, facts_of_one_event, figure_rate
    from reprintwatch.dedupe.verify import Passage
    from reprintwatch.detector import _fact_starts

    def box_in(suspect, licensed=GAME, text=BOX):
        a, b = suspect.index(text), licensed.index(text)
        return facts_of_one_event([Passage(a, a + len(text), b, b + len(text), len(text))], suspect, licensed, [],
                                  _fact_starts(fingerprint(suspect, FingerprintParams())))

    assert figure_rate(BOX) >= EVENT_PASSAGE_FIGURES > figure_rate(GAME[:GAME.index(BOX)])
    at = RECAP.index(BOX)
    first = BOX.index("。") + 1  # sentence by sentence: both of the box score's sentences are figures
    assert box_in(RECAP) == [(at, at + first), (at + first, at + len(BOX))]  # another report: its own figures
    # the box score pasted into an unrelated page: no event in common around it
    pasted = UNRELATED + "\n" + BOX + "\n" + METRO
    assert box_in(pasted) == []
    # a copy of the whole report with the outlet's figures only (a wash keeps the figures and adds none)
    washed = GAME.replace("本报讯 昨晚", "昨天晚上").replace("你来我往", "互有攻守").replace("还需要加强", "仍需提高")
    assert box_in(washed) == []
    # prose is not facts however much of the event the two texts share
    prose = GAME[GAME.index("首节"):GAME.index(BOX)]
    assert box_in(RECAP.replace(BOX, prose), text=prose) == []


def test_a_box_score_two_reports_carry_is_no_finding_but_the_outlets_own_text_is(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("game", GAME + "\n" + FLASH, "海港队险胜河西队")])
        other = d.check(Article("recap", RECAP))
        assert other.reprints == []
        assert [m.discounted for m in other.matches if m.verification.is_reprint] == ["shared_text"]
        # the outlet's paragraph copied with the box score into the same recap: the paragraph is a copy
        para = GAME[GAME.index("昨晚"):GAME.index(BOX)]
        copied = d.check(Article("copy", RECAP.replace(BOX, para + BOX)))
        assert [(m.licensed.id, m.verdict) for m in copied.reprints] == [("game", "full_reprint")]
        # the box score pasted into an unrelated page is still found
        pasted = d.check(Article("x", UNRELATED + "\n" + BOX + "\n" + METRO))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]


def test_a_licensed_item_that_is_a_state_organs_document_is_nobodys_text_in_a_partial():
    from reprintwatch.dedupe.relations import official_item, official_text
    from tests.test_legal import NOTICE, NOTICE_TITLE

    # a WeChat repost of the notice with one line of its own: rules 10's own-text test cannot see it
    repost = "西岭2027高考报名要点来了，请往下拉！" + NOTICE[NOTICE.index("一、报名条件"):NOTICE.index("三、资格审查")]
    clause = "二、报名时间。考生应当在规定时间内完成网上报名，逾期不予补报。"
    passages = [_passage(repost, NOTICE, clause)]
    at = repost.index(clause)
    assert official_item(NOTICE_TITLE, NOTICE)
    assert official_text(passages, repost, NOTICE) == []
    assert official_text(passages, repost, NOTICE, (), lambda: official_item(NOTICE_TITLE, NOTICE)) == [(at, at + len(clause))]
    # a report on the notice (a reporter's voice), a university's 简章: the outlet's or the university's text
    report = "记者从西岭省教育考试院获悉，" + NOTICE
    assert not official_item("西岭公布2027年高考报名须知", report)
    assert official_text([_passage(repost, report, clause)], repost, report, (),
                         lambda: official_item("西岭公布2027年高考报名须知", report)) == []
    assert not official_item("西岭大学2027年硕士研究生招生简章", NOTICE)
    # asked only when rules 10–12 take nothing
    asked = []
    official_text(passages, repost, NOTICE, (), lambda: asked.append(1) or True)
    assert asked == [1]


def test_a_state_organs_document_is_no_finding_in_a_repost_but_pasted_into_a_page_it_is(tmp_path):
    from reprintwatch.articles import Article
    from reprintwatch.detector import Detector
    from reprintwatch.index.sqlite import SQLiteIndex
    from tests.test_legal import NOTICE, NOTICE_TITLE

    part = NOTICE[NOTICE.index("一、报名条件"):NOTICE.index("三、资格审查")]
    with SQLiteIndex(tmp_path / "l.db") as index:
        d = Detector(index)
        d.add([Article("notice", NOTICE, NOTICE_TITLE, "西岭教育")])
        # a repost that is mostly the notice: the province's text, nobody's to claim
        repost = d.check(Article("r", "西岭2027高考报名要点来了，请往下拉！" + part, "西岭高考报名要点"))
        assert repost.reprints == []
        assert [m.discounted for m in repost.matches if m.verification.is_reprint] == ["shared_text"]
        # the same clauses pasted into a page mostly of other text may be the outlet's copy: still found
        pasted = d.check(Article("x", UNRELATED + "\n" + part + "\n" + METRO + FLASH))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]


# An invented report that reproduces a regulator's statement after a cue, and a report presenting it by name.
STATEMENT = ("监管委员会关注到，投资者经由无牌平台接触数字资产的兴趣日益增加，并识别到由此引起的重大风险。"
             "为应对有关风险，委员会现正就资产管理公司应达到的监管标准发出指引，并探索规管交易平台的概念性框架。")
CUED = ("金融周刊讯 监管委员会昨日发布新规，业界反应热烈，多家机构连夜研究应对方案，分析人士认为此举具有破冰意义，"
        "将加快推动行业合规化运营，头部交易平台有望率先获得牌照，中小平台则面临整合压力。"
        "以下为《数字资产监管规定》原文：" + STATEMENT)


def test_a_reproduced_documents_passage_counts_out_where_the_suspect_names_the_document():
    from reprintwatch.dedupe.relations import presented_as_document, presented_as_speech

    words = STATEMENT[STATEMENT.index("为应对"):]
    named = "本报记者 昨日下午，委员会正式下发《规定》表示要关注风险。" + words + "记者注意到，多家平台已暂停新用户注册。"
    at = named.index(words)
    assert presented_as_document((at, at + len(words)), named)
    assert presented_as_speech((at, at + len(words)), named, [])
    # one sentence back, not more: the report's own sentences in between make it the report's
    far = "本报记者 昨日下午，委员会正式下发《规定》。多家平台连夜开会研究对策。" + words
    at = far.index(words)
    assert not presented_as_document((at, at + len(words)), far)
    # a film's name is no document; a passage in a text's first sentence has no sentence before it
    film = "电影《流浪地球》今日定档。" + words
    assert not presented_as_document((film.index(words), len(film)), film)
    assert not presented_as_document((0, len(words)), words)


def test_a_document_the_licensed_item_reproduces_named_by_the_suspect_makes_no_finding(tmp_path):
    from reprintwatch.articles import Article
    from reprintwatch.detector import Detector
    from reprintwatch.index.sqlite import SQLiteIndex

    named = ("北方商报讯 昨日下午，监管委员会正式下发《规定》表示关注到，投资者经由无牌平台接触数字资产的兴趣日益增加，"
             "并识别到由此引起的重大风险。" + STATEMENT[STATEMENT.index("为应对"):] + FLASH)
    lead = CUED[CUED.index("监管委员会昨日"):CUED.index("以下为")]
    with SQLiteIndex(tmp_path / "l.db") as index:
        d = Detector(index)
        d.add([Article("cued", CUED, "数字资产监管规定（全文）", "金融周刊")])
        check = d.check(Article("named", named, "监管委员会明确数字资产监管思路"))
        assert check.reprints == []
        assert [m.discounted for m in check.matches if m.verification.is_reprint] == ["shared_text"]
        # the statement pasted bare into an unrelated page may be the paper's copy: still found
        pasted = d.check(Article("x", UNRELATED + "\n" + STATEMENT + "\n" + METRO))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]
        # the outlet's own lead copied by a page naming the document: a copy of the outlet
        copy = d.check(Article("copy", "北方商报讯 " + lead + "《规定》全文见官网。" + FLASH, "数字资产新规"))
        assert [m.verdict for m in copy.reprints] == ["partial_reprint"]


# An invented round of appointments: the officials' careers, and a reporter's observation on one of them.
CAREER = ("林远曾历任省教育厅高教处处长，省教育厅副厅长，省委教育工委副书记、省教育厅厅长等职务。"
          "许清曾担任教育部高教司副司长、教育部学位管理司司长、国际交流司司长等职。")
OBSERVED = "从同一所大学的书记转任校长，这种调动很罕见，在今年调整的二十余所高校中是唯一一例，校内也从未有过先例。"
ROUND = ("本报讯 教育部网站昨日公布，中共中央、国务院决定，王明任东岭大学党委书记（副部长级），免去李华的东岭大学党委书记职务。"
         "同日，赵强任西岭大学校长，周文不再担任西岭大学校长职务。记者梳理发现，新任的两位负责人均为六十后，"
         "此前均在高校工作多年。")


def test_career_lines_of_an_appointments_report_are_the_states_record_but_an_observation_is_prose():
    from reprintwatch.dedupe.relations import career_lines

    suspect = ROUND + CAREER + OBSERVED
    licensed = "晚报讯 记者梳理发现，今年高校人事调整中外部调任占多数，学者出身的一把手居多。" + CAREER + OBSERVED + FLASH
    passages = [_passage(suspect, licensed, CAREER + OBSERVED)]
    a, b = suspect.index(CAREER), suspect.index(OBSERVED)
    first = CAREER.index("。") + 1
    assert career_lines(passages, suspect, licensed) == [(a, a + first), (a + first, b)]
    # the suspect's own text is no appointments report (a page the lines were pasted into): a copy
    pasted = UNRELATED + CAREER + OBSERVED
    assert career_lines([_passage(pasted, licensed, CAREER + OBSERVED)], pasted, licensed) == []
    # a reporter's sentence naming two posts is an observation, not a career line
    assert career_lines([_passage(suspect, licensed, OBSERVED)], suspect, licensed) == []


# rules 13 (wip/speech9): an invented company's answers to its users, and its chairman's post.
ANSWER = ("我们已经在全部门店上线了延保服务，购买整机的用户可以在三十天内免费申请，维修期间提供同型号备用机，"
          "如果三次维修仍未解决问题，可以直接更换新机。")
POST = "今天是海川机械成立二十周年的日子，感谢每一位陪我们走过风雨的员工和客户，下一个二十年我们继续出发"


def test_spoken_words_after_a_verb_with_le_and_later_in_the_attributions_sentence():
    from reprintwatch.dedupe.relations import spoken_words

    # 了 between the verb and its comma (…提到了，)
    mentioned = "临港日报讯 海川机械昨天发布新品。林国栋在发布会上提到了，" + WORDS + "据了解，新工厂占地三百亩。"
    at = EVENING.index(WORDS)
    assert spoken_words([_passage(EVENING, mentioned, WORDS)], EVENING, mentioned) == [(at, at + len(WORDS))]
    # the words start later in the sentence each text's attribution opens (its own clause between)
    herald = "临港日报讯 海川机械昨天发布新品。林国栋表示，在新的发展阶段，" + WORDS + "据了解，新工厂占地三百亩。"
    evening = "晚报快讯 新品亮相。林国栋强调，公司下一步的目标是：不争第一，" + WORDS + "现场签下意向订单五亿元。"
    at = evening.index(WORDS)
    assert spoken_words([_passage(evening, herald, WORDS)], evening, herald) == [(at, at + len(WORDS))]
    # no attribution in the suspect's sentence: the outlet's own words
    plain = "晚报快讯 新品亮相。公司下一步的目标很明确，" + WORDS
    assert spoken_words([_passage(plain, herald, WORDS)], plain, herald) == []
    # a copy of the paragraph with a word swapped after the attribution: the copy holds the outlet's words before
    # it (another passage), so what follows is copied prose too
    copied = "转自网络。海川机械昨天发布新品。林国栋表示，在新发展阶段，" + WORDS
    lead = "海川机械昨天发布新品。林国栋表示，在新"
    passages = [_passage(copied, herald, lead), _passage(copied, herald, WORDS)]
    assert spoken_words(passages, copied, herald) == []
    # nor words given to the outlet's own reporter
    told = herald.replace("林国栋表示，", "林国栋告诉记者，")
    assert spoken_words([_passage(evening, told, WORDS)], evening, told) == []


def test_a_post_the_suspect_embeds_and_quotes_is_a_quotation_where_it_quotes_it():
    from reprintwatch.dedupe.relations import quotations

    # the post embedded at the page's top, then quoted in the report; a round-up gives it after 林国栋：
    page = POST + "\n晚报快讯 林国栋昨天在微博发文。他写道：“" + POST + "。”据悉，海川机械将于下月举行庆典。"
    roundup = "企业家们纷纷送上祝福。■王海：祝海川越来越好。■林国栋：" + POST + "。■李明：二十年不容易。"
    from reprintwatch.dedupe.verify import Passage

    embedded = _passage(page, roundup, POST)  # the post's first place in the page: its top
    b, at = page.index("“") + 1, roundup.index(POST)
    quoted = Passage(b, b + len(POST), at, at + len(POST), len(POST))
    assert quotations([embedded, quoted], quoted_spans(page), roundup, page) == [(b, b + len(POST)), (0, len(POST))]
    # the post alone, not quoted anywhere in the suspect: nothing says it is someone's words there
    assert quotations([embedded], quoted_spans(page), roundup, page) == []
    # a passage holding the round-up's prose around the post is no repeat of the quotation
    prose = "企业家们纷纷送上祝福。"
    other = _passage("x" + prose, roundup, prose)
    assert (1, 1 + len(prose)) not in quotations([other, quoted], quoted_spans(page), roundup, page)


def test_a_companys_answers_the_suspect_prints_whole_and_the_licensed_report_quotes_are_not_the_reports():
    from reprintwatch.dedupe.quotes import reproduced_spans
    from reprintwatch.dedupe.relations import said_documents

    question = "延保服务怎么申请？"
    qa = ("本报讯 海川电器昨日公布了用户意见征集的结果。以下是海川电器公布的用户关心问题的反馈：1、用户：" + question
          + ANSWER + "（来自售后服务部）2、用户：门店营业到几点？每天早九点到晚九点。")
    report = ("临港日报讯 海川电器昨日公布用户意见征集结果。有用户询问，" + question + "对此，海川电器表示，" + ANSWER
              + "记者注意到，海川电器今年已新开门店十二家。")
    assert reproduced_spans(qa) == [(qa.index("1、用户"), len(qa))]
    at = qa.index(ANSWER)
    assert said_documents([_passage(qa, report, ANSWER)], qa, report) == [(at, at + len(ANSWER))]
    # the report's own sentence is not presented as anyone's words: it stays evidence
    own = report.replace("对此，海川电器表示，", "对此，")
    assert said_documents([_passage(qa, own, ANSWER)], qa, own) == []
    # a page without the cue printed no document: nothing is counted out
    bare = qa.replace("以下是海川电器公布的用户关心问题的反馈：", "")
    assert said_documents([_passage(bare, report, ANSWER)], bare, report) == []


ANSWER_2 = ("门店的营业时间是每天早上九点到晚上九点，节假日照常营业，线上客服二十四小时在线，"
            "用户也可以通过官方小程序预约上门安装，安装费用全部由公司承担。")


def test_a_companys_qa_printed_whole_is_no_copy_of_a_report_quoting_it_but_the_reports_paragraph_is(tmp_path):
    report = ("临港日报讯 海川电器昨日公布用户意见征集结果。有用户询问，延保服务怎么申请？对此，海川电器表示，" + ANSWER
              + "另有用户关心门店的营业时间。海川电器回应，" + ANSWER_2 + "记者注意到，海川电器今年已新开门店十二家。")
    qa = ("本报讯 海川电器昨日公布了用户意见征集的结果。以下是海川电器公布的用户关心问题的反馈：1、用户：延保服务怎么申请？"
          + ANSWER + "（来自售后服务部）2、用户：门店营业到几点？" + ANSWER_2 + "（来自门店运营部）")
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("report", report + UNRELATED, "海川电器公布意见征集结果")])
        assert [m.verification.verdict for m in d.check(Article("qa", qa)).matches] == ["partial_reprint"]
        assert d.check(Article("qa", qa)).reprints == []
        # the report copied, its attributions and own sentences with the answers: a copy
        copy = "转自网络。" + report[report.index("海川电器昨日"):] + FLASH
        assert [m.licensed.id for m in d.check(Article("copy", copy)).reprints] == ["report"]


def test_a_partys_paper_speaking_is_its_words_even_with_the_whole_clause_copied():
    """rules 14 (wip/statements10): 声明中表示，/ 发布公告称， (a date ahead of it) name a paper, not a person an
    excerpt starts at: held whole in both texts, the words after it are still the paper's."""
    from reprintwatch.dedupe.relations import spoken_words

    clause = "海川机械在声明中表示，"
    ours = "晚报快讯 海川机械昨晚发布声明，否认网传消息。" + clause + WORDS + "记者致电公司未获回应。"
    theirs = "临港日报讯 海川机械方面昨日发声明辟谣。" + clause + WORDS + "据了解，海川机械成立于一九九八年。"
    at = ours.index(clause)
    assert spoken_words([_passage(ours, theirs, clause + WORDS)], ours, theirs) == [(at, at + len(clause + WORDS))]
    # a date ahead of the company's announcement: the day it came out, which both give
    dated = "10月22日，海川机械发布公告称，"
    ours2, theirs2 = "周报 05 海川扩产。" + dated + WORDS, "临港日报讯 虽遭质疑，海川仍将扩产。" + dated + WORDS + "据了解。"
    at = ours2.index(dated)
    assert spoken_words([_passage(ours2, theirs2, dated + WORDS)], ours2, theirs2) == [(at, at + len(dated + WORDS))]
    # a person's clause held whole stays the price of an excerpt starting at a speaker's name (rules 11) ...
    person = "海川机械董事长林国栋表示，"
    ours3, theirs3 = "晚报快讯 新品亮相。" + person + WORDS, HERALD
    assert spoken_words([_passage(ours3, theirs3, person + WORDS)], ours3, theirs3) == []
    # ... and a date ahead of a person's words is the outlet's own sentence
    dated_person = "10月22日，林国栋表示，"
    ours4, theirs4 = "周报。" + dated_person + WORDS, "日报讯 新品亮相。" + dated_person + WORDS
    assert spoken_words([_passage(ours4, theirs4, dated_person + WORDS)], ours4, theirs4) == []


def test_words_handed_over_with_a_colon_run_past_the_first_sentence_and_count_again_where_embedded():
    """rules 14 (wip/statements10): 写道：… is a block (a post) to the paragraph's end in both texts; 表示，… one
    sentence; a bare 导语：… no speech beyond its sentence; the post embedded at the suspect's top is the same words."""
    from reprintwatch.dedupe.relations import spoken_words

    more = "愿公司越办越好，也感谢一路同行的每一位员工。"
    block = WORDS + more
    ours = "晚报快讯 林国栋昨天在微博发文。他写道：" + block + "\n据悉，海川机械将于下月举行庆典。"
    theirs = "企业家们纷纷送上祝福。海川机械董事长林国栋写道：" + block + "\n王海则表示祝贺。"
    at = ours.index(block)
    assert spoken_words([_passage(ours, theirs, block)], ours, theirs) == [(at, at + len(block))]
    # after a comma, one sentence only
    comma_ours, comma_theirs = ours.replace("写道：", "表示，"), theirs.replace("写道：", "表示，")
    at = comma_ours.index(block)
    assert spoken_words([_passage(comma_ours, comma_theirs, block)], comma_ours, comma_theirs) == [(at, at + len(WORDS))]
    # one text hands over with a colon, the other with a comma: the shorter region, one sentence
    assert spoken_words([_passage(ours, comma_theirs, block)], ours, comma_theirs) == \
        [(ours.index(block), ours.index(block) + len(WORDS))]
    # a bare colon (导语：) is no verb of saying: no block beyond the sentence
    lead_ours, lead_theirs = "导语：" + block, "时尚 导语：" + block
    assert spoken_words([_passage(lead_ours, lead_theirs, block)], lead_ours, lead_theirs) == [(3, 3 + len(WORDS))]
    # the post embedded at the page's top too: that passage's licensed side is inside the block's
    page = block + "\n" + ours
    from reprintwatch.dedupe.verify import Passage

    top = Passage(0, len(block), theirs.index(block), theirs.index(block) + len(block), len(block))
    b = page.index("写道：") + 3
    quoted = Passage(b, b + len(block), theirs.index(block), theirs.index(block) + len(block), len(block))
    assert sorted(spoken_words([top, quoted], page, theirs)) == [(0, len(block)), (b, b + len(block))]
    # alone, the top's bare post has no attribution before it
    assert spoken_words([top], page, theirs) == []


# --- rules 14 (wip/official10) -------------------------------------------------------------------------------------

NOTICE_HEAD = "各市、县（区）教育招生考试机构：根据上级工作安排，结合我省实际，现将有关事项通知如下："


def test_a_suspect_that_is_itself_a_document_has_its_claims_counted_out_but_a_report_or_a_pasted_excerpt_not():
    from reprintwatch.dedupe.relations import own_document, reads_as_document

    # a province's notice (addressees, clauses, the register, no reporter) carrying the clauses a report carries too
    notice = NOTICE_HEAD + CLAUSES + MORE_CLAUSES
    assert reads_as_document(notice)
    report = EXAM_REPORT + CLAUSES
    claim = [_passage(notice, report, CLAUSES)]
    at = notice.index(CLAUSES)
    assert own_document(claim, notice, report, [], lambda: reads_as_document(notice)) == [(at, at + len(CLAUSES))]
    # a report about the notice speaks in a reporter's voice: not a document, whatever its register
    told = "晨报讯 记者昨天获悉，" + CLAUSES + MORE_CLAUSES
    assert not reads_as_document(told)
    # the clauses pasted into an unrelated page: the page around them is no document's text (a short page may read
    # as one as a whole: rules 10's test of its own text decides)
    pasted = UNRELATED + "\n" + CLAUSES + "\n" + FLASH
    assert own_document([_passage(pasted, report, CLAUSES)], pasted, report, [], lambda: reads_as_document(pasted)) == []
    # the licensed item a document too (two documents, or a document and its copy): not this rule's
    assert own_document(claim, notice, NOTICE_HEAD + CLAUSES, [], lambda: True) == []
    # a document whose own text is held by another claim (a 拼接稿 of two notices) has none of its own
    more = notice.index(MORE_CLAUSES)
    assert own_document(claim, notice, report, [(more, len(notice))], lambda: True) == []
    # asked only when there is something to count out
    asked = []
    assert own_document([], notice, report, [], lambda: asked.append(1) or True) == [] and not asked


def test_a_reading_that_quotes_a_statement_sentence_after_sentence_after_one_attribution_is_no_source_of_it():
    from reprintwatch.dedupe.relations import said_documents

    s1 = "监管机构将与有意依循严格标准的交易平台营运者合作，方法是将它们纳入监管沙盒。"
    s2 = "在初步探索阶段，监管机构将不会向平台营运者发牌，而会与平台营运者讨论应达到的监管标准。"
    s3 = "经过至少十二个月后，平台营运者可向监管机构申请修改部分发牌条件及退出沙盒。"
    full = "本报讯 监管机构昨日发布声明。以下为声明原文：" + s1 + "此外，" + s2 + "其后，" + s3
    reading = "出品：区块链研究 沙盒监管至少十二个月。新规称，" + s1 + s2 + s3 + "\n解析：新规对交易平台的监管分为两个阶段。"
    passages = [_passage(full, reading, x) for x in (s1, s2, s3)]
    assert said_documents(passages, full, reading) == [(full.index(x), full.index(x) + len(x)) for x in (s1, s2, s3)]
    # after a line break the reading speaks in its own words: what it shares there stays evidence
    own = "出品：区块链研究 沙盒监管至少十二个月。新规称，" + s1 + "\n" + s2 + s3
    passages = [_passage(full, own, x) for x in (s1, s2, s3)]
    assert said_documents(passages, full, own) == [(full.index(s1), full.index(s1) + len(s1))]
    # an attribution earlier in the licensed sentence (新规称，在现有制度下，…), nothing of it copied before
    late = "出品：区块链研究 新规称，在现有制度下，" + s1
    assert said_documents([_passage(full, late, s1)], full, late) == [(full.index(s1), full.index(s1) + len(s1))]


RULE = ("国家统一招生的普通高校毕业生离校时和在择业期内未落实工作单位，其户口、档案、组织关系保留在原毕业学校，"
        "或保留在各级毕业生就业主管部门、各级人才交流服务机构和各级公共就业服务机构的毕业生，也按照应届高校毕业生对待。")


def test_a_rule_the_suspect_quotes_as_such_is_the_rules_but_a_rule_pasted_bare_or_prose_is_evidence():
    from reprintwatch.dedupe.quotes import quoted_spans
    from reprintwatch.dedupe.relations import quoted_rules

    guide = "8。往届毕业生可否以应届毕业生的身份报考？" + RULE + "9。报考人员可以报考几个职位？只能选择一个职位。"
    feature = "很多留学生回国找工作时都担心自己是不是应届生。公务员招录考试中对应届毕业生的界定是：" + RULE + "其实，海归的身份由用人单位界定。"
    at = feature.index(RULE)
    # the definition split in two passages by a word the feature changed: both are the rule's
    cut = RULE.index("或保留")
    passages = [_passage(feature, guide, RULE[:cut]), _passage(feature, guide, RULE[cut:])]
    assert quoted_rules(passages, feature, quoted_spans(feature)) == [(at, at + cut), (at + cut, at + len(RULE))]
    # pasted bare on a line of its own (an excerpt: bench/quality.py), it may be the guide's copy
    pasted = UNRELATED + "\n" + RULE + "\n" + FLASH
    assert quoted_rules([_passage(pasted, guide, RULE)], pasted, quoted_spans(pasted)) == []
    # the outlet's words before the colon copied with it: the passage starts before the colon, prose
    lead = "公务员招录考试中对应届毕业生的界定是："
    both = lead + RULE
    assert quoted_rules([_passage(feature, lead + RULE + "其实", both)], feature, quoted_spans(feature)) == []
    # prose after a colon is no rule
    prose = "记者了解到：" + LEAD
    assert quoted_rules([_passage(prose, LEAD, LEAD)], prose, quoted_spans(prose)) == []


def test_a_quoted_rule_is_one_sentence_not_prose_pasted_after_a_cue():
    """bench/quality.py's 拼接稿 joins its sources with 业内人士指出，; a source's passage running past its first sentence
    is pasted prose, not a rule quoted as such (the merged rules 14 lost two stitched sources that way)."""
    from reprintwatch.dedupe.quotes import quoted_spans
    from reprintwatch.dedupe.relations import quoted_rules

    second = "各地教育部门应当按照本通知规定，做好毕业生就业统计和档案转递工作。"
    report = "本报讯 教育部日前发布通知。" + RULE + second + "记者注意到，多地已出台配套措施。"
    stitched = UNRELATED + "\n业内人士指出，" + RULE + second + "\n" + FLASH
    two = _passage(stitched, report, RULE + second)
    assert quoted_rules([two], stitched, quoted_spans(stitched)) == []
    # the same cue before the rule's one sentence: the rule's
    one = _passage(stitched, report, RULE)
    at = stitched.index(RULE)
    assert quoted_rules([one], stitched, quoted_spans(stitched)) == [(at, at + len(RULE))]


# --- rules 15 (wip/speech11) ---------------------------------------------------------------------------------------

TRIBUTE = ("听到这个消息非常突然，也非常不舍。先生的作品陪伴了我整个青春，当年能出演他笔下的角色，我觉得非常荣幸。"
           "愿先生一路走好，家人节哀。")


def test_a_block_under_a_name_runs_on_where_both_texts_cue_it_with_a_clause_of_their_own():
    """rules 15 (wip/speech11): two reports each give a tribute under the speaker's name and a colon, each with its
    own clause (汪明荃： / 汪明荃（…扮演者）：): the words run on past their first sentence; the same clause in both
    (导语：, a copied item), or one text holding the whole clause, stays one sentence."""
    from reprintwatch.dedupe.relations import spoken_words

    ours = "晚报讯 多位演员昨日发文悼念。林若兰：" + TRIBUTE + "\n张明：先生千古。"
    theirs = "影视圈纷纷悼念。林若兰（1986版《江湖行》女主角扮演者）：" + TRIBUTE + "\n王海：一路走好。"
    at = ours.index(TRIBUTE)
    assert spoken_words([_passage(ours, theirs, TRIBUTE)], ours, theirs) == [(at, at + len(TRIBUTE))]
    first = TRIBUTE.index("。") + 1
    # the same clause before the colon in both (one cue): one sentence, as rules 14 keeps a bare colon
    same = theirs.replace("林若兰（1986版《江湖行》女主角扮演者）：", "演员林若兰：")
    assert spoken_words([_passage(ours, same, TRIBUTE)], ours, same) == [(at, at + first)]
    # the suspect holds the licensed text's whole clause (an excerpt from the name on): one sentence
    named = "林若兰：" + TRIBUTE
    copy = "转载。" + named
    assert spoken_words([_passage(copy, theirs.replace("（1986版《江湖行》女主角扮演者）", ""), named)], copy,
                        theirs.replace("（1986版《江湖行》女主角扮演者）", "")) == []
    # two headings naming no one speaker (a synopsis under 剧情： and 简介：): one sentence
    plot_ours, plot_theirs = ours.replace("林若兰：", "剧情："), theirs.replace("林若兰（1986版《江湖行》女主角扮演者）：", "简介：")
    at = plot_ours.index(TRIBUTE)
    assert spoken_words([_passage(plot_ours, plot_theirs, TRIBUTE)], plot_ours, plot_theirs) == [(at, at + first)]
    # after a comma with clauses of their own: one sentence (rules 14)
    comma_ours, comma_theirs = ours.replace("林若兰：", "林若兰表示，"), theirs.replace("扮演者）：", "扮演者）表示，")
    at = comma_ours.index(TRIBUTE)
    assert spoken_words([_passage(comma_ours, comma_theirs, TRIBUTE)], comma_ours, comma_theirs) == [(at, at + first)]


def test_words_a_text_hands_over_right_there_and_the_other_earlier_in_its_sentence_are_the_speakers():
    """rules 15: the licensed text hands the words over at the passage (还表示：), the suspect earlier in its sentence
    (在信中表示，明年，…；…), nothing before the attribution copied; with the suspect's lead copied, prose."""
    from reprintwatch.dedupe.relations import spoken_words

    said = "更要做好生态共建者，与各行各业的合作伙伴一起建设数字生态共同体，让每个参与者都能进行数字创新"
    theirs = "科技讯 海川科技昨日发布致合作伙伴的信。林国栋还表示：同时我们" + said + "。以下是信件全文：……"
    ours = "人物盘点。林国栋在致合作伙伴的信中表示，明年，公司要做好连接器；" + said + "。他还谈到了出海。"
    at = ours.index(said)
    assert spoken_words([_passage(ours, theirs, said)], ours, theirs) == [(at, at + len(said))]
    # the suspect's words before its attribution are the licensed text's, just before the shared words: a copy
    lead = "海川科技昨日发布致合作伙伴的信"
    copied = "人物盘点。" + lead + "，林国栋表示，明年，公司要做好连接器；" + said + "。"
    from reprintwatch.dedupe.verify import Passage

    a, b = copied.index(lead), theirs.index(lead)
    ps = [Passage(a, a + len(lead), b, b + len(lead), len(lead)), _passage(copied, theirs, said)]
    assert spoken_words(ps, copied, theirs) == []


SPEECH_TEXT = ("各位来宾，女士们，先生们：今天，我们在这里隆重集会。为进一步扩大开放，我们将推动区域合作深入发展，"
               "坚定维护多边贸易规则，支持对多边机制进行必要改革。我们将继续推进港口和铁路建设，搭建更多贸易促进平台，"
               "鼓励更多有实力、信誉好的企业到沿线国家开展投资合作，深化科技、文化、民生等各领域交流。"
               "我们将营造一流的营商环境，对在本地注册的各类企业一视同仁、平等对待，保护外资企业的合法权益。谢谢大家。")


def test_a_reproduced_speech_the_suspect_attributes_earlier_in_its_sentence_or_runs_on_is_the_speakers():
    """rules 15: pieces of a speech the licensed text prints whole (以下为…演讲全文：), quoted by the suspect after an
    attribution earlier in its sentence and on, sentence after sentence, with no new cue; pasted bare, not."""
    from reprintwatch.dedupe.relations import presented_as_said, quoted_spans

    one = "推动区域合作深入发展，坚定维护多边贸易规则"
    two = "我们将继续推进港口和铁路建设，搭建更多贸易促进平台"
    text = "评论员文章。林国栋在开幕式上强调，为进一步扩大开放，中国将" + one + "。" + two + "，造福沿线。\n" + \
        "另据统计，" + two
    a1, a2, a3 = text.index(one), text.index(two), text.rindex(two)
    spans = [(a1, a1 + len(one)), (a2, a2 + len(two)), (a3, a3 + len(two))]
    assert presented_as_said(spans, text, quoted_spans(text)) == spans[:2]  # the last: a line break, then prose
    # a cue the outlet does not introduce (a related link's headline ending in 实录：): rules 9's reading only
    assert presented_as_said(spans, text, quoted_spans(text), introduced=False) == []
    from reprintwatch.dedupe.quotes import introduced_document

    assert introduced_document("导语。以下为林国栋在开幕式上的演讲全文：各位来宾")
    assert introduced_document("现将有关事项公告如下：一、报考条件")
    assert not introduced_document("收入同比增长54%阿里巴巴财报电话会议实录：对宏观经济保持谨慎乐观。不过")
    assert not introduced_document(SPEECH_TEXT)
    bare = "读者来信。" + one + "。" + two
    b1, b2 = bare.index(one), bare.index(two)
    assert presented_as_said([(b1, b1 + len(one)), (b2, b2 + len(two))], bare, quoted_spans(bare)) == []


def test_a_speech_printed_whole_quoted_in_pieces_by_a_report_on_something_else_makes_no_finding(tmp_path):
    licensed = LEAD + "以下为林国栋在开幕式上的演讲全文：" + SPEECH_TEXT
    pieces = SPEECH_TEXT[SPEECH_TEXT.index("我们将推动区域"):SPEECH_TEXT.index("谢谢大家")]
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("paper", licensed, "开幕")])
        # a commentary: the speaker's words after its attribution, running on sentence after sentence
        report = UNRELATED + "\n林国栋在开幕式上强调，为进一步扩大开放，" + pieces + "专家认为，这释放了积极信号。"
        assert d.check(Article("s", report)).reprints == []
        # the speech pasted bare into a page may be the paper's copy: still found
        pasted = d.check(Article("x", UNRELATED + "\n" + pieces))
        assert [m.verdict for m in pasted.reprints] == ["partial_reprint"]


# rules 15 (wip/source11): a third party's lines both outlets relay, credited so, and an event's roster
RELAYED = ("据东方财经网报道，一名青溪科技的研发人员称，公司内部很早就已列出“如果裁员，哪些人先走”的名单，此次裁员比例可能超过三成，"
           "涉及研发、销售和客服等多个部门，被裁员工将在两周内办完离职手续，公司承诺按照当地法律给予补偿。")
RELAY_OWN = ("青溪科技的困境并非一日之寒。过去一年里，它先后三次推迟新品发布，两家主要供应商已经停止供货，"
             "多名高管在社交平台上更新了求职状态。一位接近公司的投资人对本报记者说，眼下最要紧的是找到新的资金。")


def test_a_line_both_outlets_credit_to_a_third_party_is_no_finding_but_the_outlets_own_text_is(tmp_path):
    licensed = "江南日报讯（记者 王明）昨天，青溪科技宣布在全球范围内裁员。" + RELAYED + RELAY_OWN
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("report", licensed, "青溪科技裁员")])
        # another report relaying the same paper's line, credited to it
        relayed = d.check(Article("s", UNRELATED + "对此，青溪科技没有回应。" + RELAYED + UNRELATED))
        assert relayed.reprints == [] and relayed.matches[0].discounted
        # the same line credited to a party writing in another language: the outlet's translation, a finding
        foreign = RELAYED.replace("东方财经网", "路透社")
        d.add([Article("translated", licensed.replace(RELAYED, foreign), "青溪科技裁员")])
        assert [m.licensed.id for m in d.check(Article("t", UNRELATED + "对此，青溪科技没有回应。" + foreign + UNRELATED)).reprints] \
            == ["translated"]
        # a copier crediting the licensed outlet itself took its text, relayed line and all
        copy = d.check(Article("c", "来源：江南日报 " + RELAYED + RELAY_OWN))
        assert [m.licensed.id for m in copy.reprints] == ["report"]


def test_relayed_lines_needs_the_licensed_text_to_show_the_party_is_not_itself():
    from reprintwatch.dedupe.relations import own_outlets, relayed_lines, relays
    from reprintwatch.dedupe.verify import Passage

    assert relays("另据路透社报道，") == [] and relays("据了解，公司") == [] and relays("据称，")  == []
    assert [p for _, _, p in relays("是非曲直。@东方财经网: 【法院下达禁令】")] == ["东方财经"]
    assert [p for _, _, p in relays("据新华社电 著名作家")] == ["新华"]
    assert own_outlets("来源：创业家贾跃亭带着公司又一次") == ["创业家贾跃亭带着公司"] and own_outlets("新快报讯 昨天") == ["新快"]
    assert own_outlets("本报北京11月1日电（中国青年报·中青在线记者 叶明）今天") == ["中国青年"]
    suspect = "对此，青溪科技没有回应。" + RELAYED
    at = suspect.index(RELAYED)
    p = [Passage(at, len(suspect), 0, len(RELAYED), len(RELAYED))]
    both = [Passage(at, len(suspect), 3, 3 + len(RELAYED), len(RELAYED))]
    assert relayed_lines(both, suspect, "导语。" + RELAYED + RELAY_OWN) == [(at, len(suspect))]  # both credit the party
    line = RELAYED[RELAYED.index("一名"):]  # the licensed text gives the line uncredited
    p = [Passage(at, len(suspect), 0, len(line), len(line))]
    assert relayed_lines(p, suspect, line + RELAY_OWN) == []  # and names no outlet of its own
    assert relayed_lines(p, suspect, "新快报讯 " + line) == [(at, len(suspect))]  # it does, another one
    assert relayed_lines(p, suspect, "来源：东方财经网 " + line) == []  # it is the credited party


def test_a_roster_of_speakers_both_reports_carry_is_the_organisers_but_the_reports_own_text_is_not():
    from reprintwatch.dedupe.relations import roster_lines
    from reprintwatch.dedupe.verify import Passage

    roster = ("本次论坛特别邀请到江南省卫生委员会规划处处长李明、青溪医生集团创始人王海涛、滨江骨科医院院长赵雪、"
              "邻家诊所联合创始人陈一帆和江南中医馆名医周德全五位嘉宾。")
    licensed = "编者按：十月的一个周末，医疗论坛在滨江举办。" + roster + RELAY_OWN
    suspect = UNRELATED + roster
    at, lat = suspect.index(roster), licensed.index(roster)
    p = [Passage(at + 6, at + len(roster), lat + 6, lat + len(roster), len(roster) - 6)]
    assert roster_lines(p, suspect, licensed) == [(at + 6, at + len(roster))]
    # one named person is a report's sentence, not a roster
    one = "本次论坛特别邀请到江南省卫生委员会规划处处长李明介绍今年医疗改革的进展和下一步的安排。"
    assert roster_lines([Passage(6, len(one), 6, len(one), 30)], one, one + RELAY_OWN) == []
    # one official's posts are one person
    posts = "全国委员会主任，教育部原党组副书记、副部长李明宣读贺辞，对大学的成立表示热烈的祝贺和衷心的祝愿。"
    assert roster_lines([Passage(0, len(posts), 0, len(posts), 40)], posts, posts + RELAY_OWN) == []


def test_a_line_credited_where_the_licensed_text_opens_is_that_report_carried_and_a_copy_of_it_is_found():
    from reprintwatch.dedupe.relations import relayed_lines
    from reprintwatch.dedupe.verify import Passage

    suspect = "对此，青溪科技没有回应。" + RELAYED
    at = suspect.index(RELAYED)
    p = [Passage(at, len(suspect), 0, len(RELAYED), len(RELAYED))]
    assert relayed_lines(p, suspect, RELAYED + RELAY_OWN) == []  # the licensed article is 东方财经网's report carried
    lead = "江南日报讯 昨天，青溪科技宣布裁员。"
    p = [Passage(at, len(suspect), len(lead), len(lead) + len(RELAYED), len(RELAYED))]
    assert relayed_lines(p, suspect, lead + RELAYED + RELAY_OWN) == [(at, len(suspect))]


def test_a_washed_copy_keeps_its_relayed_lines_as_evidence():
    from reprintwatch.dedupe.relations import reworded
    from reprintwatch.dedupe.verify import Passage

    licensed = "导语。" + RELAYED + RELAY_OWN
    at = licensed.index(RELAYED)
    # the rest reworded a little (a few words swapped): most of its 4-grams are the licensed text's
    washed = "导语。" + RELAYED + RELAY_OWN.replace("困境", "难题").replace("先后", "接连").replace("眼下", "目前")
    p = [Passage(at, at + len(RELAYED), at, at + len(RELAYED), len(RELAYED))]
    assert reworded(p, washed, licensed)
    # another report around the same relayed line shares none of its rest
    other = "对此，青溪科技没有回应。" + RELAYED + UNRELATED
    o = other.index(RELAYED)
    assert not reworded([Passage(o, o + len(RELAYED), at, at + len(RELAYED), len(RELAYED))], other, licensed)


# --- rules 16 (wip/official12) -------------------------------------------------------------------------------------

# a department's opinions written as policy, not as rules: few of the rule markers (one 按照, one 原则上, one 须), its
# clauses numbered, experts named as a document names them, and the department's signature after its last sentence
POLICY = ("各市教育局，各高等学校：为推动本科教育高质量发展，现提出如下意见。"
          "一、加强课程建设。各高校要推进课程改革，建设一批示范课程，鼓励和支持专家学者参与教材编写。"
          "二、完善教学评价。按照分类评价的要求，健全教学质量监测机制，发挥专家组织在质量评价中的作用。"
          "三、深化实践育人。原则上每所高校须建设三个以上实践基地，推动校企合作，拓展学生实践渠道。"
          "四、提升教师能力。各高校要完善教师培训体系，支持青年教师到企业和基层挂职锻炼，提高教学水平。"
          "五、推进信息化建设。建设一批在线开放课程，推动优质资源共建共享，探索线上线下混合式教学。"
          "六、扩大对外交流。支持高校与境外高水平大学开展联合培养，拓宽学生国际视野，提升合作水平。"
          "七、加强学风建设。引导学生刻苦学习，营造勤学好问的校园风气，把学风建设纳入学校工作重点。"
          "八、促进创新创业。开设创新创业课程，建设一批创客空间，鼓励学生参加各类竞赛，培育创新精神。"
          "九、强化组织保障。各地要加大经费投入，及时总结推广好做法，营造良好的社会氛围。")
POLICY_REPORT = ("晨报讯 记者昨天获悉，西岭省教育厅印发意见，部署本科教育改革。据介绍，意见共四条。"
                 "其中提出，各高校要推进课程改革，建设一批示范课程，鼓励和支持专家学者参与教材编写。"
                 "一位高校负责人表示，这将给学生带来更多选择。")


def test_a_document_a_state_organ_signs_is_read_as_one_under_the_marker_rate():
    from reprintwatch.dedupe.relations import (official_item, official_rate, own_document, reads_as_document,
                                               signed_by_state, OFFICIAL_RATE)

    signed = POLICY + "\n西岭省教育厅\n2027年10月8日"
    assert official_rate(signed) < OFFICIAL_RATE  # policy, not rules: the marker list alone misses it
    assert signed_by_state(signed) == "西岭省教育厅"
    assert reads_as_document(signed) and official_item("西岭省教育厅印发意见推进本科教育", signed)
    # the report quotes one of its clauses: a claim of the signed document against the report is the document's
    clause = "各高校要推进课程改革，建设一批示范课程，鼓励和支持专家学者参与教材编写。"
    claim = [_passage(signed, POLICY_REPORT, clause)]
    at = signed.index(clause)
    assert own_document(claim, signed, POLICY_REPORT, [], lambda: reads_as_document(signed)) == [(at, at + len(clause))]
    # an article that does not name the signer is no report of the document: a piece of it pasted into the signed
    # page (bench/quality.py --archive's excerpt-00016: a health item inside a province's signed exam plan) is kept
    health = "营养师提醒，老年人体重并非越轻越好，适当的体重有助于抵抗疾病，饮食最好荤素搭配、少盐少油。"
    pasted = POLICY + health + "\n西岭省教育厅\n2027年10月8日"
    item = "晚报健康版 " + health + "专家建议每周运动三次。"
    assert reads_as_document(pasted)
    assert own_document([_passage(pasted, item, health)], pasted, item, [], lambda: reads_as_document(pasted)) == []
    # unsigned, or signed by a university (no state organ), it is read as before: under the rate, no document
    assert not reads_as_document(POLICY) and not official_item("西岭省教育厅印发意见推进本科教育", POLICY)
    assert own_document(claim, POLICY, POLICY_REPORT, [], lambda: reads_as_document(POLICY)) == []
    by_school = POLICY + "\n西岭大学教务处"
    assert signed_by_state(by_school) == "" and not reads_as_document(by_school)
    # the report ending on the department's name is no signature (a credit line with a colon), and its reporter's
    # voice stays one: not a document either way
    assert signed_by_state(POLICY_REPORT + "\n来源：西岭省教育厅") == ""
    assert not reads_as_document(POLICY_REPORT + "\n西岭省教育厅")
    # a signed text that holds no register at all (a two-line notice of a meeting) is not read as a document
    assert not reads_as_document("会议定于下周召开，请准时参加。\n西岭省教育厅")


def test_a_state_documents_claim_is_the_documents_whole_when_the_register_took_only_part_of_it(monkeypatch):
    import reprintwatch.dedupe.relations as relations
    from tests.test_legal import NOTICE, NOTICE_TITLE

    # an exam authority's Q&A against its own notice: the register tests (rules 10/12) take the clauses and leave
    # the stock phrases both hold (the year's sign-up named again and again) — the state's document whole, all the
    # same, when the licensed item is one (the caller's document(): rules 13, or rules 16's suspect read as one)
    qa = "问：今年如何报名？答：" + NOTICE[NOTICE.index("一、报名条件"):NOTICE.index("三、资格审查")]
    clause = "二、报名时间。考生应当在规定时间内完成网上报名，逾期不予补报。"
    head = "一、报名条件"
    passages = [_passage(qa, NOTICE, head), _passage(qa, NOTICE, clause)]
    part = [(passages[1].suspect_start, passages[1].suspect_end)]
    monkeypatch.setattr(relations, "_official_text", lambda *a: part)  # the register tests' answer, stood for
    every = [(p.suspect_start, p.suspect_end) for p in passages]
    assert relations.official_text(passages, qa, NOTICE, (), lambda: relations.official_item(NOTICE_TITLE, NOTICE)) == every
    # not a state document: only what the register tests took
    assert relations.official_text(passages, qa, NOTICE, (), lambda: False) == part
    # every passage taken already: the licensed item is not read
    monkeypatch.setattr(relations, "_official_text", lambda *a: every)
    asked = []
    assert relations.official_text(passages, qa, NOTICE, (), lambda: asked.append(1) or True) == every and not asked

# rules 16 (wip/release12): a product's copy — the brand's name, price and blurb shopping items paste
CARD_CREAM = ("青岚小蓝瓶修护眼霜 ￥420/15ml这瓶眼霜的凝露质地一抹即化，能在眼周形成一层轻薄的保湿膜，锁住水分，"
              "蕴含的海藻精粹与多肽成分帮助抚平细纹，淡化黑眼圈，让眼周肌肤柔软透亮。")
CARD_MASK = ("白鹭山茶花焕亮面膜 ￥199/5片面膜纸轻薄服帖，一片蕴含半瓶精华液，山茶花萃取舒缓熬夜后的暗沉，"
             "敷完肌肤水润有光泽，第二天上妆也不卡粉。")
CARD_OIL = ("云杉草本洁颜油 ￥260/200ml质地清爽不油腻，遇水迅速乳化，温和卸除防晒和彩妆，洗后肌肤不紧绷。")
CARD_SERUM = ("松间玫瑰精华露 ￥560/30ml一滴就能推开全脸，玫瑰精油配合透明质酸深层补水，干皮秋冬也能用。")
BEAUTY_ONE = ("最近热播的古装剧里，女主角熬夜拍戏依旧神采奕奕，她的眼周护理秘诀终于被扒了出来。剧组化妆师透露，"
              "她每天收工都会先做一次眼部按摩，再敷一片面膜。想要同款好状态，可少不了这些小物！")
BEAUTY_TWO = ("换季的时候，很多小仙女都发现自己的眼周干纹变多了，上妆也容易卡粉。其实眼部肌肤比脸颊薄得多，"
              "需要单独的护理步骤。今天就给大家推荐几款适合秋冬的护理单品，干皮油皮都能找到合适的那一款。")


def test_product_cards_are_a_shopping_items_picks_from_each_name_to_the_next():
    from reprintwatch.dedupe.relations import product_cards

    text = BEAUTY_ONE + CARD_CREAM + CARD_MASK + CARD_OIL
    cards = product_cards(text)
    starts = [text.index(c) for c in (CARD_CREAM, CARD_MASK, CARD_OIL)]
    assert [a for a, _ in cards] == starts  # each card opens at its product's name, before the price
    assert cards[0][1] == starts[1] and cards[1][1] == starts[2]  # and runs on to the next name
    # a report quoting one price is no shopping list; nor is a results report's figures
    assert product_cards(BEAUTY_ONE + CARD_CREAM) == ()
    assert product_cards("公司第三季度营收为人民币851.48亿元，同比增长54%；净利润为人民币182.41亿元，同比增长5%。") == ()


def test_a_checks_claims_read_the_suspects_cards_once():
    """product_copy is asked once a partial claim, and a check's claims share one suspect: its cards are found once
    (a cache keyed by the text), and the answer is the one found afresh."""
    from reprintwatch.dedupe.relations import product_cards, product_copy
    from reprintwatch.dedupe.verify import Passage

    suspect = BEAUTY_TWO + CARD_SERUM + CARD_MASK + CARD_OIL
    claims = [(BEAUTY_ONE + CARD_CREAM + CARD_MASK, CARD_MASK), (BEAUTY_ONE + CARD_OIL + CARD_CREAM, CARD_OIL)]
    fresh = product_cards.__wrapped__(suspect)
    product_cards.cache_clear()
    answers = []
    for licensed, card in claims:
        s, l = suspect.index(card), licensed.index(card)
        answers.append(product_copy([Passage(s, s + len(card), l, l + len(card), len(card))], suspect, licensed))
        assert answers[-1] == [(s, s + len(card))]  # each claim's shared card is still the brand's copy
    info = product_cards.cache_info()
    assert (info.misses, info.hits) == (1 + len(claims), len(claims) - 1)  # the suspect once, each licensed text once
    assert product_cards(suspect) == fresh and len(fresh) == 3


def test_a_products_blurb_two_shopping_items_paste_is_the_brands_not_either_items():
    from reprintwatch.dedupe.relations import product_copy
    from reprintwatch.dedupe.verify import Passage

    licensed = BEAUTY_ONE + CARD_MASK + CARD_CREAM + CARD_OIL
    suspect = BEAUTY_TWO + CARD_SERUM + CARD_CREAM + CARD_MASK.replace("199", "189")
    s, l = suspect.index(CARD_CREAM), licensed.index(CARD_CREAM)
    p = [Passage(s, s + len(CARD_CREAM), l, l + len(CARD_CREAM), len(CARD_CREAM))]
    assert product_copy(p, suspect, licensed) == [(s, s + len(CARD_CREAM))]
    # the same text in a report that is no shopping item (no other pick) stays evidence
    report = BEAUTY_TWO + CARD_CREAM + UNRELATED
    r = report.index(CARD_CREAM)
    assert product_copy([Passage(r, r + len(CARD_CREAM), l, l + len(CARD_CREAM), len(CARD_CREAM))], report, licensed) == []
    # an item's own prose is no card
    q = [Passage(0, len(BEAUTY_ONE), 0, len(BEAUTY_ONE), len(BEAUTY_ONE))]
    assert product_copy(q, BEAUTY_ONE + CARD_SERUM + CARD_OIL, licensed) == []
    # three picks in a row, the list as it stands: a run of the item's list, copied — nothing counted out
    run = CARD_MASK + CARD_CREAM + CARD_OIL
    listed = BEAUTY_TWO + run + CARD_SERUM
    r, l = listed.index(run), licensed.index(run)
    assert product_copy([Passage(r, r + len(run), l, l + len(run), len(run))], listed, licensed) == []
    # a run of two picks crosses one name: still the brands' copy
    two = CARD_CREAM + CARD_OIL
    r, l = listed.index(two), licensed.index(two)
    assert product_copy([Passage(r, r + len(two), l, l + len(two), len(two))], listed, licensed) == [(r, r + len(two))]


def test_two_shopping_items_sharing_a_pick_make_no_finding_but_a_copy_of_the_item_is_found(tmp_path, monkeypatch):
    from reprintwatch import detector as detector_module

    licensed = BEAUTY_ONE + CARD_MASK + CARD_CREAM + CARD_OIL
    sharing = Article("s", BEAUTY_TWO + CARD_CREAM + CARD_SERUM + CARD_OIL)  # two of its three picks
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("item", licensed, "古装剧女主的眼周护理")])
        other = d.check(sharing)
        assert other.reprints == [] and other.matches[0].discounted
        with monkeypatch.context() as m:  # without the rule, the shared pick alone was a partial reprint
            m.setattr(detector_module, "product_copy", lambda passages, suspect, licensed: [])
            assert [r.verdict for r in d.check(sharing).reprints] == ["partial_reprint"]
        # a copier takes the item's prose with its picks: still found
        copy = d.check(Article("c", BEAUTY_ONE + CARD_MASK + CARD_CREAM + UNRELATED))
        assert [m.licensed.id for m in copy.reprints] == ["item"]


# --- rules 17 (wip/official13) -------------------------------------------------------------------------------------

# two notices of one form an exam authority issues, one per exam category, each filled in with its own subjects:
# a procedure's schedule and venues, few rule markers, graders named as 专家组 — and the authority's issuing formulae
FORM_HEAD = "各有关招生院校：为做好2027年本市艺术类专业统一考试工作，特制定本实施办法。现印发给你们，请遵照执行。"
FORM_STOCK = ("一、专业考试组织机构及职责。为加强对统一考试工作的管理与协调，确保全市统一考试工作顺利进行，特成立统一考试"
              "工作小组，负责接待处理考生的来信、来访。")
FORM_END = "五、考务管理。统考考点设在西岭艺术学院东湖校区内，每个等级具体赋分由专家组评定。"
MUSIC = (FORM_HEAD + FORM_STOCK + "二、统考科目。声乐、器乐、视唱练耳三门，声乐一百分，器乐一百分，视唱练耳一百分，"
         "三门总分三百分。三、评分标准。演唱音准、节奏把握准确、稳定，音乐表现力强者为优秀等级；器乐演奏曲目须为"
         "考生自选的独奏作品，时长不超过五分钟，伴奏自理，视唱练耳采用钢琴现场弹奏的方式进行。四、考试内容。声乐考生演唱"
         "中外歌曲各一首，美声、民族、通俗唱法不限，考场提供钢琴伴奏；器乐考生演奏练习曲一首、乐曲一首，打击乐考生另加"
         "小军鼓演奏；视唱为五线谱单声部旋律，练耳包括音程、和弦与节奏听写，答题卡现场收回。" + FORM_END)
DANCE = (FORM_HEAD + FORM_STOCK + "二、统考科目。基本功、剧目表演、即兴舞蹈三门，基本功一百分，剧目一百分，即兴一百分，"
         "三门总分三百分。三、评分标准。软开度、跳转翻完成质量高，动作协调、舞姿优美者为优秀等级；剧目表演限用"
         "古典舞、民族民间舞或芭蕾舞，时长不超过两分钟，服装自备，即兴舞蹈的音乐由考场当场播放。四、考试内容。基本功"
         "考查把杆与中间组合、控制与旋转技巧，考生须着练功服、软底鞋；剧目表演由考生自选独舞片段，自带音乐光盘或优盘；"
         "即兴舞蹈按考场给定的音乐主题准备三分钟后表演，时长一分钟左右，不得携带道具。" + FORM_END)


def test_two_documents_an_organ_issues_share_its_stock_text_not_an_outlets():
    from reprintwatch.dedupe.relations import issued_documents, issuing_formula, reads_as_document

    assert issuing_formula(MUSIC) and issuing_formula(DANCE)
    assert not reads_as_document(MUSIC)  # under the register's rate, and its 专家组 reads as a reporter's voice
    claim = [_passage(DANCE, MUSIC, FORM_HEAD + FORM_STOCK), _passage(DANCE, MUSIC, FORM_END)]
    spans = [(p.suspect_start, p.suspect_end) for p in claim]
    assert issued_documents(claim, DANCE, MUSIC) == spans
    # a report that prints the notice's stock text but issues nothing itself keeps its claim (and the other way round)
    report = ("本报讯 记者昨天获悉，西岭市今年艺术类统考下月举行。据介绍，" + FORM_STOCK +
              "考生可登录考试院网站查询考点安排，考试院提醒考生提前熟悉考场。")
    r_claim = [_passage(report, MUSIC, FORM_STOCK)]
    assert not issuing_formula(report)
    assert issued_documents(r_claim, report, MUSIC) == []
    assert issued_documents([_passage(MUSIC, report, FORM_STOCK)], MUSIC, report) == []
    # a washed copy of the notice keeps its formulae, and its own text is the notice reworded: kept
    washed = MUSIC.replace("音准、节奏把握准确、稳定", "音高、节拍把握精准、平稳").replace("三门总分三百分", "合计三百分")
    w_claim = [_passage(washed, MUSIC, FORM_HEAD + FORM_STOCK), _passage(washed, MUSIC, FORM_END)]
    assert issued_documents(w_claim, washed, MUSIC) == []
    # the suspect's own text is another claim's (a 拼接稿's pieces): no text of its own, kept
    own = (DANCE.index("二、统考科目"), DANCE.index(FORM_END))
    assert issued_documents(claim, DANCE, MUSIC, [own]) == []


def test_a_report_naming_the_organ_that_issued_the_licensed_document_reports_on_it():
    from reprintwatch.dedupe.relations import official_item, reports_document
    from tests.test_legal import NOTICE, NOTICE_TITLE

    assert official_item(NOTICE_TITLE, NOTICE)
    clause = "考生应当在规定时间内完成网上报名，逾期不予补报。"
    report = ("晨报讯 今年高考报名下周开始。西岭省教育考试院日前发布通知，" + clause +
              "记者了解到，去年全省有四十万人报名，今年预计略有增加。一位中学老师表示，考生要提前准备好材料。")
    assert reports_document([_passage(report, NOTICE, clause)], report, NOTICE_TITLE, NOTICE)
    # the clause pasted into a page of other text that names no issuer (bench/quality.py's excerpts): not a report
    pasted = "营养师提醒，老年人体重并非越轻越好，饮食最好荤素搭配、少盐少油。\n" + clause + "\n适当运动有助于抵抗疾病。"
    assert not reports_document([_passage(pasted, NOTICE, clause)], pasted, NOTICE_TITLE, NOTICE)
    # the organ named only inside the copied passage is not the suspect's own report of it
    head = NOTICE[:NOTICE.index("\n")]
    named_inside = "营养师提醒，饮食最好荤素搭配。\n" + head
    assert "西岭省教育考试院" in head
    assert not reports_document([_passage(named_inside, NOTICE, head)], named_inside, NOTICE_TITLE, NOTICE)
    # an organ named by its kind alone (a general office) is no issuer's name: the report naming only 办公厅 is none
    joint = NOTICE.replace("《西岭省教育考试院关于", "《西岭省教育厅办公厅关于")
    office = report.replace("西岭省教育考试院日前", "省政府办公厅日前")
    assert reports_document([_passage(report.replace("西岭省教育考试院", "西岭省教育厅"), joint, clause)],
                            report.replace("西岭省教育考试院", "西岭省教育厅"), NOTICE_TITLE, joint)
    assert not reports_document([_passage(office, joint, clause)], office, NOTICE_TITLE, joint)
    # a licensed item that is no state organ's document (a report of the notice): nothing to report on
    story = "晚报讯 西岭省教育考试院昨天发布通知。记者获悉，" + clause + "据介绍，报名费标准不变。"
    assert not reports_document([_passage(report, story, clause)], report, "高考报名下周开始", story)


def test_a_report_of_a_state_document_and_a_second_notice_of_one_form_are_no_findings_an_excerpt_still_is(tmp_path):
    from tests.test_legal import NOTICE, NOTICE_TITLE

    chunk = NOTICE[NOTICE.index("一、报名条件"):NOTICE.index("四、其他事项")]
    # a report naming the exam authority and quoting its notice's clauses, under half of its text (main d1dbbe1: a
    # partial reprint of the notice)
    report = ("晨报讯 今年高考报名下周开始。西岭省教育考试院日前发布通知，明确了今年的报名条件和时间。" + chunk +
              "记者了解到，去年全省有四十万人报名，今年预计略有增加。" + METRO)
    # the same clauses pasted into a page of other text that names no issuer: still the outlet's excerpt
    pasted = UNRELATED + "\n" + chunk + "\n" + RIVER
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("notice", NOTICE, NOTICE_TITLE), Article("metro", METRO, "metro"), Article("river", RIVER, "river"),
               Article("music", MUSIC, "西岭：2027年音乐类专业统一考试实施办法")])
        assert [m.licensed.id for m in d.check(Article("report", report, "高考报名下周开始")).reprints] == ["metro"]
        found = {m.licensed.id: m.verdict for m in d.check(Article("pasted", pasted, "副刊")).reprints}
        assert found.get("notice") == "partial_reprint"
        # a second notice of the exam authority's form against the first: its stock text, no finding
        assert d.check(Article("dance", DANCE, "西岭：2027年舞蹈类专业统一考试实施办法")).reprints == []


# rules 17 (wip/release13): an event's release — the organiser's announcement both reports carry
RELEASE = ("11月3日，青岚科技与白鹭汽车签署智能座舱战略合作协议，宣布双方将在车载语音、导航和娱乐系统方面展开全面合作。"
           "根据协议，白鹭汽车明年起推出的全部新车型将搭载青岚科技的车载语音助手和地图服务，双方还将共建联合实验室，"
           "研发面向驾驶场景的人工智能技术。")
RELEASE_LICENSED = ("本报讯 记者 周明远 造车新势力与互联网公司的联姻又添一例。" + RELEASE +
                    "业内人士分析，白鹭汽车近两年销量增长放缓，智能座舱被视为其扭转局面的关键一步；而对青岚科技来说，"
                    "车载语音是其继手机和智能音箱之后的第三块阵地，此前它已与两家车企洽谈未果。记者注意到，"
                    "白鹭汽车股价当天上涨超过四个百分点，多家券商随即上调了评级。不过也有分析师提醒，车企与科技公司的合作往往"
                    "磨合期很长，数据归谁、用户界面由谁主导，都可能成为日后分歧的来源，合作能否落到量产车上还要看明年的表现。")
RELEASE_SUSPECT = ("汽车频道 在今年的车展上，白鹭汽车展台前人头攒动，不少观众专程来体验它的语音控制功能。如今这一功能有了新的"
                   "搭档。" + RELEASE + "青岚科技相关负责人在接受采访时说，车载语音比家居场景难得多，车内噪音、方言口音和驾驶"
                   "安全都要考虑，联合实验室第一年的重点就是降噪。白鹭汽车方面则透露，首款搭载智能座舱的车型计划在明年春季上市，"
                   "售价区间暂未公布，老车主能否通过升级获得新功能仍在评估。记者在经销商处了解到，已有顾客打听新车型的配置，"
                   "销售人员表示目前只能登记意向，具体交付时间要等厂家通知。")


def _release_in(suspect, licensed=RELEASE_LICENSED, text=RELEASE):
    from reprintwatch.dedupe.fingerprint import FingerprintParams, fingerprint
    from reprintwatch.dedupe.relations import release_lines
    from reprintwatch.detector import _fact_starts

    return release_lines([_passage(suspect, licensed, text)], suspect, licensed, [],
                         _fact_starts(fingerprint(suspect, FingerprintParams())))


def test_an_announcement_two_reports_of_the_event_carry_is_the_organisers_text():
    at = RELEASE_SUSPECT.index(RELEASE)
    assert _release_in(RELEASE_SUSPECT) == [(at, at + len(RELEASE))]
    # the same announcement pasted into a page on something else: no event in common around it
    assert _release_in(UNRELATED + RELEASE + METRO) == []
    # a copy that opens on the licensed outlet's own prose, the announcement after it: the outlet's report, copied
    own = RELEASE_LICENSED[RELEASE_LICENSED.index("业内人士"):]
    opens_on_prose = RELEASE_SUSPECT.replace(RELEASE, "")[:60] + own + RELEASE + RELEASE_SUSPECT[RELEASE_SUSPECT.index("青岚科技相关"):]
    from reprintwatch.dedupe.fingerprint import FingerprintParams, fingerprint
    from reprintwatch.dedupe.relations import release_lines
    from reprintwatch.detector import _fact_starts

    both = [_passage(opens_on_prose, RELEASE_LICENSED, own), _passage(opens_on_prose, RELEASE_LICENSED, RELEASE)]
    assert release_lines(both, opens_on_prose, RELEASE_LICENSED, [],
                         _fact_starts(fingerprint(opens_on_prose, FingerprintParams()))) == []
    # prose with no announcement in it is no release however much of the event the two texts share
    assert _release_in(RELEASE_SUSPECT.replace(RELEASE, own), text=own) == []
    # someone's words, quoted, are speech (rules 11/15), not the organiser's release
    quoted = "“" + RELEASE + "”"
    assert _release_in(RELEASE_SUSPECT.replace(RELEASE, quoted), RELEASE_LICENSED.replace(RELEASE, quoted)) == []


def test_a_long_unbroken_run_of_an_announcement_is_the_article_copied(monkeypatch):
    from reprintwatch.dedupe import relations

    assert _release_in(RELEASE_SUSPECT)  # a run of 123 characters: the release
    monkeypatch.setattr(relations, "RELEASE_MAX_RUN", len(RELEASE) - 1)
    assert _release_in(RELEASE_SUSPECT) == []  # one run past the cap: copied as it stands


def test_two_reports_of_one_announcement_make_no_finding_but_a_copy_of_the_report_is_found(tmp_path, monkeypatch):
    from reprintwatch import detector as detector_module

    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("report", RELEASE_LICENSED, "青岚科技牵手白鹭汽车")])
        other = d.check(Article("s", RELEASE_SUSPECT))
        assert other.reprints == [] and other.matches[0].discounted
        with monkeypatch.context() as m:  # without the rule, the shared announcement was a partial reprint
            m.setattr(detector_module, "release_lines", lambda *a: [])
            assert [r.verdict for r in d.check(Article("s", RELEASE_SUSPECT)).reprints] == ["partial_reprint"]
        # a copier takes the report's own lede, the announcement and its analysis into a page of its own: found
        copy = d.check(Article("c", RELEASE_LICENSED[RELEASE_LICENSED.index("造车"):] + UNRELATED))
        assert [m.licensed.id for m in copy.reprints] == ["report"]


# rules 17 (wip/statement13): a party's own document in its own voice
LETTER = ("各位合作伙伴：大家好！今年是海川机械成立二十周年，我们迎来了公司历史上的第三次架构调整。这次调整，我们经过了"
          "将近一年的思考和酝酿，把原来的七个事业部重组为六个事业群。我们相信，没有制造业支撑的互联网只会是空中楼阁，"
          "接下来我们将扎根装备制造，拥抱工业互联网，和各位伙伴一起把数字化推进到供应链的每一个环节。")
LETTER_LEDE = "临港日报讯 海川机械董事长林国栋昨天在合作伙伴大会上发布公开信，谈及公司的战略升级。以下是其公开信全文："


def test_own_voice_counts_out_a_letter_one_report_prints_whole_and_another_quotes():
    from reprintwatch.dedupe.relations import own_voice

    printed = LETTER_LEDE + LETTER
    shared = LETTER[LETTER.index("这次调整"):LETTER.index("六个事业群") + 5]
    # another report quoting the letter in marks after its own attribution
    quoted = "晚报快讯 海川机械昨天宣布架构调整。林国栋在公开信中写道：“" + shared + "。”业内人士认为，调整将利好经销商。"
    at = printed.index(shared)
    assert own_voice([_passage(printed, quoted, shared)], printed, quoted) == [(at, at + len(shared))]
    # and the other way round: the quoting report is the suspect
    at = quoted.index(shared)
    assert own_voice([_passage(quoted, printed, shared)], quoted, printed) == [(at, at + len(shared))]
    # two reports each printing the letter whole after a cue of their own (neither lede copied)
    other = "晚报快讯 海川机械的架构调整昨天尘埃落定，董事长林国栋致信合作伙伴。公开信全文如下：" + LETTER
    whole = LETTER[LETTER.index("大家好"):]
    at = other.index(whole)
    assert own_voice([_passage(other, printed, whole)], other, printed) == [(at, at + len(whole))]


def test_own_voice_keeps_a_copy_of_the_outlets_lead_in_a_column_and_the_outlets_report():
    from reprintwatch.dedupe.relations import own_voice

    printed = LETTER_LEDE + LETTER
    # a copier that takes the report's lead-in with the letter copies the outlet: the passage runs over the cue
    copied = "转自网络。" + printed[printed.index("海川机械董事长"):]
    taken = printed[printed.index("海川机械董事长"):]
    assert own_voice([_passage(copied, printed, taken)], copied, printed) == []
    # a writer's first-person column copied whole: no cue hands it over, it is the writer's own prose
    column = ("我一直觉得，周末最好的去处是城郊的湿地公园。我们一家常在清晨出发，带上面包和热茶，沿着木栈道走到观鸟台。"
              "我女儿最喜欢数白鹭，她说今年的白鹭比去年多了一倍。")
    repost = "周末去哪儿？" + column + "（来源：网络）"
    assert own_voice([_passage(repost, column, column)], repost, column) == []
    # the outlet attributing again after the cue (一个小标题 then …表示，) is its report, not the party's paper
    report = ("临港日报讯 海川机械昨天举行发布会。林国栋：我们已进入三十个海外市场在发布会上，海川机械董事长林国栋表示，"
              "跨国贸易可以造福当地消费者，我们在每个区域都会建立区域总部。")
    told = "晚报快讯 海川机械董事长林国栋表示，跨国贸易可以造福当地消费者，我们在每个区域都会建立区域总部。"
    said = "林国栋表示，跨国贸易可以造福当地消费者，我们在每个区域都会建立区域总部。"
    assert own_voice([_passage(told, report, said)], told, report) == []


def test_own_voice_reads_a_post_both_pages_embed_at_their_top():
    from reprintwatch.dedupe.relations import own_voice

    post = "@海川机械有限公司: 声明：\n\n就近日网传新品质量之风波，我司作为该产品之生产商，特此作出以下声明：我司产品均经过严格检测，本司保留追究造谣者法律责任的权利。"
    one = post + "\u200b临港日报讯 海川机械的新品昨天被网友质疑存在质量问题，公司随即回应。" + METRO
    two = post + "\u200b晚报快讯 针对网友对新品质量的质疑，海川机械发表声明否认。" + FLASH
    assert own_voice([_passage(two, one, post)], two, one) == [(0, len(post))]
    # a page opening with the same words but no account before them is read as before (no cue: not counted)
    bare = post[post.index("就近日"):]
    one_bare, two_bare = bare + one[len(post):], bare + two[len(post):]
    assert own_voice([_passage(two_bare, one_bare, bare)], two_bare, one_bare) == []


def test_a_letter_two_reports_carry_is_no_finding_but_a_copy_of_the_report_is(tmp_path):
    # two reports each printing the letter whole under its salutation, after a lede of their own (no 全文 cue: rules
    # 9-15 read neither as a document reproduced)
    printed = ("临港日报讯 海川机械董事长林国栋昨天在合作伙伴大会上发布公开信，谈及公司的战略升级。" + LETTER
               + "据了解，海川机械成立于一九九八年，去年营收一百二十亿元。")
    other = "晚报快讯 海川机械的架构调整昨天尘埃落定，董事长林国栋致信合作伙伴，经销商反应热烈。" + LETTER + METRO
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("herald", printed, "海川机械发布公开信")])
        assert d.check(Article("evening", other)).reprints == []
        # a copy of the report's paragraph, lede and all, is still a finding
        copy = "转自网络。" + printed[printed.index("海川机械董事长"):] + FLASH
        assert [m.licensed.id for m in d.check(Article("copy", copy)).reprints] == ["herald"]


def test_own_voice_keeps_an_excerpt_under_another_pages_speaker_or_paragraph():
    from reprintwatch.dedupe.relations import own_voice

    answer = "我们正在一步步留下国际化的印迹，想让学生真正读懂商业，就必须让他们看到全球商业环境到底是怎样的。"
    interview = ("临港日报讯 商学院院长接受本报专访。临港日报：你们与上海的合作背后有什么考量？林国栋：毫不隐讳地说，"
                 + answer + "国际合作有多种好处。")
    # pasted into another page whose own speaker's label comes before it (its 受访专家：), the two labels naming no one
    # in common: two voices, the excerpt is a copy of the interview
    host = "晚报快讯 专家解读近期市场。\n受访专家：今年的行情好于预期，成交量明显放大。" + answer + "此外，监管也在加强。"
    assert own_voice([_passage(host, interview, answer)], host, interview) == []
    # pasted as its own paragraph under a host's line with a colon and no first person (森林狼：…): not that voice
    scores = "晚报快讯 湖人队昨天客场取胜。\n森林狼：唐斯二十五分十二个篮板，罗斯十八分。\n" + answer + "\n下一场比赛在周五。"
    quoted = "临港日报讯 院长在论坛上说：“" + answer + "”他还谈到了招生。"
    assert own_voice([_passage(scores, quoted, answer)], scores, quoted) == []


def test_a_works_title_is_nobodys_first_person():
    """Rules 17 (the lead's mend of own_voice): 我 inside a work's title 《…》 is no party speaking. A drama round-up
    under a subhead ending in a colon (read as a speaker's name) takes a paper's scoop, given there after 据知情人士透露，:
    the round-up's copy stays a finding. The same sentences in a star's own first person are still the party's."""
    from reprintwatch.dedupe.relations import own_voice

    scoop = "由青禾主演的电视剧《我的星辰手记》定档十二月五日起在云帆视频播出，她在剧中首次挑战一个会做饭的机器人管家。"
    licensed = "晨报讯 据知情人士透露，" + scoop + "该剧拍摄历时半年。"
    roundup = ("年末荧屏新剧扎堆上线，类型各有看点。都市题材：《你和我的夏天》讲述两个年轻人在海边小城开店的故事。"
               "奇幻题材：" + scoop + "观众对这类题材的口碑仍有待观察。")
    assert own_voice([_passage(roundup, licensed, scoop)], roundup, licensed) == []
    # a star's own post, in her first person, that a report quotes as said: the party's words, counted out
    spoken = "大家好，我是青禾。" + scoop.replace("由青禾主演的", "我主演的") + "我们剧组都很期待。"
    post = "@青禾工作室：" + spoken
    report = "晚报讯 青禾昨日在微博发文称，“" + spoken + "”网友纷纷留言。"
    assert own_voice([_passage(post, report, spoken)], post, report) != []
