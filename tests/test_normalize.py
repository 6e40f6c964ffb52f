"""Normalisation: what a copier changes must not change the normalised text, and offsets map back."""
import pytest

from reprintwatch.dedupe import normalize

ORIGINAL = "江南日报讯 全市首条无人驾驶公交线路今天开通，首批投入12辆新能源车。"


def test_plain_text_keeps_letters_and_digits_only():
    assert normalize("你好，世界！ABC 123。").text == "你好世界abc123"


def test_full_width_digits_and_letters_are_folded():
    assert normalize("２０２６年ＡＢＣ").text == normalize("2026年abc").text == "2026年abc"


@pytest.mark.parametrize(
    "disguised",
    [
        "全\u200b市首条无\u200d人驾驶公交线路今天开通\ufeff，首批投入１２辆新能源车。",  # zero-width characters
        "全市首条🚌无人驾驶公交线路今天开通🎉，首批投入12辆新能源车✨。",  # emoji
        "全·市·首·条无人驾驶公交线路今天开通，首批投入12辆新能源车。",  # sprinkled dots
        "全丨市丨首丨条无人驾驶公交线路今天开通，首批投入12辆新能源车。",  # 丨 separators
        "全市首條無人駕駛公交線路今天開通，首批投入12輛新能源車。",  # traditional characters
        "全市  首条 无人驾驶\n公交线路今天开通，首批投入12辆新能源车。",  # whitespace
    ],
)
def test_disguises_normalise_to_the_same_text(disguised):
    plain = "全市首条无人驾驶公交线路今天开通，首批投入12辆新能源车。"
    assert normalize(disguised).text == normalize(plain).text


def test_offsets_point_into_the_original_text():
    text = "点击上方蓝字关注我们\n全\u200b市·首条线路今天開通。"
    norm = normalize(text)
    start = norm.text.index("首条")
    o_start, o_end = norm.original_span(start, start + 2)
    assert text[o_start:o_end] == "首条"
    o_start, o_end = norm.original_span(norm.text.index("开通"), norm.text.index("开通") + 2)
    assert text[o_start:o_end] == "開通"


def test_wechat_boilerplate_is_removed_and_kept_aside():
    text = (
        "点击上方蓝字关注我们！\n" + ORIGINAL + "\n本文转载自网络，如有侵权请联系删除。\n"
        "长按识别二维码关注\n喜欢就点个在看吧\n责任编辑：王小二"
    )
    norm = normalize(text)
    assert "关注" not in norm.text and "二维码" not in norm.text and "侵权" not in norm.text
    assert "在看" not in norm.text and "王小二" not in norm.text
    assert "无人驾驶公交线路" in norm.text
    kinds = {r.kind for r in norm.removed}
    assert {"boilerplate", "editor"} <= kinds
    for removed in norm.removed:
        assert text[removed.start:removed.end] == removed.text


def test_credits_and_datelines_are_kept_for_attribution():
    text = "新华社北京11月2日电（记者 李华）今年前三季度，全国快递业务量同比增长两成。\n来源：新华社\n原标题：快递业务量持续增长"
    norm = normalize(text)
    by_kind = {r.kind: r.text for r in norm.removed}
    assert by_kind["dateline"].startswith("新华社北京11月2日电")
    assert "李华" in by_kind["dateline"]
    assert by_kind["source"] == "来源：新华社"
    assert by_kind["original_title"].startswith("原标题：快递业务量")
    assert norm.text.startswith("今年前三季度")


def test_ordinary_sentences_that_mention_reporters_are_not_removed():
    text = "记者在现场看到，工作人员正在调试设备。该公司报告称发电量增长。"
    assert normalize(text).text == "记者在现场看到工作人员正在调试设备该公司报告称发电量增长"


def test_empty_and_symbol_only_text():
    assert normalize("").text == ""
    assert normalize("🎉🎉！！——").text == ""


def test_the_trigger_search_finds_exactly_the_triggers_in_the_text():
    """find_boilerplate skips a pattern when none of its triggers occurs; the one-regex search must give
    the set a plain ``in`` test of every trigger gives — triggers inside others and prefixes included."""
    from conftest import real_texts
    from reprintwatch.dedupe import boilerplate as B
    from reprintwatch.dedupe.normalize import fold_text

    every = {t for _, ts, _ in B.PATTERNS for t in ts}
    texts = ["", "本文章", "更多人", "更多", "日消息日电", "转载自转自", "关注关注我们", "点击二维码免责声明阅读原文往期推荐阅读"]
    try:
        texts += [fold_text(t)[0] for t in real_texts(400, 9)]
    except pytest.skip.Exception:
        pass
    for text in texts:
        assert B.present_triggers(text) == {t for t in every if t in text}


def test_boilerplate_tried_near_triggers_finds_what_the_whole_text_search_finds():
    """Three patterns are tried only where a match can start, up to boilerplate._LEAD characters before one
    of their triggers; what they find must be what searching the whole text finds, on real texts and on
    matches that use the whole lead (an outlet of 9 characters, 10 of place, two-digit dates)."""
    from conftest import real_texts
    from reprintwatch.dedupe import boilerplate as B
    from reprintwatch.dedupe.normalize import fold_text

    def whole(text):  # find_boilerplate with every pattern searched over the whole text
        spans = sorted(((m.start(), m.end(), kind) for kind, _, p in B.PATTERNS for m in p.finditer(text)
                        if m.end() > m.start()), key=lambda s: (s[0], -s[1]))
        merged, last = [], -1
        for start, end, kind in spans:
            if start >= last:
                merged.append((kind, start, end))
                last = end
        return merged

    longest = "前" * 8 + "社" + "江" * 10 + "12月31日电"
    texts = [longest, "正文。" + longest + "更多", longest + longest[1:], "文章来源:江南日报", "xx本文转载自:某号", "新华社电 正文",
             "本报讯(记者 王明)正文", "信息来源丨新华社。" * 3, "来源:a来源:b", "中国新闻网北京1月2日电新华社电"]
    assert B.find_boilerplate(longest) == [("dateline", 0, len(longest))]
    try:
        texts += [fold_text(t)[0] for t in real_texts(600, 11)]
    except pytest.skip.Exception:
        pass
    for text in texts:
        assert B.find_boilerplate(text) == whole(text), text[:80]


def test_one_chinese_counter_for_code_and_official_register():
    """``chinese_count``/``chinese_only`` (one regex of runs) count what ``is_code`` counted one character at a
    time and ``relations`` counted by runs: the same numbers on 400 real texts and on the block's edges."""
    from conftest import real_texts

    from reprintwatch.dedupe.normalize import chinese_count, chinese_only

    def one_by_one(text):  # is_code's count before the shared counter
        return sum("\u4e00" <= c <= "\u9fff" for c in text)

    edges = ["", "abc", "\u4e00\u9fff", "\u4dff\ua000", "\u3400㐀", "𠀀中𠀁", "中文 text，標點。", "\u4e00" * 7]
    texts = edges + real_texts(400, seed=19)
    assert [chinese_count(t) for t in texts] == [one_by_one(t) for t in texts]
    assert [chinese_only(t) for t in texts] == ["".join(c for c in t if "\u4e00" <= c <= "\u9fff") for t in texts]
    assert chinese_count(edges[2]) == 2 and chinese_count(edges[3]) == 0 and chinese_only(edges[5]) == "中"


def test_code_lines_are_a_page_s_script_not_its_prose():
    from reprintwatch.dedupe.normalize import code_lines

    text = ("江南日报讯 本市地铁九号线今天开通（全长28.6公里），详见 http://example.com/metro 。\n"
            "(function(){\n    var adScript = document.createElement('script');\n"
            "    adScript.src = '//ads.example.com/js/left.js';\n})();")
    lines = [text[a:b].strip() for a, b in code_lines(text)]
    assert lines == ["(function(){", "var adScript = document.createElement('script');",
                     "adScript.src = '//ads.example.com/js/left.js';"]  # })(); holds no letter to count
    assert code_lines("一段没有代码的正文（括号里的话），还有“引号”。") == []
