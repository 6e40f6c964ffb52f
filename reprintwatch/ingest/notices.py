"""Removal notices: the page a platform shows in place of an article that is gone.

A pure function over decoded HTML (:func:`removal_notice`), shared by ingestion and ``recheck``. It reads
the *visible* text only: a real WeChat error page carries ~20 K characters of inline script around a
one-line notice, so counting script text would call it an article. An article that merely quotes a notice
("原文显示‘该内容已被发布者删除’") is long and is not a notice page.

WeChat shows its notices in the reader's interface language: simplified, traditional (此內容因違規無法查看,
該內容已被發布者刪除 — read through OpenCC ``t2s``, so each phrase is listed once) and English ("The content
has been deleted by the author."). The English phrases are matched as patterns, case and spacing aside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ..dedupe.normalize import simplified

# (kind, phrase): the first phrase found in the visible text decides. Longer phrases first where one
# contains another. Kinds: deleted, violation, complaint, expired, account, unavailable.
NOTICES: tuple[tuple[str, str], ...] = (
    ("complaint", "此内容被投诉且经审核涉嫌侵权，无法查看"),
    ("complaint", "被投诉且经审核涉嫌侵权，无法查看"),
    ("complaint", "经用户投诉并经平台审核"),
    ("complaint", "由用户投诉并经平台审核"),
    ("complaint", "该内容已被投诉"),
    ("violation", "此内容因违规无法查看"),
    ("violation", "因违规无法查看"),
    ("violation", "涉嫌违反相关法律法规和政策"),
    ("violation", "该内容因违规已被删除"),
    ("deleted", "该内容已被发布者删除"),
    ("deleted", "此内容已被发布者删除"),
    ("deleted", "内容已删除"),
    ("deleted", "该文章已被删除"),
    ("deleted", "文章已被作者删除"),
    ("expired", "链接已过期"),
    ("expired", "该链接已过期"),
    ("expired", "此链接已失效"),
    ("account", "此帐号已被屏蔽, 内容无法查看"),
    ("account", "此帐号已被屏蔽，内容无法查看"),
    ("account", "此账号已被屏蔽"),
    ("account", "此帐号已自主注销，内容无法查看"),
    ("account", "此账号已自主注销"),
    ("account", "该公众号已迁移"),
    ("account", "该帐号已冻结"),
    ("account", "该账号已冻结"),
    ("unavailable", "此内容发送失败无法查看"),
    ("unavailable", "该内容暂时无法查看"),
)
# WeChat's English interface (issue 24: "The content has been deleted by the author."); the same kinds as
# above, worded as patterns so that "This content"/"The content" and a full stop or none all match.
ENGLISH_NOTICES: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in (
    ("complaint", r"(?:reported|complaints?)\b.{0,80}\binfring\w*"),
    ("violation", r"\b(?:content|article)\b.{0,60}\b(?:violat\w*|breach\w*)\b.{0,40}\b(?:regulations?|rules|terms|laws?)\b"),
    ("violation", r"\b(?:cannot|can't|unable to) (?:be )?view\w*.{0,40}\bviolat\w*"),
    ("deleted", r"\b(?:content|article|post)\b.{0,20}\bhas been deleted by the (?:author|publisher)\b"),
    ("expired", r"\blink (?:has )?expired\b"),
    ("account", r"\baccount\b.{0,30}\b(?:has been )?(?:blocked|banned|suspended|frozen|deregistered|deactivated|migrated)\b"),
))
# A notice page says little besides the notice (a button, a rule link, a footer, hidden dialog labels); a
# WeChat page with an article body (#js_content of 50+ characters) is never a notice page, whatever its
# length. 600 leaves room for a notice page's chrome; a choice, not a measurement of the web.
MAX_VISIBLE_CHARS = 600
_INVISIBLE = ("script", "style", "noscript", "template", "textarea")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Notice:
    kind: str  # deleted | violation | complaint | expired | account | unavailable
    text: str  # the phrase found, as the platform words it


def visible_text(tree) -> str:
    """The text a reader sees: everything except script, style, template and comment nodes, spaces folded."""
    parts: list[str] = []
    for node in tree.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            continue
        if node.tag in _INVISIBLE:
            if node.tail:
                parts.append(node.tail)
            continue
        if node.text and not _in_invisible(node):
            parts.append(node.text)
        if node.tail and not _in_invisible(node.getparent()):
            parts.append(node.tail)
    return _SPACE.sub(" ", " ".join(parts).replace("\u00a0", " ")).strip()


def _in_invisible(node) -> bool:
    while node is not None:
        if isinstance(node.tag, str) and node.tag in _INVISIBLE:
            return True
        node = node.getparent()
    return False


def parse_html(page: str):
    """lxml tree of a decoded page (lxml refuses str input with an encoding declaration: hand it UTF-8)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    return lxml.html.document_fromstring(page.encode("utf-8", "replace"), parser=parser)


def removal_notice(page_or_tree, max_visible: int = MAX_VISIBLE_CHARS) -> Notice | None:
    """The removal notice a page shows instead of an article, or None (an article, or not a notice page).

    ``page_or_tree`` is decoded HTML or an lxml tree. Pure: no network, no clock.
    """
    tree = page_or_tree
    if isinstance(page_or_tree, (str, bytes)):
        text = page_or_tree.decode("utf-8", "replace") if isinstance(page_or_tree, bytes) else page_or_tree
        if not text.strip():
            return None
        try:
            tree = parse_html(text)
        except (etree.ParserError, ValueError):
            return None
    if tree is None:
        return None
    for body in tree.xpath('//*[@id="js_content"]'):
        if len(re.sub(r"\s+", "", visible_text(body))) >= 50:
            return None  # a WeChat article (it may quote a notice)
    seen = visible_text(tree)
    if len(seen) > 20_000:
        return None  # an article, whatever it mentions (and no need to convert it)
    simple = simplified(seen)
    for kind, phrase in NOTICES:
        at = simple.find(phrase)
        if at < 0:
            continue
        if len(seen) - len(phrase) > max_visible:
            return None  # a long page that mentions a notice is an article about it
        # the platform's own wording (traditional where the page is): t2s keeps these phrases' length
        return Notice(kind, seen[at:at + len(phrase)] if len(simple) == len(seen) else phrase)
    for kind, pattern in ENGLISH_NOTICES:
        match = pattern.search(seen)
        if match:
            return Notice(kind, _sentence(seen, match)) if len(seen) - len(match.group(0)) <= max_visible else None
    return None


def _sentence(text: str, match) -> str:
    """The sentence around an English notice phrase (what the page says, up to its full stop)."""
    stop = text.rfind(". ", 0, match.start())
    start = stop + 2 if stop >= 0 else 0
    end = text.find(".", match.end())
    return text[start:end + 1 if 0 <= end < match.end() + 80 else match.end()].strip()
