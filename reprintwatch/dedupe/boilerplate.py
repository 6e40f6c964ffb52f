"""Patterns for text that is not the article: credits, datelines, bylines, editor lines, and the
follow-us / QR-code / disclaimer furniture of WeChat and self-media pages.

The patterns run on NFKC-folded, simplified, lower-cased text (so ``：`` is ``:`` and ``（`` is ``(``).
Each returns ``(kind, start, end)``; :func:`find_boilerplate` merges them into non-overlapping spans.
Credits, 原标题, datelines and bylines are removed from the fingerprint (copiers strip or rewrite them)
but are kept by the normaliser for attribution checks.
"""
from __future__ import annotations

import re

# A "clause" ends at sentence punctuation or a line break; the bounded repetitions keep a pattern from
# eating a paragraph when the punctuation it expects is missing.
_END = r"[。!?！？\n]"
_NOT_END = r"[^。!?！？\n]"
_NAME = r"[^\s,，。;；!！?？|)\]】》]"

# (kind, triggers, pattern): every match contains one of the trigger strings, so a text without any of
# them skips the regex (most articles carry none of this furniture).
_RAW_PATTERNS = (
    # credits
    ("source", ("来源", "稿源", "出处"), rf"(?:文章|本文|信息|新闻|稿件)?(?:来源|稿源|出处)\s*[:丨|]\s*{_NAME}{{1,40}}"),
    ("source", ("转载", "转自", "摘自", "选自"), rf"(?:本文|文章)?(?:转载|转自|转载自|摘自|选自)\s*[:丨|]?\s*[\"“《]?{_NAME}{{1,30}}"),
    ("source", ("本文",), rf"本文(?:来自|来源于|首发于|原载于)\s*(?:微信)?(?:公众号)?\s*[:丨|]?\s*[\"“《]?{_NAME}{{1,30}}"),
    ("original_title", ("原标题",), r"原标题\s*[:丨|]?\s*[^\n\s]{1,60}"),
    # datelines: 新华社北京1月2日电 / 中新网上海3月4日讯 / 本报讯, optionally with (记者 …)
    (
        "dateline",
        ("日电", "日讯", "日消息", "社电", "本报讯"),
        r"(?:(?:新华社|中新社|中新网|人民网|央视网|新华网|中国新闻网|[\u4e00-\u9fff]{2,8}(?:社|网|报|台))"
        r"[\u4e00-\u9fff]{0,10}\d{1,2}月\d{1,2}日(?:电|讯|消息)|新华社电|中新社电|本报讯)"
        r"(?:\s*\((?:记者|通讯员)[^)]{1,40}\))?",
    ),
    ("byline", ("记者", "通讯员", "实习生"), r"\((?:记者|通讯员|实习生|实习记者|本报记者)[^)\n]{1,40}\)"),
    (
        "byline",
        ("记者", "通讯员"),
        r"(?:^|\n)\s*(?:新华社|本报|中新社)?(?:记者|通讯员)\s*[\u4e00-\u9fff·]{2,4}(?:[、,\s]+[\u4e00-\u9fff·]{2,4}){0,4}\s*(?=\n|$)",
    ),
    (
        "editor",
        ("编辑", "责编", "校对", "审核", "审校", "排版", "美编", "监制", "主编", "策划", "统筹", "作者"),
        rf"(?:责任编辑|责编|编辑|校对|审核|审校|排版|美编|监制|主编|策划|统筹|作者)\s*[:丨|]\s*{_NAME}{{1,20}}",
    ),
    # WeChat / self-media furniture
    ("boilerplate", ("点击",), rf"点击(?:上方|下方|标题下|文末)?{_NOT_END}{{0,12}}关注{_NOT_END}{{0,20}}"),
    ("boilerplate", ("二维码",), rf"(?:长按|扫描|扫码|识别){_NOT_END}{{0,12}}二维码{_NOT_END}{{0,20}}"),
    ("boilerplate", ("关注",), rf"关注(?:我们|本号|公众号){_NOT_END}{{0,24}}"),
    (
        "boilerplate",
        ("侵权", "版权问题"),
        rf"(?:本文|文章|图片|部分内容){_NOT_END}{{0,30}}(?:侵权|版权问题){_NOT_END}{{0,30}}(?:删除|删|处理){_NOT_END}{{0,10}}",
    ),
    ("boilerplate", ("版权归",), rf"版权归(?:原作者|原作|作者)(?:所有){_NOT_END}{{0,40}}"),
    ("boilerplate", ("转载",), rf"(?:转载请注明出处|未经(?:授权|许可)(?:不得|禁止|严禁)转载){_NOT_END}{{0,20}}"),
    (
        "boilerplate",
        ("在看", "赞"),
        rf"(?:喜欢(?:就|请)?|记得)?(?:点个?|给个|顺手点?)\s*(?:在看|赞)(?:和|、|\+)?(?:在看|转发|分享)?{_NOT_END}{{0,16}}",
    ),
    ("boilerplate", ("朋友圈", "好友", "更多人"), rf"(?:分享|转发)(?:到|给)?(?:朋友圈|好友|更多人){_NOT_END}{{0,16}}"),
    ("boilerplate", ("阅读原文", "往期", "推荐阅读"), r"(?:阅读原文|往期(?:精彩)?(?:回顾|推荐)|推荐阅读)"),
    ("boilerplate", ("免责声明",), rf"免责声明\s*[:丨|]?{_NOT_END}{{0,120}}"),
    ("boilerplate", ("更多",), rf"更多(?:精彩|新闻|资讯)?(?:内容|资讯)?,?请?(?:关注|下载){_NOT_END}{{0,24}}"),
)

PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern], ...] = tuple(
    (kind, triggers, re.compile(pattern)) for kind, triggers, pattern in _RAW_PATTERNS
)

# For three patterns, the furthest a match can start before a trigger it holds (read off the pattern). Their
# matches are tried only at those places (``_matches_near``) instead of searching the whole text: each opens
# with an optional group or a character class, so re's search tries them at every character of the text: the
# three were the slowest patterns, and find_boilerplate went from 38-42 to 26-28 µs a text (3,000 real Sina
# articles folded, CPU time, 844c6af and this alternating). The others keep the plain search (a leading
# ``\s*`` has no bound; the rest are cheap).
_LEAD = {  # by the pattern's triggers
    ("来源", "稿源", "出处"): 2,  # (?:文章|本文|信息|新闻|稿件)?(?:来源|稿源|出处)
    ("转载", "转自", "摘自", "选自"): 2,  # (?:本文|文章)?(?:转载|转自|转载自|摘自|选自)
    # [\u4e00-\u9fff]{2,8}(?:社|网|报|台) (9; the named outlets ≤ 5) [\u4e00-\u9fff]{0,10} \d{1,2} 月 \d{1,2}
    # before 日电/日讯/日消息: 24; 新华社电/中新社电 hold 社电 at 2, 本报讯 starts with its trigger
    ("日电", "日讯", "日消息", "社电", "本报讯"): 24,
}


def _matches_near(pattern: re.Pattern, text: str, triggers: tuple[str, ...], lead: int):
    """``pattern.finditer(text)``'s non-empty matches, for a pattern whose every match holds one of
    ``triggers`` at most ``lead`` characters after its start: ``match`` is tried at each such place, in
    order, from where the last match ended — what finditer's search finds first from there (the leftmost
    match), with the same lookbehinds (the whole text is passed)."""
    places: set[int] = set()
    for t in triggers:
        at = text.find(t)
        while at >= 0:
            places.update(range(max(0, at - lead), at + 1))
            at = text.find(t, at + 1)
    end = 0
    match = pattern.match
    for p in sorted(places):
        if p < end:
            continue
        m = match(text, p)
        if m is not None and m.end() > m.start():
            yield m
            end = m.end()


def _trigger_finder(patterns) -> tuple[re.Pattern, dict[str, frozenset[str]]]:
    """One regex finding every trigger of ``patterns`` (longest first), and for each trigger the triggers
    that are prefixes of it (found at the same place by the longer one)."""
    triggers = sorted({t for _, ts, _ in patterns for t in ts}, key=lambda t: (-len(t), t))
    prefixes = {t: frozenset(u for u in triggers if t.startswith(u)) for t in triggers}
    return re.compile("|".join(map(re.escape, triggers))), prefixes


_TRIGGERS, _PREFIXES = _trigger_finder(PATTERNS)


def present_triggers(text: str, finder=_TRIGGERS, prefixes=_PREFIXES) -> set[str]:
    """The triggers occurring in ``text``, exactly as ``{t for t in triggers if t in text}``: one search
    from each place a trigger starts (so one starting inside another is found too), plus the prefixes of
    the longest trigger found at each place. Why: testing each pattern's triggers with ``in`` was 64
    scans of the text, about half of ``find_boilerplate`` (cProfile, 1,060 scan texts)."""
    found: set[str] = set()
    search = finder.search
    m = search(text)
    while m is not None:
        found |= prefixes[m.group()]
        m = search(text, m.start() + 1)
    return found


def find_boilerplate(text: str) -> list[tuple[str, int, int]]:
    """Non-overlapping ``(kind, start, end)`` spans of boilerplate in folded text, in text order.

    Where two patterns overlap, the earlier-starting (then longer) span wins.
    """
    spans: list[tuple[int, int, str]] = []
    present = present_triggers(text)
    for kind, triggers, pattern in PATTERNS:
        if present.isdisjoint(triggers):
            continue
        lead = _LEAD.get(triggers)
        for match in pattern.finditer(text) if lead is None else _matches_near(pattern, text, triggers, lead):
            if match.end() > match.start():
                spans.append((match.start(), match.end(), kind))
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[str, int, int]] = []
    last_end = -1
    for start, end, kind in spans:
        if start >= last_end:
            merged.append((kind, start, end))
            last_end = end
    return merged


# --------------------------------------------------------------------------- credits, for attribution
#
# These patterns read *who* a copy credits. They are not used by :func:`find_boilerplate`, so they never
# change what is fingerprinted (detection stays as measured by bench/quality.py). Like the patterns above
# they run on folded text (NFKC, lower case, simplified: ``：`` is ``:``, ``（`` is ``(``, 來源 is 来源).
# Group ``name`` is the credited outlet as written (spaces included: 江 南 日 报), ``form`` the phrase.

# where a credited name stops: punctuation, a line end, the next field of a credit line, or a date
_NAME_STOP = (
    r"(?=\s*(?:$|\n|[,，。;；!！?？|丨)\]】》」』\"”]|:|作者|记者|编辑|责编|责任编辑|文/|图/|原标题|发布|时间|日期|"
    r"\d{4}\s*[-年/.]|\s{2,}))"
)
_CREDIT_NAME = r"[\"“《「『]?\s*(?P<name>[^\n,，。;；!！?？|丨)\]】》」』\"”:]{1,40}?)\s*[\"”》」』]?" + _NAME_STOP
_ACCOUNT_WORDS = r"(?:微信公众号|公众号|微信号|微信)?\s*[:丨|]?\s*"

_RAW_CREDIT_PATTERNS = (
    # 以下文章来源于江南日报 ,作者王某 (WeChat's repost card)
    ("wechat_card", ("以下文章来源于",), r"(?P<form>以下文章来源于)\s*" + _CREDIT_NAME),
    # 本文来自(微信公众号)江南日报 / 本文转载自… / 本文首发于…
    ("source", ("本文", "文章"), r"(?P<form>(?:本文|文章)(?:来自|来源于|首发于|原载于|转载自|转自|摘自|选自))\s*"
     + _ACCOUNT_WORDS + _CREDIT_NAME),
    # 转载自(微信公众号)江南日报 / 转自… / 摘自…
    ("repost", ("转载", "转自", "摘自", "选自"), r"(?<!本文)(?<!文章)(?P<form>转载自|转载于|转自|摘自|选自|转载)\s*[:丨|]?\s*"
     + _ACCOUNT_WORDS + _CREDIT_NAME),
    # 来源：江南日报 / 来源丨江南日报 / 稿源: …
    ("source", ("来源", "稿源", "出处"), r"(?P<form>(?:本文|文章|信息|新闻|稿件|内容)?(?:来源|稿源|出处))\s*[:丨|]\s*"
     + _ACCOUNT_WORDS + _CREDIT_NAME),
    # at a line start the separator may be missing, or a decoration the folding drops (来源丨新华社)
    ("source", ("来源",), r"^\s*(?P<form>(?:本文|文章)?来源)(?![于是自地])\s*" + _ACCOUNT_WORDS + _CREDIT_NAME),
    # 据江南日报报道 / 据新华社消息 (据…消息 only from a name that looks like a news outlet: 据发改部门消息
    # names a source of information, not a publication)
    ("report", ("据",), r"(?P<form>据)\s*(?P<name>[^\n,，。;；!！?？:]{2,20}?)\s*(?:记者)?\s*(?:报道|报导)"),
    ("report", ("据",), r"(?P<form>据)\s*(?P<name>[^\n,，。;；!！?？:]{0,16}?(?:日报|晚报|早报|时报|新闻|客户端|报|社|网|台))"
     r"\s*(?:记者)?\s*消息"),
    # 江南日报讯 / 江南日报11月20日讯 / 新华社南京11月2日电 / 本报讯  (at a line or sentence start)
    ("dateline", ("讯", "电", "消息"),
     r"(?:^|(?<=[\n\s。!?！？]))(?P<form>(?:(?P<name>新华社|中新社|中新网|人民网|央视网|新华网|中国新闻网|本报|本网|本台)\s*"
     r"(?:(?:[\u4e00-\u9fff]{0,10}\d{1,2}月\d{1,2}日)?(?:电|讯)|[\u4e00-\u9fff]{0,10}\d{1,2}月\d{1,2}日消息)"
     r"|(?P<name2>[\u4e00-\u9fff]{2,10}?(?:新闻网|新闻客户端|日报|晚报|早报|时报|新闻|客户端|报|社|网|台))\s*"
     r"(?:(?:[\u4e00-\u9fff]{0,10}\d{1,2}月\d{1,2}日)?讯|[\u4e00-\u9fff]{0,10}\d{1,2}月\d{1,2}日(?:电|消息))))"),
    # 原标题：… (names the licensed title, not an outlet)
    ("original_title", ("原标题",), r"(?P<form>原标题)\s*[:丨|]?\s*(?P<title>[^\n]{1,60})"),
    # bylines: (记者 王小明 李华) / a line "记者 孙立新" / right after a dateline
    ("byline", ("记者", "通讯员", "实习生"), r"(?P<form>\((?:本报)?(?:记者|通讯员|实习生|实习记者)[^)\n]{1,40}\))"),
    ("byline", ("记者", "通讯员", "实习生"),
     r"(?:^|(?<=\n)|(?<=讯)|(?<=电))\s*(?P<form>(?:新华社|本报|中新社)?(?:记者|通讯员|实习生)\s*[\u4e00-\u9fff·]{2,4}"
     r"(?:[、,\s]+[\u4e00-\u9fff·]{2,4}){0,4})\s*(?=\n|$)"),
)

CREDIT_PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern], ...] = tuple(
    (kind, triggers, re.compile(pattern, re.MULTILINE)) for kind, triggers, pattern in _RAW_CREDIT_PATTERNS
)


def find_credit_spans(text: str) -> list[tuple[str, re.Match]]:
    """``(kind, match)`` for every credit-like phrase in folded text, in text order, overlaps removed
    (the earlier-starting, then longer, match wins)."""
    found = []
    for kind, triggers, pattern in CREDIT_PATTERNS:
        if any(t in text for t in triggers):
            found.extend((kind, m) for m in pattern.finditer(text) if m.end() > m.start())
    found.sort(key=lambda km: (km[1].start(), -km[1].end()))
    kept: list[tuple[str, re.Match]] = []
    last_end = -1
    for kind, m in found:
        if m.start() >= last_end:
            kept.append((kind, m))
            last_end = m.end()
    return kept
