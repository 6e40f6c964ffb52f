"""Turn a decoded HTML page into an article: WeChat public-account pages by their known structure,
other news / self-media pages with trafilatura. Pure functions: text in, :class:`Extracted` out.
"""
from __future__ import annotations

import html as _html
import json
import re
import urllib.parse
from dataclasses import dataclass

import lxml.html
from lxml import etree

from ..dates import CHINA_TZ, to_iso

WECHAT_HOSTS = ("mp.weixin.qq.com",)
# The notices WeChat shows in place of an article that is gone.
REMOVED_NOTICES = (
    "该内容已被发布者删除",
    "此内容因违规无法查看",
    "此内容被投诉且经审核涉嫌侵权，无法查看",
    "被投诉且经审核涉嫌侵权，无法查看",
    "此内容发送失败无法查看",
    "该公众号已迁移",
    "此帐号已被屏蔽, 内容无法查看",
    "此帐号已自主注销，内容无法查看",
)
_BLOCK_TAGS = {"p", "section", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "pre", "figure"}


@dataclass(frozen=True)
class Extracted:
    platform: str  # 'wechat' | 'web'
    status: str  # 'ok' | 'removed' | 'error'
    content: str = ""
    title: str = ""
    author: str = ""
    account: str = ""
    published_at: str | None = None
    canonical_url: str = ""  # what the page claims to be (canonical / og:url): evidence only, never identity
    original_flag: bool = False
    source_link: str = ""
    reason: str = ""  # why status is 'removed' or 'error'
    url: str = ""  # where the page was read from (the fetched final URL); "" for a saved page
    outlet: str = ""  # the site's name as the page states it (og:site_name, publisher), for saved pages
    biz: str = ""  # WeChat account id (__biz), only ever from a real WeChat page
    fetch_error: str = ""  # the fetch outcome (dns, refused, tls, timeout, robots, http …) when there was no page


def is_wechat(url: str, page: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    if host in WECHAT_HOSTS:
        return True
    head = page[:200_000]
    return 'id="js_content"' in head or "id='js_content'" in head or 'id="activity-name"' in head


def extract_page(page: str, url: str) -> Extracted:
    """Extract the article from a decoded HTML page fetched from (final) ``url``."""
    if not page or not page.strip():
        return Extracted("web", "error", reason="empty page")
    try:
        tree = _parse(page)
    except (etree.ParserError, ValueError) as exc:
        return Extracted("web", "error", reason=f"cannot parse HTML: {exc}")
    if tree is None:
        return Extracted("web", "error", reason="cannot parse HTML: no document")
    wechat = is_wechat(url, page)
    notice = _removed_notice(tree)
    if notice and len(_clean_inline(tree.text_content())) < 300:
        # a notice page in place of the article (WeChat's, or an aggregator mirroring it)
        platform = "wechat" if wechat or "weui-msg" in page else "web"
        return Extracted(platform, "removed", reason=notice)
    if wechat:
        return extract_wechat(page, url, tree)
    return extract_generic(page, url, tree)


def _parse(page: str):
    # lxml refuses str input that carries an encoding declaration; hand it UTF-8 bytes instead
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True, huge_tree=False)
    return lxml.html.document_fromstring(page.encode("utf-8", "replace"), parser=parser)


def _text(node) -> str:
    return _clean_inline(node.text_content()) if node is not None else ""


def _clean_inline(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def block_text(node) -> str:
    """The visible text of ``node`` with one line per block element (paragraphs stay apart)."""
    parts: list[str] = []

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "noscript", "template"):
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(node)
    lines = (_clean_inline(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _meta(tree, *names: str) -> str:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}=$n]/@content', n=name)
            if found and found[0].strip():
                return _clean_inline(found[0])
    return ""


def _script_var(page: str, *names: str) -> str:
    """The value of ``var name = "..."`` (or ``name: "..."`` / htmlDecode("...")) in inline scripts."""
    for name in names:
        pattern = (
            r"""(?:\bvar\s+|[\s,{;]|^)""" + re.escape(name) +
            r"""\s*[:=]\s*(?:htmlDecode\()?\s*(?:"([^"\n]*)"|'([^'\n]*)'|(\d+))"""
        )
        for match in re.finditer(pattern, page, re.M):
            value = next(g for g in match.groups() if g is not None)
            value = value.strip()
            if value:
                return _html.unescape(_unescape_js(value))
    return ""


def _unescape_js(value: str) -> str:
    value = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), value)
    value = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), value)
    return value.replace("\\/", "/").replace('\\"', '"').replace("\\'", "'")


def _removed_notice(tree) -> str:
    text = _clean_inline(tree.text_content()) if tree is not None else ""
    for notice in REMOVED_NOTICES:
        if notice in text:
            return notice
    return ""


def extract_wechat(page: str, url: str, tree) -> Extracted:
    body_nodes = tree.xpath('//*[@id="js_content"]')
    content = block_text(body_nodes[0]) if body_nodes else ""
    title = _meta(tree, "og:title", "twitter:title") or _text(next(iter(tree.xpath('//*[@id="activity-name"]')), None))
    title = title or _script_var(page, "msg_title")
    account = _text(next(iter(tree.xpath('//*[@id="js_name"]')), None)) or _script_var(page, "nickname", "profile_nickname")
    author = _meta(tree, "author") or _text(next(iter(tree.xpath('//*[@id="js_author_name"]')), None))
    published = to_iso(_script_var(page, "ct", "create_time")) or to_iso(_script_var(page, "publish_time"))
    published = published or to_iso(_text(next(iter(tree.xpath('//*[@id="publish_time"]')), None)))
    canonical = _meta(tree, "og:url") or _script_var(page, "msg_link")
    if not content:
        notice = _removed_notice(tree)
        if notice:
            return Extracted("wechat", "removed", title=title, account=account, canonical_url=canonical, reason=notice)
        return Extracted("wechat", "error", title=title, account=account, reason="no article body (#js_content) on the page")
    original = bool(tree.xpath('//*[@id="copyright_logo"]')) or _script_var(page, "_copyright_stat", "copyright_stat") in ("1", "11")
    source_link = _script_var(page, "msg_source_url")
    if not source_link:
        for anchor in tree.xpath("//a[@href]"):
            if "阅读原文" in anchor.text_content():
                source_link = anchor.get("href", "").strip()
                break
    if source_link and urllib.parse.urlsplit(source_link).scheme.lower() not in ("http", "https"):
        source_link = ""
    return Extracted(
        "wechat", "ok", content=content, title=title, author=author, account=account, published_at=published,
        canonical_url=canonical, original_flag=original, source_link=source_link,
    )


def extract_generic(page: str, url: str, tree) -> Extracted:
    import trafilatura  # imported here: a slow import that WeChat-only runs never need

    doc = None
    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False, include_tables=True)
    except Exception as exc:  # trafilatura can fail on pathological markup; report it, keep going
        return Extracted("web", "error", reason=f"extraction failed: {type(exc).__name__}: {exc}")
    canonical = ""
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        candidate = urllib.parse.urljoin(url, href.strip())
        if urllib.parse.urlsplit(candidate).scheme in ("http", "https"):
            canonical = candidate
            break
    title = (_meta(tree, "og:title") or _text(next(iter(tree.xpath("//h1")), None))
             or _text(next(iter(tree.xpath("//title")), None)))
    author = _meta(tree, "author", "article:author", "byline")
    published = to_iso(_meta(tree, "article:published_time", "pubdate", "publishdate", "datePublished", "og:release_date"))
    content = ""
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        content = (data.get("text") or "").strip()
        title = title or (data.get("title") or "")
        author = author or (data.get("author") or "")
        published = published or to_iso(data.get("date") or "")
    if not content:
        return Extracted("web", "error", title=title, canonical_url=canonical, reason="no main text found on the page")
    first, _, rest = content.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        content = rest.strip()  # trafilatura repeats the headline as the first line
    return Extracted(
        "web", "ok", content=content, title=title, author=author, published_at=published, canonical_url=canonical,
    )


def extracted_to_json(extracted: Extracted) -> str:
    return json.dumps(extracted.__dict__, ensure_ascii=False)
