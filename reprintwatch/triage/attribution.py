"""Attribution: does a copy credit where it came from? Pure functions over text.

Credits are read with the credit patterns of :mod:`reprintwatch.dedupe.boilerplate` (``CREDIT_PATTERNS``,
which do not change fingerprints) on the folded text (NFKC, simplified, decoration dropped), in the body
*and* the title: 来源：…, 转载自(微信公众号)…, 以下文章来源于… (WeChat's repost card), 本文来自…, 据…报道,
…讯（记者…） and other datelines, 原标题, bylines; plus URLs in the text or the page's "阅读原文" link.
A credited name survives spacing (江 南 日 报), separators (来源丨), quotes and traditional characters.
:func:`attribute` says which outlets a copy credits and where (title, body or link), whether one of them is
the licensed article's outlet, and which of the licensed article's dateline/byline the copy kept or
stripped.

A credit is not a licence: a credited but unlicensed copy is still unauthorised (``assess`` decides that).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

from ..dedupe import normalize
from ..dedupe.normalize import simplified
from .licences import host_of

# Status of a copy's credits, compared with the licensed article's outlet.
CREDITED = "credited"  # credits the licensed outlet (by name, dateline or URL)
CREDITED_OTHER = "credited_other"  # credits some outlet, not the licensed one
UNCREDITED = "uncredited"  # no credit at all

_URL_RE = re.compile(r"https?://[A-Za-z0-9.\-]+(?::\d+)?(?:/[^\s\"'<>（）()【】，。；！？、]*)?")
_QUOTES = "\"'“”‘’《》「」『』【】[]"
_NAME_SUFFIXES = ("微信公众号", "官方微信", "公众号", "微信号", "客户端", "官方网站", "官网", "官方微博", "微博", "app")
_NAME_PREFIXES = ("微信公众号", "公众号", "微信号", "微信")
# words after 据 that name no outlet: 据媒体报道, 据网友消息
_GENERIC_RE = re.compile(r"^(?:有关|相关|多家|当地|境外|国外|海外|外国|网络|社交)?(?:媒体|外媒|网友|网民|消息|报道|人士|知情人士|官方)$")

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
    kind: str  # source | repost | account | wechat_card | report | dateline | original_title | byline | url
    text: str  # as it appears in the copy
    start: int  # offsets into the title or the body (see ``place``); -1 for a link
    end: int
    outlet: str | None = None  # the outlet or account it names (simplified, spaces removed), if any
    place: str = "body"  # body | title | link

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end, "outlet": self.outlet,
                "place": self.place}

    def describe(self) -> str:
        return f"{self.place} 「{self.text}」"


@dataclass(frozen=True)
class Attribution:
    status: str  # credited | credited_other | uncredited
    credits: tuple[Credit, ...]
    credited_outlets: tuple[str, ...]
    matches_licensed_outlet: bool
    original_url: str | None = None  # a URL in the copy pointing at the licensed article's site
    stripped: tuple[str, ...] = field(default_factory=tuple)  # "dateline", "byline" cut from the copy
    licensed_marks: tuple[str, ...] = field(default_factory=tuple)  # what the licensed text carries
    kept: tuple[str, ...] = field(default_factory=tuple)  # the licensed dateline/byline the copy still has
    other_outlets: tuple[str, ...] = field(default_factory=tuple)  # credited outlets that are not the licensed one
    # the kept marks that point at the licensed article itself: a dateline naming an outlet, or a byline
    # (本报讯 alone is every paper's dateline and proves nothing about who wrote first)
    kept_specific: tuple[str, ...] = field(default_factory=tuple)

    @property
    def licensed_credits(self) -> tuple[Credit, ...]:
        """The credits that name the licensed outlet (or link to its site)."""
        return tuple(c for c in self.credits if c.kind != "url" and c.outlet in self.credited_outlets
                     and c.outlet not in self.other_outlets) + tuple(
            c for c in self.credits if c.kind == "url" and self.original_url and c.text == self.original_url)

    @property
    def stripped_flag(self) -> bool:
        return bool(self.stripped)

    def summary(self) -> str:
        if self.status == CREDITED:
            where = [c.describe() for c in self.licensed_credits][:3]
            text = "credits the licensed outlet " + "、".join(
                [o for o in self.credited_outlets if o not in self.other_outlets] or ["by its URL"])
            text += f" ({'; '.join(where)})" if where else ""
            if self.other_outlets:
                text += "; also credits " + "、".join(self.other_outlets)
        elif self.status == CREDITED_OTHER:
            where = [c.describe() for c in self.credits if c.outlet in self.other_outlets][:3]
            text = "credits another outlet: " + "、".join(self.other_outlets) + (f" ({'; '.join(where)})" if where else "")
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
            "kept": list(self.kept),
            "other_outlets": list(self.other_outlets),
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


def _simplified(text: str) -> str:
    """NFKC-folded, decoration and invisible characters removed, simplified characters."""
    return simplified(_HIDDEN_RE.sub("", unicodedata.normalize("NFKC", text)))


def _name(raw: str | None) -> str | None:
    """A credited name as the pattern caught it → the outlet: quotes, account words and decoration gone;
    spaced-out characters joined (江 南 日 报 → 江南日报), otherwise the first word (江南日报 王明 → 江南日报)."""
    name = _strip_quotes(_HIDDEN_RE.sub("", raw or ""))
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):].lstrip(" :|丨")
            break
    parts = name.split()
    if len(parts) > 1:
        name = "".join(parts) if all(len(p) <= 2 for p in parts) else parts[0]
    name = _strip_quotes(name)
    if not name or _NOT_AN_OUTLET_RE.search(name) or _GENERIC_RE.match(name) or name in ("本报", "本网", "本台"):
        return None
    return name


def _scan(text: str, place: str) -> list[Credit]:
    from ..dedupe.boilerplate import find_credit_spans
    from ..dedupe.normalize import fold_text

    if not text:
        return []
    folded, offsets = fold_text(text)
    credits = []
    for kind, m in find_credit_spans(folded):
        groups = m.groupdict()
        f_start = m.start("form") if groups.get("form") is not None else m.start()
        f_end = m.end()
        if f_end <= f_start:
            continue
        start, end = int(offsets[f_start]), int(offsets[f_end - 1]) + 1
        raw = text[start:end]
        stripped = raw.rstrip()
        end -= len(raw) - len(stripped)
        if kind in ("source", "repost") and ("公众号" in folded[f_start:f_end] or "微信" in folded[f_start:f_end]):
            kind = "account"  # a WeChat account credited as the source
        outlet = None
        if kind not in ("original_title", "byline"):
            outlet = _name(groups.get("name") or groups.get("name2"))
        credits.append(Credit(kind, stripped, start, end, outlet, place))
    return credits


def credit_outlet(kind: str, text: str) -> str | None:
    """The outlet a credit phrase names: 来源：新华社 → 新华社; 新华社北京11月2日电 → 新华社; 來源：新華社 → 新华社.
    ``kind`` is accepted for compatibility; the phrase itself says which form it is."""
    for credit in _scan(text, "body"):
        if credit.outlet:
            return credit.outlet
    return None


# --------------------------------------------------------------------------- credits in a text


def find_credits(text: str, links: tuple[str, ...] = (), title: str = "") -> list[Credit]:
    """Every credit in ``title`` (place ``title``) and ``text`` (place ``body``), offsets into each, then
    URLs in the text and in ``links`` (place ``link``, the page's 阅读原文/source link)."""
    credits = _scan(title, "title") + _scan(text, "body")
    for m in _URL_RE.finditer(text or ""):
        credits.append(Credit("url", m.group(0), m.start(), m.end(), host_of(m.group(0)) or None, "body"))
    for link in links:
        if link and link.startswith(("http://", "https://")):
            credits.append(Credit("url", link, -1, -1, host_of(link) or None, "link"))
    return credits


def marks(credits: list[Credit]) -> tuple[str, ...]:
    """Which of dateline / byline a text carries."""
    kinds = {c.kind for c in credits if c.place == "body"}
    return tuple(m for m in ("dateline", "byline") if m in kinds)


def _key(text: str) -> str:
    from ..dedupe.normalize import fold_text

    return "".join(ch for ch in fold_text(text or "")[0] if ch.isalnum())


@lru_cache(maxsize=4096)
def _licensed_own(licensed_text: str) -> tuple[Credit, ...]:
    # A report judges many copies of one licensed article: reading its credits once instead of once a
    # copy halved the time to assess 1,600 findings (bench/bench_reports.py; normalize() dominates).
    return tuple(c for c in find_credits(licensed_text) if c.kind in ("dateline", "byline"))


def attribute(
    copy_text: str,
    licensed_outlet: str,
    licensed_text: str | None = None,
    licensed_url: str | None = None,
    links: tuple[str, ...] = (),
    copy_title: str = "",
) -> Attribution:
    """Credits in the copy (body and title) compared with the licensed article (outlet, URL, own text).

    ``kept`` lists the licensed article's dateline/byline found in the copy; ``stripped`` the marks
    (dateline, byline) the licensed text has and the copy lost. Both are empty without the licensed text.
    """
    credits = find_credits(copy_text, links, copy_title)
    licensed_host = host_of(licensed_url or "")
    outlets: list[str] = []
    other: list[str] = []
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
        elif c.outlet not in other:
            other.append(c.outlet)
    if matched:
        status = CREDITED
    elif outlets:
        status = CREDITED_OTHER
    else:
        status = UNCREDITED
    licensed_marks: tuple[str, ...] = ()
    stripped: tuple[str, ...] = ()
    kept: list[str] = []
    specific: list[str] = []
    if licensed_text is not None:
        own = _licensed_own(licensed_text)
        licensed_marks = marks(own)
        copy_key = _key(copy_text)
        kept_kinds = set()
        for c in own:
            key = _key(c.text)
            if key and key in copy_key:
                kept.append(f"{c.kind} 「{c.text}」")
                kept_kinds.add(c.kind)
                if c.kind == "byline" or c.outlet:
                    specific.append(f"{c.kind} 「{c.text}」")
        stripped = tuple(m for m in licensed_marks if m not in kept_kinds)
    return Attribution(status, tuple(credits), tuple(outlets), matched, original_url, stripped, licensed_marks,
                       tuple(kept), tuple(other), tuple(specific))
