"""Attribution: does a copy credit where it came from? Pure functions over text.

Credits are read from the spans the normaliser already sets aside (``normalize(text).removed``): source
lines (来源：新华社, 转载自…, 本文来自…公众号), 原标题, datelines (新华社北京11月2日电) and bylines (记者 王小明),
plus URLs in the text or the page's "阅读原文" link. :func:`attribute` says which outlets a copy credits,
whether one of them is the licensed article's outlet, and whether the copy stripped the dateline or byline
the licensed article carries.

A credit is not a licence: a credited but unlicensed copy is still unauthorised (``assess`` decides that).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

from ..dedupe import normalize
from .licences import host_of

# Status of a copy's credits, compared with the licensed article's outlet.
CREDITED = "credited"  # credits the licensed outlet (by name, dateline or URL)
CREDITED_OTHER = "credited_other"  # credits some outlet, not the licensed one
UNCREDITED = "uncredited"  # no credit at all

_URL_RE = re.compile(r"https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[^\s\"'<>（）()【】，。；！？、]*)?")
_CREDIT_PREFIX_RE = re.compile(
    r"^(?:文章|本文|信息|新闻|稿件)?(?:来源|稿源|出处)\s*[:：丨|]?\s*"
    r"|^(?:本文|文章)?(?:转载自|转载|转自|摘自|选自)\s*[:：丨|]?\s*"
    r"|^本文(?:来自|来源于|首发于|原载于)\s*(?:微信)?(?:公众号)?\s*[:：丨|]?\s*"
)
_QUOTES = "\"'“”‘’《》「」『』【】[]"
_KNOWN_AGENCIES = ("新华社", "中新社", "中新网", "人民网", "央视网", "新华网", "中国新闻网")
_DATELINE_OUTLET_RE = re.compile(
    "^(" + "|".join(_KNOWN_AGENCIES) + r"|[\u4e00-\u9fff]{1,7}?(?:社|网|报|台))"
)
_NAME_SUFFIXES = ("微信公众号", "官方微信", "公众号", "微信号", "客户端", "官方网站", "官网", "官方微博", "微博", "app")

# Names that belong to one news organisation: crediting any of them credits the group.
OUTLET_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        {"新华社", "新华网", "新华通讯社", "新华视点", "新华每日电讯", "xinhua"},
        {"人民日报", "人民网", "人民日报社", "人民日报海外版"},
        {"中新社", "中新网", "中国新闻网", "中国新闻社"},
        {"央视新闻", "央视网", "中央电视台", "cctv", "央视"},
    )
)


@dataclass(frozen=True)
class Credit:
    kind: str  # source | account | original_title | dateline | byline | url
    text: str  # as it appears in the copy
    start: int
    end: int
    outlet: str | None = None  # the outlet or account it names, if any

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end, "outlet": self.outlet}


@dataclass(frozen=True)
class Attribution:
    status: str  # credited | credited_other | uncredited
    credits: tuple[Credit, ...]
    credited_outlets: tuple[str, ...]
    matches_licensed_outlet: bool
    original_url: str | None = None  # a URL in the copy pointing at the licensed article's site
    stripped: tuple[str, ...] = field(default_factory=tuple)  # "dateline", "byline" cut from the copy
    licensed_marks: tuple[str, ...] = field(default_factory=tuple)  # what the licensed text carries

    @property
    def stripped_flag(self) -> bool:
        return bool(self.stripped)

    def summary(self) -> str:
        if self.status == CREDITED:
            text = "credits " + "、".join(self.credited_outlets or ("the original URL",))
        elif self.status == CREDITED_OTHER:
            text = "credits another outlet: " + "、".join(self.credited_outlets)
        else:
            text = "no credit"
        if self.stripped:
            text += "; stripped " + " and ".join(self.stripped)
        return text

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "summary": self.summary(),
            "credited_outlets": list(self.credited_outlets),
            "matches_licensed_outlet": self.matches_licensed_outlet,
            "original_url": self.original_url,
            "stripped": list(self.stripped),
            "licensed_marks": list(self.licensed_marks),
            "credits": [c.to_dict() for c in self.credits],
        }


# --------------------------------------------------------------------------- outlets


def clean_name(name: str) -> str:
    """Fold a credited name for comparison: NFKC, lower case, no quotes or spaces, no 公众号/客户端 suffix."""
    name = _simplified(name or "").casefold()
    name = "".join(ch for ch in name if not ch.isspace() and ch not in _QUOTES and ch not in "\"'")
    changed = True
    while changed and name:
        changed = False
        for suffix in _NAME_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                changed = True
    if name.endswith("报社") and len(name) > 3:
        name = name[:-1]
    return name


def same_outlet(credited: str, outlet: str) -> bool:
    """Whether ``credited`` names ``outlet`` (or another name of the same news organisation)."""
    a, b = clean_name(credited), clean_name(outlet)
    if not a or not b:
        return False
    if a == b:
        return True
    return any(a in group and b in group for group in OUTLET_GROUPS)


def _strip_quotes(text: str) -> str:
    return text.strip().strip(_QUOTES).strip()


# "转载请联系后台" / "转载请注明出处" are instructions, not credits
_NOT_AN_OUTLET_RE = re.compile(r"^(?:请|须|需|务必|需要|必须)|联系|注明|授权|后台|网络|侵删|出处")


# zero-width/format characters and the decoration copiers put between characters (新·华·社, 新丨华丨社)
_HIDDEN_RE = re.compile("[\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                        "\ufe00-\ufe0f\ufeff丨丶丿乀乁·•・‧∙⋅]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def _simplified(text: str) -> str:
    """NFKC-folded, decoration and invisible characters removed, simplified characters."""
    return _t2s().convert(_HIDDEN_RE.sub("", unicodedata.normalize("NFKC", text)))


def credit_outlet(kind: str, text: str) -> str | None:
    """The outlet/account a credit names: 来源：新华社 → 新华社; 新华社北京11月2日电 → 新华社.
    Names come back NFKC-folded and in simplified characters (來源：新華社 → 新华社)."""
    folded = _simplified(text).strip()
    if kind in ("source", "account"):
        rest = _CREDIT_PREFIX_RE.sub("", folded, count=1)
        rest = re.split(r"[\s,，。;；|丨]", _strip_quotes(rest), maxsplit=1)[0]
        rest = _strip_quotes(rest)
        if not rest or _NOT_AN_OUTLET_RE.search(rest):
            return None
        return rest
    if kind == "dateline":
        if folded.startswith("本报"):
            return None  # "this paper": names no outlet once copied elsewhere
        m = _DATELINE_OUTLET_RE.match(folded)
        return m.group(1) if m else None
    return None


# --------------------------------------------------------------------------- credits in a text


def find_credits(text: str, links: tuple[str, ...] = ()) -> list[Credit]:
    """Every credit-like mark in ``text`` (original offsets), then URLs in the text and in ``links``."""
    credits: list[Credit] = []
    for removed in normalize(text).removed:
        if removed.kind not in ("source", "original_title", "dateline", "byline"):
            continue
        kind = removed.kind
        if kind == "source" and ("公众号" in removed.text or "微信" in removed.text):
            kind = "account"
        clean = removed.text.strip()
        offset = removed.text.find(clean) if clean else 0
        start = removed.start + max(offset, 0)
        credits.append(Credit(kind, clean, start, start + len(clean), credit_outlet(kind, clean)))
    for m in _URL_RE.finditer(text):
        credits.append(Credit("url", m.group(0), m.start(), m.end(), host_of(m.group(0)) or None))
    for link in links:
        if link and link.startswith(("http://", "https://")):
            credits.append(Credit("url", link, -1, -1, host_of(link) or None))
    return credits


def _has_byline(credits: list[Credit]) -> bool:
    return any(
        c.kind == "byline" or (c.kind == "dateline" and re.search("记者|通讯员", _simplified(c.text))) for c in credits
    )


def marks(credits: list[Credit]) -> tuple[str, ...]:
    found = []
    if any(c.kind == "dateline" for c in credits):
        found.append("dateline")
    if _has_byline(credits):
        found.append("byline")
    return tuple(found)


@lru_cache(maxsize=4096)
def _licensed_marks(licensed_text: str) -> tuple[str, ...]:
    # A report judges many copies of one licensed article: reading its credits once instead of once a
    # copy halved the time to assess 1,600 findings (bench/bench_reports.py; normalize() dominates).
    return marks(find_credits(licensed_text))


def attribute(
    copy_text: str,
    licensed_outlet: str,
    licensed_text: str | None = None,
    licensed_url: str | None = None,
    links: tuple[str, ...] = (),
) -> Attribution:
    """Credits in ``copy_text`` compared with the licensed article (its outlet, URL and own text).

    ``stripped`` lists the marks (dateline, byline) the licensed text has and the copy lacks; it is empty
    when the licensed text is not given.
    """
    credits = find_credits(copy_text, links)
    licensed_host = host_of(licensed_url or "")
    outlets: list[str] = []
    matched = False
    original_url = None
    for c in credits:
        if c.kind == "url":
            if licensed_host and c.outlet and (c.outlet == licensed_host or c.outlet.endswith("." + licensed_host)):
                matched = True
                original_url = original_url or c.text
            continue
        if not c.outlet:
            continue
        if c.outlet not in outlets:
            outlets.append(c.outlet)
        if licensed_outlet and same_outlet(c.outlet, licensed_outlet):
            matched = True
    if matched:
        status = CREDITED
    elif outlets:
        status = CREDITED_OTHER
    else:
        status = UNCREDITED
    licensed_marks: tuple[str, ...] = ()
    stripped: tuple[str, ...] = ()
    if licensed_text is not None:
        licensed_marks = _licensed_marks(licensed_text)
        copy_marks = marks(credits)
        stripped = tuple(m for m in licensed_marks if m not in copy_marks)
    return Attribution(status, tuple(credits), tuple(outlets), matched, original_url, stripped, licensed_marks)

