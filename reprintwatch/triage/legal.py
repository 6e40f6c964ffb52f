"""Legal hints: what the law may leave free, and what a complaint must get right, for one finding.

A licence decision says whether *we* allowed a copy; it does not ask whether the copied text is protected
at all, or whether a statutory exception may cover the copier. These hints ask that, from what reprintwatch
already knows — the licensed article's text, length and structure, its template family (when the detector
names one), the copier's name and platform, the credit it gave, the title it used — and say on which rule
each rests and what in the texts it saw. Pure functions, text in, data out.

The hints (``docs/legal-hints.md`` quotes the rules):

* ``factual_news_possible`` — the licensed article may be 单纯事实消息 (《著作权法》2020 第五条第（二）项):
  a short flash or a template report with no quotes and no analysis;
* ``official_document_possible`` — the licensed article is itself an official document (a state organ's
  notice, rules, 须知), which the law does not protect (《著作权法》2020 第五条第（一）项): an outlet that
  reproduces a notice holds no right in it, so a copy of it is no claim for the outlet;
* ``current_affairs_exception_possible`` — a commentary or editorial on political/economic (religious)
  questions, copied with the outlet and title named and no reservation statement (第二十四条第一款第（四）项;
  online: 《信息网络传播权保护条例》第六条第（七）项);
* ``reservation_statement`` — the licensed article says it may not be reprinted (不得转载 …): no
  current-affairs exception, no press statutory licence (第三十五条第二款);
* ``title_distorted`` — a retitle that may change the meaning (国版办发〔2015〕3号 第三条; 第十条第一款
  第（四）项), as opposed to furniture or a harmless cut;
* ``no_credit`` — the copy does not name the licensed outlet: every exception of 第二十四条 needs the
  author and the title named.

Conservative by design: a wrong "unprotected" hint loses a rights holder a valid complaint, so each hint
says how sure it is — ``found`` (read in the text), ``possible`` (every signal points one way) or
``unsure`` (mixed signals, each listed). Hints inform; they never change a licence decision, and only a
``possible`` exception sets a finding apart from a complaint dossier (where the user can include it).
This is not legal advice.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from ..dedupe.quotes import quoted_spans
from ..dedupe.relations import DOCUMENT_MIN_CLAUSES, OFFICIAL_RATE, state_document
from .reasons import Reason, register_wording

# --------------------------------------------------------------------------- the rules hints rest on
# key → (citation, the words the hint relies on). docs/legal-hints.md quotes each one in full.
RULES: dict[str, tuple[str, str]] = {
    "CL2020-5-1": ("《著作权法》（2020）第五条第（一）项",
                   "本法不适用于：（一）法律、法规，国家机关的决议、决定、命令和其他具有立法、行政、司法性质的文件，"
                   "及其官方正式译文"),
    "CL2020-5-2": ("《著作权法》（2020）第五条第（二）项", "本法不适用于：……（二）单纯事实消息"),
    "CL2020-10-1-4": ("《著作权法》（2020）第十条第一款第（四）项", "保护作品完整权，即保护作品不受歪曲、篡改的权利"),
    "CL2020-24-1": ("《著作权法》（2020）第二十四条第一款",
                    "可以不经著作权人许可，不向其支付报酬，但应当指明作者姓名或者名称、作品名称"),
    "CL2020-24-1-4": ("《著作权法》（2020）第二十四条第一款第（四）项",
                      "媒体刊登或者播放其他……媒体已经发表的关于政治、经济、宗教问题的时事性文章，"
                      "但著作权人声明不许刊登、播放的除外"),
    "CL2020-35-2": ("《著作权法》（2020）第三十五条第二款", "作品刊登后，除著作权人声明不得转载、摘编的外，其他报刊可以转载"),
    "RIN-6-7": ("《信息网络传播权保护条例》第六条第（七）项", "向公众提供在信息网络上已经发表的关于政治、经济问题的时事性文章"),
    "RIN-10": ("《信息网络传播权保护条例》第十条", "不得提供作者事先声明不许提供的作品；指明作品的名称和作者的姓名（名称）"),
    "NCAC-2015-3": ("《关于规范网络转载版权秩序的通知》（国版办发〔2015〕3号）",
                    "互联网媒体转载他人作品……应当指明作者姓名、作品名称及作品来源；"
                    "对标题和内容做文字性修改和删节的，不得歪曲篡改标题和作品的原意"),
}

FACTUAL_NEWS = "factual_news_possible"
OFFICIAL_DOCUMENT = "official_document_possible"
CURRENT_AFFAIRS = "current_affairs_exception_possible"
RESERVATION = "reservation_statement"
TITLE_DISTORTED = "title_distorted"
NO_CREDIT = "no_credit"
CODES = (FACTUAL_NEWS, OFFICIAL_DOCUMENT, CURRENT_AFFAIRS, RESERVATION, TITLE_DISTORTED, NO_CREDIT)
# hints saying the law may leave the copy free: what sets a finding apart from a complaint
EXCEPTION_CODES = (FACTUAL_NEWS, OFFICIAL_DOCUMENT, CURRENT_AFFAIRS)

FOUND, POSSIBLE, UNSURE = "found", "possible", "unsure"
CERTAINTIES = (FOUND, POSSIBLE, UNSURE)


# a hint kept with the triage is a :class:`~reprintwatch.triage.reasons.Reason` with this code prefix
REASON_PREFIX = "hint."


@dataclass(frozen=True)
class Hint:
    """One hint: a code, how sure (``found`` / ``possible`` / ``unsure``), the rules it rests on (keys of
    :data:`RULES`), what was measured (``params``) and the text it saw (``evidence``). Kept and shown as a
    :class:`~reprintwatch.triage.reasons.Reason` (:meth:`reason`), which each renderer words itself
    (:func:`describe` in English, the complaint dossier in Chinese)."""

    code: str
    certainty: str
    rules: tuple[str, ...]
    params: dict = field(default_factory=dict)
    evidence: tuple[str, ...] = ()

    @property
    def exception(self) -> bool:
        """Does this hint say the law may leave the copy free (a ``possible`` exception, not an unsure one)?"""
        return self.code in EXCEPTION_CODES and self.certainty == POSSIBLE

    def reason(self) -> Reason:
        """The hint as the project's one shape for a judgement's why: ``code`` ``hint.<code>``, ``rule`` the
        first rule it rests on; ``evidence`` the certainty, the other rules (``also``), what was measured
        (``params``) and the text it saw (``seen``)."""
        return Reason(REASON_PREFIX + self.code, self.rules[0] if self.rules else "", {
            "certainty": self.certainty, "also": list(self.rules[1:]), "params": dict(self.params),
            "seen": list(self.evidence)})

    def to_dict(self) -> dict:
        return self.reason().to_dict()

    @classmethod
    def from_reason(cls, reason: Reason) -> "Hint":
        e = reason.evidence
        if not reason.code.startswith(REASON_PREFIX):
            raise ValueError(f"not a legal hint: {reason.code}")
        rules = ((reason.rule,) if reason.rule else ()) + tuple(e.get("also") or ())
        return cls(reason.code[len(REASON_PREFIX):], e["certainty"], rules, dict(e.get("params") or {}),
                   tuple(e.get("seen") or ()))

    @classmethod
    def from_dict(cls, d: Mapping) -> "Hint":
        """The inverse of :meth:`to_dict` (a stored reason); anything else raises KeyError/TypeError/ValueError."""
        return cls.from_reason(Reason.from_dict(d))


# --------------------------------------------------------------------------- the licensed article's kind

def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _chars(text: str) -> int:
    """Letters and digits: what a reader counts as the article's length (punctuation, spaces not)."""
    return sum(1 for ch in text if ch.isalnum())


# A 快讯 is one to three sentences: the flashes we wrote for the test set run 70–80 letters and digits; the
# 1,000 Xinhua stories in /work/shared/data (UHGEval kept only short ones) run 563 (10th percentile) to a
# median of 629, none at or under 300 (bench/legal_hints.py on 6067fea). 300 leaves a flash room and keeps
# even a short wire story out.
FLASH_MAX_CHARS = 300
# up to here a text without quotes or analysis is "unsure" (a short report may still be original expression)
SHORT_MAX_CHARS = 600
FLASH_MAX_PARAGRAPHS = 3

# Direct speech and quoted words are someone's expression chosen by the writer: their presence takes a
# text out of "pure fact" for this module (conservative; a lawyer may disagree for a one-line quote). The
# quotations are the ones attribution discounts (dedupe.quotes.quoted_spans), of two characters or more.
QUOTE_MIN_CHARS = 2
# words of analysis, judgement or argument: a commentary or a feature, never a bare fact
ANALYSIS_WORDS = (
    "认为", "分析", "看来", "意味着", "值得", "应当", "应该", "必须", "我们", "笔者", "不妨", "或许", "显然", "无疑",
    "毋庸", "事实上", "换言之", "恰恰", "理应", "不能不", "何况", "难道", "岂能", "警惕", "反思", "启示", "折射",
    "归根结底", "说到底", "试想", "关键在于", "需要指出", "不难发现", "由此可见", "我看", "评论", "观点", "专家表示",
    "业内人士", "记者了解到", "记者注意到", "记者走访", "采访", "讲述", "回忆",
    # a market report that gives causes and mood is the writer's analysis, not the day's figures alone
    # (Xinhua's stock-market closes read "在利好政策密集出台的背景下…", its gold closes only figures)
    "背景下", "影响下", "提振", "打压", "拖累", "利好", "利空", "人气", "情绪", "预期", "多空", "浅尝辄止", "恐慌", "不利",
    # someone's words reported, or the writer's own tone: 1,290 of 12,461 Sina items were "possible" without
    # these, most of them short entertainment items (…坦言, 网友热议, 果然…) that are not bare facts
    "表示", "透露", "坦言", "直言", "回应", "感叹", "爆料", "网友", "粉丝", "果然", "竟然", "居然", "不禁", "令人",
    "热议", "好评", "惊艳",
)
# below this many letters and digits there is too little text to read (an empty extraction, a slogan): the
# Sina corpus has 718 such items of 12,461; never call one unprotected
READABLE_MIN_CHARS = 40
# A commentary or an editorial says so in a label: a bracketed column name at the title's start (（新华时评）,
# 【社论】), a prefix before a colon (时评：…, 本报评论员：…) or a short first line of its own (社论). Anywhere
# else the word is news about something (…论坛在台北举行, 《中国观察报》创刊): on 1,000 Xinhua articles,
# matching the words anywhere in the title called 9 reports on forums and papers commentaries.
EDITORIAL_MARKERS = ("社论", "本报评论员", "评论员文章", "评论员")
# (编者按, an editor's note, heads interviews and features as often as opinion: 21 Sina items, none a commentary)
COMMENTARY_MARKERS = ("评论", "时评", "短评", "快评", "锐评", "热评", "述评", "社评", "周评", "点评", "观察", "观点", "随笔",
                      "杂谈", "专栏")
_LABEL_RE = re.compile(r"^\s*[（(【\[〔]([^）)】\]〕]{1,12})[）)】\]〕]")
_PREFIX_RE = re.compile(r"^\s*([^：:|｜。，,\n]{1,10})[：:|｜]")
LABEL_LINE_MAX = 10
FLASH_MARKERS = ("快讯", "速报", "简讯", "消息", "短讯", "突发")
# Template reports (market close, exchange rate, weather, traffic): the same frame every day with new
# figures. Until the detector names a template family (``family``), these words plus dense figures say it.
TEMPLATE_WORDS = (
    "收盘", "收涨", "收跌", "报收", "开盘", "涨幅", "跌幅", "上涨", "下跌", "成交额", "成交量", "主力合约", "指数",
    "元/克", "元/吨", "美元/盎司", "中间价", "汇率", "气温", "降水", "多云", "阵雨", "风力", "预报", "℃",
    "封闭", "施工", "绕行", "限行", "管制", "航班", "停运",
)
# share of letters and digits that are digits in a template report: on the 1,000 Xinhua stories the ones
# read as templates run 0.13–0.29 (median 0.24), the other reports a median of 0.04 (90th percentile 0.10,
# which the template words then must confirm); ours: gold close 0.38, weather 0.30, feature 0.00
TEMPLATE_DIGIT_SHARE = 0.08
TEMPLATE_MIN_WORDS = 3

# political / economic / religious questions (第二十四条第一款第（四）项; the network rule names only the first two)
POLITICAL_WORDS = ("政府", "政策", "改革", "治理", "人大", "政协", "法治", "外交", "国务院", "监管", "反腐", "选举",
                   "立法", "执法", "公共", "基层", "干部", "民生", "党", "部门", "制度")
ECONOMIC_WORDS = ("经济", "市场", "消费", "投资", "金融", "财政", "税", "就业", "物价", "增长", "产业", "企业", "楼市",
                  "房价", "出口", "货币", "利率", "营商环境", "民营", "收入", "价格")
RELIGIOUS_WORDS = ("宗教", "信教", "寺庙", "教会", "宗教事务")
# three distinct words of one kind: with two, a commentary on TV dramas' quality (市场, 产业) was "economic"
TOPIC_MIN_WORDS = 3


@dataclass(frozen=True)
class Kind:
    """What the licensed article looks like: ``flash``, ``template``, ``editorial``, ``commentary`` or
    ``report`` (anything else: a report, a feature, an interview — a work), and what was measured."""

    kind: str
    chars: int
    paragraphs: int
    quotes: tuple[str, ...]
    analysis: tuple[str, ...]
    template_words: tuple[str, ...]
    digit_share: float
    family: str | None = None
    marker: str = ""

    def signals(self) -> dict:
        return {"kind": self.kind, "chars": self.chars, "paragraphs": self.paragraphs, "quotes": len(self.quotes),
                "analysis_words": list(self.analysis), "template_words": list(self.template_words),
                "digit_share": round(self.digit_share, 3), **({"family": self.family} if self.family else {}),
                **({"marker": self.marker} if self.marker else {})}


def _found(words: Iterable[str], text: str) -> tuple[str, ...]:
    return tuple(w for w in words if w in text)


def labels(title: str, text: str) -> tuple[str, ...]:
    """Where an article names its column: leading bracketed labels and a prefix before a colon in the title
    (after the labels), and the first line when it is short."""
    out = []
    rest = _fold(title)
    while (m := _LABEL_RE.match(rest)):
        out.append(m.group(1))
        rest = rest[m.end():]
    if (m := _PREFIX_RE.match(rest)):
        out.append(m.group(1))
    first = next((line.strip() for line in _fold(text).splitlines() if line.strip()), "")
    if len(first) <= LABEL_LINE_MAX:
        out.append(first)
    elif (m := _PREFIX_RE.match(first)):
        out.append(m.group(1))
    return tuple(out)


def article_kind(title: str, text: str, family: str | None = None) -> Kind:
    """Classify the licensed article (pure). ``family``: the template family the detector put it in, if
    any — the hook for the detector's own knowledge; without it, template words and dense figures decide."""
    text = _fold(text)
    chars = _chars(text)
    paragraphs = sum(1 for line in text.splitlines() if line.strip())
    quotes = tuple(text[a - 1:b + 1] for a, b in quoted_spans(text) if b - a >= QUOTE_MIN_CHARS)  # marks kept
    head = _fold(title)
    # the title counts too, and a question or an exclamation anywhere is the writer's tone, not a fact
    analysis = _found(ANALYSIS_WORDS, head + "\n" + text) + (
        ("？/！ in the title",) if any(ch in head for ch in "?!？！") else ()) + (
        ("？/！ in the text",) if any(ch in text for ch in "?!？！") else ())
    tmpl = _found(TEMPLATE_WORDS, text)
    digits = sum(1 for ch in text if ch.isdigit())
    share = digits / chars if chars else 0.0
    # a label ends with its column's name (新华时评, 人民日报评论员, 财经·观点); 马云评论国足 is news
    where = tuple(w.strip() for w in labels(title, text))
    editorial = next((m for m in EDITORIAL_MARKERS for w in where if w.endswith(m)), "")
    commentary = next((m for m in COMMENTARY_MARKERS for w in where if w.endswith(m)), "")
    if editorial:
        kind, marker = "editorial", editorial
    elif commentary:
        kind, marker = "commentary", commentary
    elif family or (len(tmpl) >= TEMPLATE_MIN_WORDS and share >= TEMPLATE_DIGIT_SHARE):
        kind, marker = "template", family or ""
    elif chars <= FLASH_MAX_CHARS and paragraphs <= FLASH_MAX_PARAGRAPHS:
        kind, marker = "flash", next((m for m in FLASH_MARKERS for w in where if m in w), "")
    else:
        kind, marker = "report", ""
    return Kind(kind, chars, paragraphs, quotes, analysis, tmpl, share, family, marker)


# --------------------------------------------------------------------------- an official document

# The judgement is reprintwatch.dedupe.relations.state_document (the register it reads lives there, and rules 13
# asks it too); this words it as a hint.


def official_document(title: str, text: str) -> Hint | None:
    """``official_document_possible`` for a licensed article that is itself a state organ's document (see
    :data:`reprintwatch.dedupe.relations.DOCUMENT_WORDS`): ``possible`` with its register, clauses and issuer; ``unsure`` when such a
    document is in a reporter's voice or not laid out in clauses (both sides listed); None otherwise. Pure: the
    judgement is :func:`reprintwatch.dedupe.relations.state_document` (rules 13 reads it too), worded here."""
    doc = state_document(title, text)
    if doc is None:
        return None
    rules = ("CL2020-5-1",)
    params = {"register": round(doc.rate, 2), "markers": doc.markers, "clauses": len(doc.clauses),
              "issuer": doc.issuer[:60], "reporting_words": list(doc.reporting)}
    evidence = (f"{doc.markers} markers of an official register, {doc.rate:.2f} per 100 Chinese characters "
                f"(from {OFFICIAL_RATE}: the densest 2 % of news)", f"issued by: {doc.issuer[:60]}")
    against = []
    if len(doc.clauses) < DOCUMENT_MIN_CLAUSES:
        against.append(f"only {len(doc.clauses)} numbered clause(s)")
    if doc.reporting:
        against.append("a reporter's words: " + "、".join(doc.reporting[:5]))
    if against:
        return Hint(OFFICIAL_DOCUMENT, UNSURE, rules, params, evidence + tuple(f"but {a}" for a in against))
    return Hint(OFFICIAL_DOCUMENT, POSSIBLE, rules, params,
                evidence + (f"{len(doc.clauses)} numbered clauses ({'、'.join(doc.clauses[:4])} …)", "no reporter's words"))


def topics(title: str, text: str) -> dict[str, tuple[str, ...]]:
    """The political / economic / religious words in the article (a topic needs :data:`TOPIC_MIN_WORDS`)."""
    body = _fold(title) + "\n" + _fold(text)
    found = {"political": _found(POLITICAL_WORDS, body), "economic": _found(ECONOMIC_WORDS, body),
             "religious": _found(RELIGIOUS_WORDS, body)}
    return {k: v for k, v in found.items() if len(v) >= TOPIC_MIN_WORDS}


# --------------------------------------------------------------------------- reservation statements

# 未经(本报/本网)授权(,)不得转载 / 禁止转载 / 谢绝转载 / 请勿转载 …; never 转载请注明出处 (that permits).
_RESERVATION_RE = re.compile(
    r"(?:未经|非经)[^。！？\n]{0,12}?(?:授权|许可|同意|允许)[^。！？\n]{0,6}?(?:不得|禁止|严禁|谢绝|请勿|不可|不许)"
    r"[^。！？\n]{0,6}?(?:转载|转摘|摘编|转发|复制|使用|刊登|刊用)"
    r"|(?:不得|禁止|严禁|谢绝|请勿|不许)(?:任何[^。！？\n]{0,8}?)?(?:转载|转摘|摘编)"
)
# A statement is furniture: a line of its own (at most this long) or the article's first/last lines. A
# sentence deep inside the body (某平台规定用户不得转载…) is reporting, not the author's statement.
STATEMENT_LINE_MAX = 60
STATEMENT_EDGE_CHARS = 120


def reservation_statement(text: str) -> tuple[str, str] | None:
    """``(certainty, statement)`` when the text carries a 不得转载-type statement: ``found`` on a short line
    of its own or at either end of the text, ``unsure`` inside a longer paragraph; None without one."""
    raw, text = text or "", _fold(text)
    # quote the statement as written (（本文…） not (本文…)) when folding kept every offset, as it does for
    # full-width punctuation; else as folded
    shown = raw if len(raw) == len(text) else text
    best = None
    for m in _RESERVATION_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = line_end if line_end >= 0 else len(text)
        line = shown[line_start:line_end].strip()
        # the statement as evidence: its own short line, else the words around it in the paragraph
        around = shown[max(line_start, m.start() - 20) : min(line_end, m.end() + 20)].strip()
        if len(line) <= STATEMENT_LINE_MAX:
            return FOUND, line
        edge = m.start() < STATEMENT_EDGE_CHARS or len(text) - m.end() < STATEMENT_EDGE_CHARS
        if edge:
            return FOUND, around
        best = best or (UNSURE, around)
    return best


# --------------------------------------------------------------------------- titles

# words a copier adds to sell a title, absent from a newsroom's own
CLICKBAIT_WORDS = (
    "震惊", "突发", "重磅", "刚刚", "紧急", "惊呆", "竟然", "竟", "曝光", "炸锅", "疯传", "真相", "内幕", "速看", "必看",
    "出大事", "官宣", "扩散", "转疯", "万万没想到", "太可怕", "吓人", "刷屏", "警惕", "注意了", "千万别", "赶紧", "揭秘",
    "泪目", "炸了", "狂", "惨",
)
_NEGATIONS = "不没未非"
# words that hold a negation character without negating anything (未来, 非常 …): removed before counting
_NOT_NEGATIONS = ("未来", "非常", "不断", "不少", "不久", "非法", "不仅", "并非", "非遗", "不同", "未成年")
# a changed claim: the copy says the opposite direction, or turns a plan into a fact
OPPOSITES = (("涨", "跌"), ("升", "降"), ("增", "减"), ("上调", "下调"), ("盈", "亏"), ("通过", "否决"),
             ("批准", "驳回"), ("支持", "反对"), ("扩大", "缩小"))
CERTAINTY_SHIFTS = (("拟", "已"), ("将", "已"), ("或", "将"), ("或", "已"), ("可能", "确定"), ("建议", "要求"),
                    ("试点", "全面"), ("部分", "全部"))
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?%?")


def _negated(title: str) -> list[list[str]]:
    """What each negation in ``title`` negates: the character pairs of the four characters after it
    (不再收取停车费 → 再收, 收取, 取停)."""
    for word in _NOT_NEGATIONS:
        title = title.replace(word, "")
    return [[after[k:k + 2] for k in range(len(after) - 1)] or [after]
            for i, ch in enumerate(title) if ch in _NEGATIONS and (after := title[i + 1:i + 5])]


def _negation_changes(lic: str, cop: str) -> list[str]:
    """Negations one title puts on what the other title says plainly (拟涨价 → 不涨价, 不再收取 → 收取). A negation
    of something the other title does not say at all is a new hook, not a changed claim (…可能不只是年纪大了
    against a title with no 只是/年纪 was flagged "negation changed" on the sample data)."""
    def changed(neg_a, neg_b, b):
        negated_b = set().union(*neg_b) if neg_b else set()
        return list(dict.fromkeys(pair for pairs in neg_a for pair in pairs if pair in b and pair not in negated_b))

    added, dropped = changed(_negated(cop), _negated(lic), lic), changed(_negated(lic), _negated(cop), cop)
    return ([f"negation changed: the copy negates {'、'.join(added)}"] if added else []) + \
           ([f"negation changed: the copy drops the negation of {'、'.join(dropped)}"] if dropped else [])


def _kept_share(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    if not a:
        return 1.0
    kept = sum(block.size for block in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    return kept / len(a)


def title_change(licensed_title: str, copy_title: str,
                 licensed_text: str | None = None) -> tuple[str, dict, tuple[str, ...]] | None:
    """``(possible, params, evidence)`` when a retitle may distort the licensed title: clickbait added, a
    negation or a figure changed, a direction reversed or a plan made a fact. None for anything else — the
    same title, copier furniture (【转载】, ``| 某某网``), a cut, a close edit, and a title rewritten in other
    words with none of those: a rewrite is not evidence of distortion (on the sample data 7 of 12 findings
    were rewritten titles, each one flagged "unsure" up to ebd0a89, which told a rights team nothing).
    ``params["kept_share"]``: the licensed title's characters kept, in order. With ``licensed_text``, a figure
    counts as changed only when the article does not have it either (a copy putting the body's 2小时10分48秒
    in its title reports the article, it does not change it)."""
    from .verbatim import title_core

    if not (licensed_title or "").strip() or not (copy_title or "").strip():
        return None
    lic, cop = title_core(licensed_title), title_core(copy_title)
    if not lic or not cop or lic == cop:
        return None
    raw_lic, raw_cop = _fold(licensed_title), _fold(copy_title)
    why: list[str] = []
    added = [w for w in CLICKBAIT_WORDS if w in raw_cop and w not in raw_lic]
    if added:
        why.append("clickbait added: " + "、".join(added))
    if raw_cop.count("!") + raw_cop.count("?") > raw_lic.count("!") + raw_lic.count("?") + 1:
        why.append("exclamation/question marks added")
    why.extend(_negation_changes(raw_lic, raw_cop))
    num_l, num_c = _NUMBER_RE.findall(raw_lic), _NUMBER_RE.findall(raw_cop)
    unsupported = set(num_c) - set(num_l) - set(_NUMBER_RE.findall(_fold(licensed_text or "")))
    if unsupported:
        why.append(f"figure changed: {'、'.join(num_l) or '—'} → {'、'.join(num_c)}"
                   + (" (not in the licensed article either)" if licensed_text else ""))
    for x, y in OPPOSITES:
        if (x in raw_lic and y not in raw_lic and y in raw_cop and x not in raw_cop) or \
           (y in raw_lic and x not in raw_lic and x in raw_cop and y not in raw_cop):
            why.append(f"direction reversed: {x}/{y}")
    for x, y in CERTAINTY_SHIFTS:
        if x in raw_lic and x not in raw_cop and y in raw_cop and y not in raw_lic:
            why.append(f"claim made firmer: {x} → {y}")
    kept = _kept_share(lic, cop)
    params = {"licensed_title": licensed_title.strip(), "copy_title": copy_title.strip(), "kept_share": round(kept, 2)}
    if why:
        return POSSIBLE, params, tuple(why)
    return None  # a cut, a close edit or a rewrite in other words: nothing on what we can read


# --------------------------------------------------------------------------- the copier

# names of news organisations: a copier named like this is taken to be a media outlet (a name is a claim;
# the hint says so). Anything else is "not known to be a media outlet", never "not media".
MEDIA_NAME_RE = re.compile(
    r"(?:日报|晚报|早报|晨报|都市报|商报|时报|青年报|法治报|周刊|报社|报业集团|新闻网|新闻社|新闻中心|电视台|广播电台|"
    r"广播电视台|融媒体中心|通讯社|新华社|新华网|人民网|央视新闻|中新网|卫视)$"
)


def copier_media(names: Sequence[str], known_outlets: Iterable[str] = ()) -> tuple[bool | None, str]:
    """``(True, why)`` when one of the copier's names (WeChat account, site name, label) is a known outlet
    or reads as a news organisation's; ``(None, why)`` otherwise — unknown, not "not media"."""
    known = {_fold(o).strip().casefold() for o in known_outlets if o}
    for name in names:
        n = _fold(name or "").strip()
        if n.startswith("微信公众号 "):
            n = n[len("微信公众号 "):]
        if not n:
            continue
        if n.casefold() in known:
            return True, f"{n} is a known outlet"
        if MEDIA_NAME_RE.search(n):
            return True, f"named like a news organisation: {n}"
    shown = next((n for n in names if n), "the copier")
    return None, f"{shown} is not known to be a media outlet"


# --------------------------------------------------------------------------- all hints for one finding

@dataclass(frozen=True)
class Facts:
    """What the hints read, gathered by :func:`reprintwatch.triage.assess.assess` (plain values, so a
    test or a bench can build one directly)."""

    licensed_title: str
    licensed_text: str | None  # None: the licensed text was not there; only title and credit hints
    copy_title: str = ""
    copier_names: tuple[str, ...] = ()
    copier_platform: str = ""
    credit: str = ""  # attribution status: credited | credited_other | uncredited
    credit_summary: str = ""
    title_named: bool | None = None  # does the copy keep (or cite with 原标题) the licensed title?
    family: str | None = None  # the detector's template family, when it names one
    known_outlets: tuple[str, ...] = ()


def legal_hints(facts: Facts) -> tuple[Hint, ...]:
    """Every hint for one finding, in :data:`CODES` order. Pure."""
    hints: list[Hint] = []
    reservation = None
    if facts.licensed_text is not None:
        kind = article_kind(facts.licensed_title, facts.licensed_text, facts.family)
        reservation = reservation_statement(facts.licensed_text)
        hints.extend(_factual_news(kind, reservation))
        if kind.kind not in ("editorial", "commentary"):
            hints.extend(h for h in [official_document(facts.licensed_title, facts.licensed_text)] if h)
        hints.extend(_current_affairs(kind, facts, reservation))
        if reservation:
            hints.append(Hint(RESERVATION, reservation[0], ("CL2020-24-1-4", "CL2020-35-2", "RIN-10"),
                              {"statement": reservation[1]}, (reservation[1],)))
    change = title_change(facts.licensed_title, facts.copy_title, facts.licensed_text)
    if change:
        hints.append(Hint(TITLE_DISTORTED, change[0], ("NCAC-2015-3", "CL2020-10-1-4"), change[1], change[2]))
    if facts.credit and facts.credit != "credited":
        hints.append(Hint(NO_CREDIT, FOUND, ("CL2020-24-1", "RIN-10", "NCAC-2015-3"),
                          {"credit": facts.credit}, (facts.credit_summary or facts.credit,)))
    order = {c: i for i, c in enumerate(CODES)}
    return tuple(sorted(hints, key=lambda h: order[h.code]))


def _factual_news(kind: Kind, reservation) -> list[Hint]:
    s = kind.signals()
    rules = ("CL2020-5-2", "NCAC-2015-3")
    if kind.kind in ("editorial", "commentary"):
        return []
    if kind.chars < READABLE_MIN_CHARS:
        return [Hint(FACTUAL_NEWS, UNSURE, rules, s, (
            f"only {kind.chars} letters and digits of licensed text: too little to read (an empty extraction?)",))]
    against = []
    if kind.quotes:
        against.append(f"{len(kind.quotes)} quotation(s), e.g. {kind.quotes[0][:30]}")
    if kind.analysis:
        against.append("analysis or reporting words: " + "、".join(kind.analysis[:5]))
    if kind.kind == "template":
        why = f"template family {kind.family}" if kind.family else (
            f"template report: {'、'.join(kind.template_words[:6])}; {kind.digit_share:.0%} of characters are figures")
    elif kind.kind == "flash":
        why = f"a flash of {kind.chars} characters in {kind.paragraphs} paragraph(s)" + (
            f" ({kind.marker})" if kind.marker else "")
    elif kind.chars <= SHORT_MAX_CHARS and not against:
        # longer than a flash, shorter than most reports: say so, never "possible"
        return [Hint(FACTUAL_NEWS, UNSURE, rules, s, (
            f"a short report of {kind.chars} characters, no quotes or analysis seen — "
            f"longer than a flash ({FLASH_MAX_CHARS}); a lawyer should judge its expression",))]
    else:
        return []
    if against:
        # the form of a flash or a template, but someone's words or analysis in it: unsure, both sides shown
        return [Hint(FACTUAL_NEWS, UNSURE, rules, s, (why,) + tuple(f"but {a}" for a in against))]
    evidence = (why, "no quotations", "no analysis or reporting words")
    if reservation:
        evidence += (f"the outlet reserved reprinting ({reservation[1][:40]}), which does not make a fact protected",)
    return [Hint(FACTUAL_NEWS, POSSIBLE, rules, s, evidence)]


def _current_affairs(kind: Kind, facts: Facts, reservation) -> list[Hint]:
    if kind.kind not in ("editorial", "commentary"):
        return []
    subject = topics(facts.licensed_title, facts.licensed_text or "")
    if not subject:
        return []
    if reservation and reservation[0] == FOUND:
        return []  # the reservation hint says why there is no exception
    if facts.credit != "credited" or facts.title_named is False:
        return []  # no_credit (or the retitle) says why there is none: the author and title must be named
    media, media_why = copier_media(facts.copier_names, facts.known_outlets)
    rules = ("CL2020-24-1-4", "RIN-6-7", "CL2020-24-1")
    params = {"kind": kind.kind, "marker": kind.marker, "topics": {k: list(v) for k, v in subject.items()},
              "media": media, "platform": facts.copier_platform}
    evidence = [
        f"{kind.kind} ({kind.marker})" if kind.marker else kind.kind,
        "on " + "; ".join(f"{k} questions ({'、'.join(v[:4])})" for k, v in subject.items()),
        "credits the licensed outlet: " + (facts.credit_summary or "yes"),
        "title kept" if facts.title_named else "title not compared",
        media_why,
    ]
    if reservation:
        evidence.append(f"a possible reservation inside the text: {reservation[1][:40]}")
    certain = media is True and facts.title_named is True and not reservation
    if not certain and media is not True:
        evidence.append("第二十四条第一款第（四）项 is for media; whether 条例第六条第（七）项 reaches this copier is for a lawyer")
    return [Hint(CURRENT_AFFAIRS, POSSIBLE if certain else UNSURE, rules, params, tuple(evidence))]


# --------------------------------------------------------------------------- wording

_WORDS = {
    FACTUAL_NEWS: "the licensed article may be pure factual news, unprotected",
    OFFICIAL_DOCUMENT: "the licensed article may be an official document, unprotected",
    CURRENT_AFFAIRS: "the current-affairs exception may cover this copy",
    RESERVATION: "the licensed article reserves reprinting",
    TITLE_DISTORTED: "the retitle may distort the title",
    NO_CREDIT: "the copy does not name the licensed outlet (every exception needs author and title named)",
}


def _hint(hint: Hint | Reason | Mapping) -> Hint:
    if isinstance(hint, Hint):
        return hint
    return Hint.from_reason(hint) if isinstance(hint, Reason) else Hint.from_dict(hint)


def describe(hint: Hint | Reason | Mapping) -> str:
    """One English line for a hint, a stored one or its reason (``findings list``, reports, ``serve``;
    :func:`reprintwatch.triage.reasons.english` for a ``hint.`` reason)."""
    h = _hint(hint)
    rules = ", ".join(RULES[r][0] for r in h.rules[:2] if r in RULES)
    return f"{h.code} ({h.certainty}): {_WORDS.get(h.code, h.code)} — {'; '.join(h.evidence[:3])} [{rules}]"


def _english(reason: Reason) -> str | None:
    if reason.code[len(REASON_PREFIX):] in CODES and "certainty" in reason.evidence:
        return describe(reason)
    return None


register_wording(REASON_PREFIX, _english)


def label(hint: Hint | Reason | Mapping) -> str:
    """``code(certainty)``: a hint in a CSV cell or a table row."""
    h = _hint(hint)
    return f"{h.code}({h.certainty})"
