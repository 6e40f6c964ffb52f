"""Template siblings (dedupe/templates.py): two issues of one template are not copies of each other."""
from __future__ import annotations

import pytest

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.dedupe.normalize import normalize
from reprintwatch.dedupe.relations import Claim, explain_away
from reprintwatch.dedupe.templates import figure_breaks, names_the_other, series_siblings, template_spans
from reprintwatch.output import render_text

from texts import UNRELATED


def tally(day: int, applied: int, passed: int, waiting: int, ratio: int, empty: int) -> str:
    """One day's issue of a tutoring firm's daily tally (a template: the same sentences, that day's figures)."""
    return (
        f"截至{day}日16时，青溪市公务员考试报名已经进行了{day - 20}天。据明远教育统计，青溪地区职位报名人数为{applied}人，"
        f"共审核通过人数为{passed}人，待审查人数为{waiting}人。\n"
        f"一、各部门报名人数分析：截至{day}日16时，通过审核人数前三位的部门依次是市税务局、市海关、市统计局，"
        f"三部门通过审核人数占全部通过审核人数的{ratio}%。\n"
        f"二、竞争最激烈的职位：明远教育整理了已有考生通过资格审核的部门，竞争比最大的部门是市档案馆，竞争比为{ratio * 7}:1。\n"
        f"三、无人报考职位：截至{day}日16时，工作地点在青溪的职位共有{empty}个无人报考，占全部职位的{empty // 3}%。"
    )


DAY_24 = tally(24, 41937, 32651, 9286, 47, 17)
DAY_26 = tally(26, 75062, 54281, 20781, 38, 6)
# prose of the day-24 issue that is no template's: an expert's advice, written for that day only
ADVICE = ("明远教育专家建议，广大考生在最后两天报名时不要盲目追逐热门岗位，应当结合自身专业背景、工作经历和长远的职业规划，"
          "仔细阅读每一个职位的招录条件，尤其是基层工作年限和专业目录的要求，避免因为条件不符而错失机会。")


def _norm(text: str) -> str:
    return normalize(text).text


def test_figure_breaks_counts_places_where_both_texts_hold_other_figures():
    a, b = _norm("报名人数为41937人，共审核通过"), _norm("报名人数为47506人，共审核通过")
    breaks = figure_breaks(a, (0, len(a)), b, (0, len(b)))
    assert breaks and all(5 <= x <= len("报名人数为41937") for x in breaks)  # inside 41937 against 47506
    # a copy: the same text, figures included
    assert figure_breaks(a, (0, len(a)), a, (0, len(a))) == []
    # a word swapped next to an equal figure is a word, not a figure
    c, d = _norm("共有10个职位无人报考"), _norm("共有10项职位无人报考")
    assert figure_breaks(c, (0, len(c)), d, (0, len(d))) == []
    # the passage stops where the figures part (its end), and not where one text goes on with words
    e, f = _norm("其中税务系统过审人数为33000"), _norm("其中税务系统过审人数为7290")
    assert figure_breaks(e, (0, 11), f, (0, 11)) == [11]
    g = _norm("其中税务系统过审人数为多少")
    assert figure_breaks(e, (0, 11), g, (0, 11)) == []


def test_template_text_makes_no_verdict_even_for_a_claim_covering_most_of_the_article():
    sibling = Claim(((0, 300),), 320, whole=True, template=((0, 280),))
    credit = explain_away([sibling])[0]
    assert not credit.kept and credit.discounted == "template" and credit.unexplained == 20
    # its own prose beside the template still makes a verdict
    more = Claim(((0, 300), (300, 420)), 450, whole=True, template=((0, 280),))
    assert explain_away([more])[0].kept


@pytest.fixture
def detector(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("day24", DAY_24 + "\n" + ADVICE, "青溪公务员考试报名统计（24日）", "明远教育")])
        yield d


def test_another_days_issue_of_a_template_is_no_finding(detector):
    before = detector.check(Article("day26", DAY_26, "青溪公务员考试报名统计（26日）"))
    assert before.reprints == []
    [m] = [m for m in before.matches if m.licensed.id == "day24"]
    # verify() alone calls it a copy (the sentences chain across the figures) — attribution says why not
    assert m.verification.is_reprint and m.discounted == "template" and m.verdict == "none"
    assert "a template's text around other figures" in render_text(before, include_all=True)


def test_a_copy_keeps_its_figures_and_is_found_whole_or_in_part(detector):
    copy = detector.check(Article("copy", "点击上方蓝字关注我们\n" + DAY_24 + "\n" + ADVICE + "\n喜欢就点个在看吧"))
    assert [(m.licensed.id, m.verdict) for m in copy.reprints] == [("day24", "full_reprint")]
    # full-width digits (a disguise) fold back to the same figures
    wide = DAY_24.translate({c: c + 0xFEE0 for c in range(ord("0"), ord("9") + 1)})
    assert [m.verdict for m in detector.check(Article("wide", wide + "\n" + ADVICE)).reprints] == ["full_reprint"]
    # another day's issue that also copies the day-24 advice is a finding for the advice
    mixed = detector.check(Article("mixed", DAY_26 + "\n" + ADVICE + "\n" + UNRELATED))
    [m] = mixed.reprints
    assert m.licensed.id == "day24" and m.verdict == "partial_reprint"


def test_a_copy_with_a_figure_revised_among_many_kept_is_still_a_copy(detector):
    # an edited version: one count corrected, every other figure of its sentences as the licensed text has it
    revised = DAY_24.replace("待审查人数为9286人", "待审查人数为9290人") + "\n" + ADVICE
    [m] = detector.check(Article("rev", revised)).reprints
    assert m.verdict == "full_reprint"
    # its passage differs at one figure (9290 / 9286) and agrees at six: no template text at all
    assert template_spans(m.verification.passages, normalize(revised), revised, DAY_24 + "\n" + ADVICE, normalize) == []
    # the next day's issue differs at most of its figures: its sentences are template text
    [t] = detector.check(Article("d26", DAY_26)).matches
    assert template_spans(t.verification.passages, normalize(DAY_26), DAY_26, DAY_24 + "\n" + ADVICE, normalize)


def test_a_passage_paired_with_another_repeat_of_itself_is_no_template(tmp_path):
    # a slide page: "1/9 caption 2/9 caption …" — the alignment pairs repeats with each other (5/9 against 1/9)
    page = "".join(f"{k}/9青溪队球星最新上脚鞋款，连这种鞋子都有人穿上场打球！" for k in range(1, 9))
    copy = "原标题：青溪队球星最新上脚鞋款\n" + page + "\n来源: 新浪\n责任编辑：李明"
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("slides", page, "鞋款")])
        [m] = d.check(Article("c", copy)).matches
        assert any(p.licensed_start < p.suspect_start - 100 for p in m.verification.passages)  # shifted repeats
        assert template_spans(m.verification.passages, normalize(copy), copy, page, normalize) == []


def test_digit_string_reads_every_decimal_digit_as_the_character_loop_did():
    """One regex over the slice (``\\d``) for the loop over every character: the same digits for every
    decimal digit of Unicode (ASCII, full-width, Arabic-Indic, …), none for other figures (②, ²) or letters."""
    import sys
    import unicodedata

    from reprintwatch.dedupe.templates import _digit_string

    def loop(text: str) -> str:  # the definition it replaced
        return "".join(str(unicodedata.decimal(c)) for c in text if c.isdecimal())

    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if chr(cp).isdecimal())
    assert len(every) > 600 and _digit_string(every) == loop(every)
    text = "截至２４日16时，报名人数为٤١٩٣٧人，②号职位²"
    assert _digit_string(text) == loop(text) == "241641937"
    assert _digit_string(text, 2, 7) == loop(text[2:7]) == "2416"
    assert _digit_string("没有数字") == ""


def system_tally(system: str, passed: int, ratio: str) -> str:
    """One system's item of a tutoring firm's tally of one day: the day's common lead and figures, then that
    system's own count (the item's headline figure)."""
    return (f"截至23日16时，青溪市公务员考试报名已经进行了近两天，共有5.4万人过审，其中，{system}过审人数为{passed}人，"
            f"平均竞争比{ratio}。青溪市公务员考试{system}过审人数最多前十职位（来源：明远教育）")


def test_two_items_of_one_days_tally_differ_at_their_headline_figure(tmp_path):
    """Sina seeds 1-2 (3574251): 国考海关系统1461人过审 and 国考海事系统896人过审 share the day's lead and its figures
    (23日16时, 5.4万) and part at the one figure each item reports: more figures agree than differ, so rules 8
    called one a full reprint of the other. That the texts part at a figure of a title says they are two issues."""
    from reprintwatch.dedupe.templates import _parted_figures, headline_figure_parted

    customs, maritime = system_tally("海关系统", 1461, "2.68：1"), system_tally("海事系统", 896, "1.3：1")
    a, b = _norm(maritime), _norm(customs)
    parted = _parted_figures(a, (0, len(a)), b, (0, len(b)))
    assert {(x, y) for _, x, y in parted} >= {("896", "1461")}  # they part at each item's own count
    assert headline_figure_parted(parted, "青溪考试海事系统896人过审", "青溪考试海关系统1461人过审")
    assert headline_figure_parted(parted, "海事系统过审人数公布", "青溪考试海关系统1461人过审")  # either title
    # a title's digits where the texts do not part say nothing (360安全大脑 beside two dates that differ)
    assert not headline_figure_parted([(10, "8", "6")], "直击|周鸿祎：360安全大脑", "直击|王小川：AI领域存在泡沫")
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("customs", customs, "青溪考试海关系统1461人过审 人气高", "明远教育")])
        result = d.check(Article("maritime", maritime, "青溪考试海事系统896人过审 多个职位挂零"))
        assert result.reprints == [] and [m.discounted for m in result.matches] == ["template"]
        # a copy with a figure revised among the day's kept is still a copy of the item (no headline changed)
        revised = customs.replace("平均竞争比2.68", "平均竞争比2.7")
        assert [m.verdict for m in d.check(Article("rev", revised, "海关1461人过审")).reprints] == ["full_reprint"]
        assert [m.verdict for m in d.check(Article("copy", customs, "重磅！海关系统1461人过审")).reprints] == ["full_reprint"]


def casting(day: int, name: str, credits: str, cast: str) -> str:
    """One item of an entertainment desk's casting template for one film: the day's dateline, the actor the item
    exists to report (with credits), then the film's paragraph every item of it repeats."""
    return (f"青溪娱乐讯北京时间11月{day}日消息，{name}{credits}加盟林远执导新片《雾港来信》，此前已定主演有{cast}。"
            "影片讲述一位退休邮差在海边小城替陌生人送出积压多年的信件，每一封信都牵出一段被遗忘的往事，"
            "剧本由林远与苏眉合作编写，明年春天在青溪开拍，邮局、码头和老街都按八十年代的样子重新搭建。")


CAST = "陈默（《北岸》《长河》）、何青（《灯塔》）、宋一帆（《风起》《白露》）、顾南星（《远山》）"


def test_two_casting_items_that_part_at_their_titles_names_are_template_siblings(tmp_path):
    """Sina seeds 1-4 (8f4e99f): three 新浪娱乐 casting items of one film (…消息，休·格兰特加盟盖·里奇执导新片《纨绔子弟》，
    此前已定主演有…) were full reprints of each other: they part at the one name each reports — its title's — not
    at a figure. A slot (the same words before and after, another filler each side) where each item's filler is a
    term of its own title is template text."""
    from reprintwatch.dedupe.templates import title_slot_spans

    first = casting(8, "周闻", "（《山海谣》《夜航》）", CAST)
    later = casting(12, "许知秋", "", CAST + "、周闻")
    titles = ("许知秋加盟《雾港来信》 林远执导", "《山海谣》男星加盟《雾港来信》 林远执导")
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("first", first, titles[1], "青溪娱乐")])
        # titled by what both items say, the later item is a full reprint of the first (verify(): 93 % of it, in order)
        [m] = d.check(Article("later", later, "《雾港来信》新消息")).reprints
        assert m.verdict == "full_reprint" and m.verification.licensed_coverage > 0.9
        # titled by the name it reports, the name's sentence is the template's slot: what is left is the film's
        # paragraph, a partial reprint at most (as another issue of a figure template that copies prose)
        [m] = d.check(Article("later", later, titles[0])).matches
        assert m.verdict != "full_reprint"
        spans = title_slot_spans(m.verification.passages, later, first, titles, normalize)
        assert spans and all(later[a:b] in later.split("。")[0] + "。" for a, b in spans)
        # one title naming its filler is not enough: the other's filler may be a copier's edit
        for one in (("《雾港来信》新消息", titles[1]), (titles[0], "《雾港来信》选角")):
            assert title_slot_spans(m.verification.passages, later, first, one, normalize) == []
        # a copy keeps the item's name whatever its title: retitled, or behind the copier's own lead
        for title, text in (("重磅！许知秋加盟新片", first), ("周闻加盟", "【娱乐快报】许知秋与周闻都来了。\n" + first)):
            assert [x.verdict for x in d.check(Article("copy", text, title)).reprints] == ["full_reprint"]


SERIES_LEAD = ("青溪科技讯11月6日晚间消息，第三届青溪数字经济大会将于11月7日至9日在青溪湖畔举行，"
               "本次大会以“连接共享的数字未来——携手共建开放合作的产业生态”为主题。")


def test_two_items_of_a_series_that_share_its_lead_sentence_are_template_siblings(tmp_path):
    """Sina seeds 1-4 (8f4e99f): a 直击 series' items repeat the event's lead sentence whole and go on with the
    one person each reports (…为主题。在会议期间，网易创始人丁磊… / …360公司董事长周鸿祎…); a 122-character item that
    is little more than that lead was a full reprint in six other items of the series."""
    short = SERIES_LEAD + "在会议期间，云杉科技创始人罗明接受采访表示，云杉今年的用户规模会翻倍。"
    other = (SERIES_LEAD + "在会议期间，北辰资本合伙人周衡接受媒体采访时表示，产业互联网刚刚起步，未来会有非常高速的发展，"
             "传统企业在数字化方面的投入还远远不够，投资机构应当更有耐心。周衡认为，数据是新的生产资料。")
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("luo", short, "直击|罗明透露：云杉今年的用户规模会翻倍", "青溪科技")])
        [m] = d.check(Article("zhou", other, "直击|北辰资本周衡：产业互联网未来会有非常高速的发展")).matches
        assert m.verification.verdict == "full_reprint" and m.discounted == "template" and m.verdict == "none"
        # the item copied, under another title, is still a copy of it
        [c] = d.check(Article("copy", short + "（完）", "罗明：用户规模翻倍")).reprints
        assert c.verdict == "full_reprint"


def _sentence_pairs(a: str, b: str):
    """The i-th sentence of ``a`` aligned with the i-th of ``b`` (as the rewrite path's AlignedPair)."""
    import re

    from reprintwatch.dedupe.rewrite import AlignedPair

    def spans(t):
        return [(m.start(), m.end()) for m in re.finditer(r"[^。]+。", t)]
    return [AlignedPair(x0, x1, y0, y1, 0.5) for (x0, x1), (y0, y1) in zip(spans(a), spans(b))]


NOTICE_FORM = ("青溪财经讯 11月5日消息，{name}({ticker})宣布，将于美国东部时间11月20日美股开盘前发布第三季度财报。"
               "财报发布后，{name}管理层将于当日上午8时召开电话会议，收听电话会议的电话号码为4006-208-038。"
               "此外，{name}官方网站投资者关系频道将对电话会议进行网络直播，并提供录音。")


def test_two_firms_notices_of_one_template_part_at_their_titles_subjects_in_every_aligned_sentence():
    """Sina seeds 1-10 (8f4e99f, abcd41a): two firms' earnings-date notices of one desk's template (…拼多多(NASDAQ:PDD)
    宣布，将于… / …优信(Nasdaq:UXIN)今日宣布，将于…) were a `rewrite` of each other. Each item's subject — its title's —
    recurs in the sentences the rewrite path aligns; a wash keeps the names, and a washer's own headline phrase
    parts one aligned pair at most."""
    from reprintwatch.dedupe.templates import ALIGNED_SLOT_MIN_PAIRS, aligned_title_slots

    a = NOTICE_FORM.format(name="云杉科技", ticker="NASDAQ:YSKJ")
    b = NOTICE_FORM.format(name="北辰汽车", ticker="Nasdaq:BCQC")
    titles = ("云杉科技11月20日发布第三季度财报", "北辰汽车将于11月20日发布第三季度财报")
    hits = aligned_title_slots(_sentence_pairs(a, b), a, b, titles, normalize)
    assert len(hits) == 3 >= ALIGNED_SLOT_MIN_PAIRS
    # a copy keeps the subject: washed, retitled with a synonym around the same words, nothing parts
    wash = a.replace("宣布", "公布").replace("召开", "举行").replace("进行网络直播", "开展网上直播")
    assert aligned_title_slots(_sentence_pairs(wash, a), wash, a, ("云杉科技公布第三季度财报日期", titles[0]),
                               normalize) == []
    # a wash retitled from its own wording parts one pair (its headline phrase), not two
    reworded = wash.replace("发布第三季度财报", "披露三季度业绩")
    hits = aligned_title_slots(_sentence_pairs(reworded, a), reworded, a, ("云杉科技将披露三季度业绩", titles[0]),
                               normalize)
    assert len(hits) < ALIGNED_SLOT_MIN_PAIRS
    # one title, or titles that are one: nothing to tell apart
    assert aligned_title_slots(_sentence_pairs(a, b), a, b, (titles[1], titles[1]), normalize) == []


DRAW_RESULTS = ("彩果方面，本期焦点战中，青溪队主场1比1战平北岸队，远山队主场被白露队逼平，爆出1赔9.94的大冷门。"
                "联赛方面，长河队轻取对手，灯塔队与风起队握手言和，雾港队主场败给海城队，另外三支球队都拿到3分。"
                "温馨提示：本期兑奖截止日为明年1月3日，逾期作弃奖处理，请购彩者妥善保管彩票，及时前往指定网点兑奖。")


def test_a_full_reprint_without_the_licensed_titles_headline_figure_is_a_partial(tmp_path):
    """Sina seeds 14 and 18 (a12f76e, bd9f52a): one lottery desk's two items of one draw — the 任九 item holds the
    头奖 item's results paragraph, table and footer but not its headline sentence (头奖开出6注，单注奖金240万元) —
    were a full reprint, read wrong twice. The figure the licensed item exists to report (a 3+-digit figure of its
    title its text states) is nowhere in the suspect: it is judged a partial of the text around it (rules 14). A
    copy that keeps the figure, or a licensed title whose figure its text never states, stays a full reprint."""
    from reprintwatch.dedupe.templates import headline_figure_missing

    jackpot = ("北京时间11月4日，青溪彩票第18144期开奖结果揭晓。本期头奖开出6注，单注奖金240万元，"
               "任九开出1396注，单注奖金10214元。" + DRAW_RESULTS)
    pool = ("北京时间11月4日，青溪彩票第18144期开奖结果揭晓。本期任九开出1396注，单注奖金10214元。" + DRAW_RESULTS)
    assert headline_figure_missing("任九开1396注10214元", pool, "周六头奖6注240万", jackpot) == ["240"]
    assert headline_figure_missing("重磅！头奖6注240万", pool, "周六头奖6注240万", jackpot) == []  # in its title
    assert headline_figure_missing("任九开奖", jackpot, "周六头奖6注240万", jackpot) == []  # in its text
    assert headline_figure_missing("任九开奖", pool, "周六头奖6注", jackpot) == []  # 1-2 digits: no headline figure
    assert headline_figure_missing("任九开奖", pool, "头奖单注奖金达到9999元", jackpot) == []  # not in its own text
    # figures are read with their marks (23.78 as in a title, 1,396) and parted by other punctuation
    assert headline_figure_missing("季报", "净亏损为23.78亿元，同比增长240%，2019年将扩产", "亏损23.78亿元 增240%",
                                   "净亏损23.78亿元，同比增长240%。") == []
    assert headline_figure_missing("季报", "共1,396注，单注10214元", "任九开1396注", "任九开出1396注。") == []
    assert headline_figure_missing("季报", "净亏损为23.7亿元", "亏损23.78亿元", "净亏损23.78亿元。") == ["2378"]
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        d = Detector(idx)
        d.add([Article("jackpot", jackpot, "周六足彩头奖6注240万", "明远彩票")])
        assert [m.verdict for m in d.check(Article("pool", pool, "周六足彩任九开1396注10214元")).reprints] \
            == ["partial_reprint"]
        assert [m.verdict for m in d.check(Article("copy", jackpot, "任九开1396注")).reprints] == ["full_reprint"]


# Two issues of one fictional column: the column's intro and footer around each issue's own body.
COLUMN_INTRO = ("指数说明\n本栏目根据全市各投注站当日的实际销量和成交数据，采用统一的加权算法计算每一场比赛的冷热程度，"
                "再与各家机构开出的赔率进行对比，为读者判断投注选项的冷热提供参考。\n")
COLUMN_FOOTER = "\n（青溪晚报体育彩票专栏独家稿件，未经许可请勿转载）"
BODY_45 = ("偏热场次：城南队。城南队近五轮联赛四胜一平，主场优势明显，本场投注明显倾向主队，但机构赔率反而上调，"
           "主队大胜的可能并不大，建议读者谨慎对待，防范平局的出现。")
BODY_46 = ("偏冷场次：江北队对湖西队。两队上一次交手打成二比二，本赛季江北队客场表现一般，湖西队则保持主场不败，"
           "然而本场主胜的投注比例不到三成，明显偏冷，可以考虑以主胜为主，辅以平局。")


def column(issue: int, body: str) -> Article:
    return Article(f"issue{issue}", COLUMN_INTRO + body + COLUMN_FOOTER, f"[青溪彩票]足彩18{issue}期冷热指数：{body[5:9]}",
                   "青溪晚报")


def test_two_issues_of_one_series_share_the_series_text_not_each_other_s(tmp_path):
    with SQLiteIndex(tmp_path / "licensed.db") as idx:
        detector = Detector(idx)
        detector.add([column(145, BODY_45)])
        other = detector.check(column(146, BODY_46))
        [m] = [m for m in other.matches if m.licensed.id == "issue145"]
        # the intro and footer alone make a partial reprint for verify(); the two are one column's issues
        assert m.verification.is_reprint and m.verdict == "none" and m.discounted
        # a copy of the issue (its title, its number) is still one
        copy = detector.check(Article("copy", "点击上方蓝字关注我们\n" + column(145, BODY_45).content, column(145, BODY_45).title))
        assert [(m.licensed.id, m.verdict) for m in copy.reprints] == [("issue145", "full_reprint")]


def test_series_siblings_read_the_issue_number_or_a_link_naming_the_suspect():
    assert series_siblings(("[新浪彩票]足彩18146期冷热指数：甲队设防平局", "[新浪彩票]足彩18145期冷热指数：乙队设防大冷"), "")
    assert series_siblings(("时装粥Vol.6 | 纽约看秀", "时装粥Vol.7 | 纽约完结篇"), "")
    assert series_siblings(("国考报名第八日：总数将破90万", "2019国考报名第七日：平均竞争比40:1"), "")
    # one issue (a copy keeps the number), two series, or numbers that are no issue's
    assert not series_siblings(("足彩18146期冷热指数：甲队", "足彩18146期冷热指数：甲队设防"), "")
    assert not series_siblings(("足彩18146期冷热指数", "篮彩18145期竞猜分析"), "")
    assert not series_siblings(("女排3比0胜日本队", "女排3比1胜日本队"), "")
    # the licensed column's links to the author's other columns name the suspect: an earlier item of that column
    title = "城南队的刀片和江北队的骂声 你会怎么看主教练"
    links = "正文在这里，讲的是另一场比赛。" * 5 + "\n（青溪体育 某某 专栏）\n作者其他文章：\n" + title + "\n另一篇专栏的标题在这里"
    assert series_siblings((title, "另一篇专栏"), links)
    assert names_the_other(title, links, "另一篇专栏")
    # not a title met in a lead, a 原标题 line or a subhead inside a paragraph: a copy keeps its headline there
    assert not names_the_other(title, "原标题：" + title + "\n" + "正文。" * 40, "另一篇")
    assert not names_the_other(title, "正文。" * 40 + "\n据报道，" + title + "，这是一段很长的正文，说了很多别的事情。", "另一篇")
