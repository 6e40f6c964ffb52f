"""Turn a decoded HTML page into what a reader sees on it: WeChat public-account pages by their markup
(wherever they come from), other news / self-media pages with trafilatura for the body and our own rules
for titles, times, outlets and the junk trafilatura keeps. Pure functions: text in, :class:`Extracted` out.

Rules and the page structures they answer (fixtures in tests/page_corpus.py):

- WeChat is recognised by its markup (``#js_content`` / ``#activity-name`` in the parsed tree, not a string
  search: the modern page puts them 600 KB–1.5 MB in, after inline CSS and scripts that mention them).
- Notices (deleted, violation, complaint, expired, account) are read from the visible text only
  (:mod:`reprintwatch.ingest.notices`).
- A body shorter than :data:`MIN_ARTICLE_CHARS` is the outcome ``too_short``, not an article.
- Times are read to the minute where the page shows one (JSON-LD, meta, the byline, scripts, WeChat's
  ``ct``), China time unless the page states a zone (:mod:`reprintwatch.dates`); htmldate gives the date
  when nothing shows a time.
- ``canonical_url`` is what the page claims to be: evidence, never identity. ``biz`` (the WeChat account
  id) is read only from pages served by mp.weixin.qq.com, or saved pages that claim to be from there.
"""
from __future__ import annotations

import html as _html
import itertools
import json
import re
import urllib.parse
from dataclasses import dataclass, fields, replace

import lxml.html
from lxml import etree

from ..articles import looks_binary
from ..dates import find_in_text, find_published, has_time, to_iso
from ..triage.identity import is_wechat_page, served_host
from .notices import Notice, parse_html, removal_notice, visible_text

# A caption or a picture post's line is a handful of characters; the shortest article in our fixtures
# (tests/page_corpus.py, tests/fixtures/ingest) has 167. 50 sits well between; a choice, not a measurement of the web.
MIN_ARTICLE_CHARS = 50
_BLOCK_TAGS = {"p", "section", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "pre",
               "figure", "ul", "ol", "table"}


@dataclass(frozen=True)
class Extracted:
    platform: str  # 'wechat' | 'web' | 'local'
    status: str  # 'ok' | 'removed' | 'too_short' | 'error'
    content: str = ""
    title: str = ""
    author: str = ""
    account: str = ""  # WeChat account name
    published_at: str | None = None
    canonical_url: str = ""  # what the page claims to be (canonical / og:url): evidence only, never identity
    original_flag: bool = False
    source_link: str = ""  # WeChat's 阅读原文 link
    reason: str = ""  # why status is not 'ok' (the notice, the fetch outcome …)
    url: str = ""  # where the page was read from (the fetched final URL); "" for a saved page
    outlet: str = ""  # the site's name as the page states it (og:site_name, publisher), for saved pages
    biz: str = ""  # WeChat account id (__biz), only ever from a real WeChat page
    fetch_error: str = ""  # the fetch outcome (dns, refused, tls, timeout, robots, http …) when there was no page
    notice: str = ""  # removal notice kind: deleted | violation | complaint | expired | account | unavailable

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def extract_page(page: str, url: str, min_chars: int = MIN_ARTICLE_CHARS) -> Extracted:
    """Extract the article from a decoded HTML page read from (final) ``url`` ("" for a saved page)."""
    return _clean_strings(_extract(page, url or "", min_chars))


def _extract(page: str, url: str, min_chars: int) -> Extracted:
    if not page or not page.strip():
        return Extracted("web", "error", url=url, reason="empty page")
    try:
        tree = parse_html(page)
    except (etree.ParserError, ValueError) as exc:
        return Extracted("web", "error", url=url, reason=f"cannot parse HTML: {exc}")
    if tree is None:
        return Extracted("web", "error", url=url, reason="cannot parse HTML: no document")
    wechat = is_wechat(url, tree) or is_wechat_script_post(page)
    notice = removal_notice(tree)
    if notice:
        return _removed("wechat" if wechat or tree.xpath('//*[contains(@class, "weui-msg")]') else "web", notice, url)
    extracted = extract_wechat(page, url, tree) if wechat else extract_generic(page, url, tree)
    if extracted.status == "ok" and looks_binary(extracted.content):
        return replace(extracted, status="error", content="", reason="page text looks binary (control bytes), not text")
    if extracted.status == "ok" and _chars(extracted.content) < min_chars:
        return replace(extracted, status="too_short", content="",
                       reason=f"body has {_chars(extracted.content)} characters, fewer than {min_chars}: not an article")
    return extracted


def _removed(platform: str, notice: Notice, url: str) -> Extracted:
    return Extracted(platform, "removed", url=url, reason=notice.text, notice=notice.kind)


def _chars(text: str) -> int:
    return len(re.sub(r"\s+", "", text or ""))


def _clean_strings(extracted: Extracted) -> Extracted:
    """No lone UTF-16 surrogates (from ``\\ud83d`` escapes in page scripts or JSON) leave extraction."""
    changes = {}
    for f in fields(extracted):
        value = getattr(extracted, f.name)
        if isinstance(value, str) and _SURROGATE.search(value):
            changes[f.name] = _SURROGATE.sub("", value)  # half an emoji: nothing a reader could see
    return replace(extracted, **changes) if changes else extracted


_SURROGATE = re.compile("[\ud800-\udfff]")


def is_wechat(url: str, tree) -> bool:
    if is_wechat_page(url):
        return True
    return bool(tree.xpath('//*[@id="js_content" or @id="activity-name"]'))


# --- text helpers ------------------------------------------------------------------------------------------
def _text(node) -> str:
    return _clean_inline(node.text_content()) if node is not None else ""


def _clean_inline(text: str) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ").replace("\u3000", " ")).strip()


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
        if el.text and tag:
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


def _first(tree, xpath: str):
    found = tree.xpath(xpath)
    return found[0] if found else None


def _meta(tree, *names: str) -> str:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f'//meta[@{attr}=$n]/@content', n=name)
            if found and found[0].strip():
                return _clean_inline(found[0])
    return ""


_JS_STRING = r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|(\d+))"""


def _script_var(page: str, *names: str) -> str:
    """The value of ``var name = "..."``, ``name: '...'``, ``name = htmlDecode("...")``/``JsDecode('...')``
    or ``var biz = ""||"..."`` in inline scripts (the first non-empty one, unescaped, spaces folded)."""
    return _clean_inline(_html.unescape(_script_string(page, *names)))


def _script_string(page: str, *names: str) -> str:
    """:func:`_script_var` as the script writes it: JS escapes decoded, line breaks and markup kept."""
    for name in names:
        # the pattern starts with the literal name (a fast scan); the character before it is checked by hand
        pattern = (re.escape(name) +
                   r"""\s*[:=]\s*(?:""\s*\|\|\s*|''\s*\|\|\s*)?(?:(?:htmlDecode|JsDecode)\(\s*)?""" + _JS_STRING)
        for match in re.finditer(pattern, page):
            before = page[match.start() - 1] if match.start() else " "
            # a longer name (nick_name vs. profile_nick_name) or an HTML attribute (data-miniprogram-nickname=…)
            if before.isalnum() or before in "_$-":
                continue
            value = next((g for g in match.groups() if g is not None), "").strip()
            if value:
                return _unescape_js(value).strip()
    return ""


def _unescape_js(value: str) -> str:
    value = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), value)
    value = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), value)
    # a pair of escaped surrogates is one character (an emoji); a lone one stays and is replaced later
    value = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass") if _SURROGATE.search(value) else value
    return value.replace("\\/", "/").replace('\\"', '"').replace("\\'", "'").replace("\\\\", "\\")


def _http(url: str) -> str:
    url = (url or "").strip()
    return url if urllib.parse.urlsplit(url).scheme.lower() in ("http", "https") else ""


# --- WeChat ------------------------------------------------------------------------------------------------
# WeChat's own calls to action at either end of #js_content (点击上方蓝字关注, 点个在看, -END-): furniture.
# Not credit lines (来源：…, 编辑：…, 文｜…): they belong to the article and triage reads them; not an
# author's sign-off (欢迎分享到朋友圈~): the real pages of issue 24 keep it as the article's last line.
_WECHAT_TRAILER = re.compile(
    r"^(?:-+\s*(?:END|end|完|THE END)\s*-+|.{0,12}(?:点个?“?在看”?|点赞|星标|置顶|关注我们|"
    r"长按(?:识别)?二维码|扫码关注|点击上方|蓝字关注).{0,20}|微信扫一扫.{0,20}|往期(?:回顾|推荐|精彩).{0,20})$")
# "- END -" closes an article wherever it stands (credit lines may follow it): never the article's text.
_END_MARK = re.compile(r"^[-—–=\s]*(?:END|end|完|THE END)[-—–=\s]*$")
_BIZ = re.compile(r"__biz=([A-Za-z0-9+/]{6,}(?:=|%3D){0,2})")


# WeChat's post types that keep their text in the page's script data, not in #js_content: text posts
# (item_show_type 10: text_page_info), picture posts (8: picture_page_info_list, content_noencode), video and
# share posts (window.cgiDataNew … content_noencode). The page's <title> is then "微信公众平台".
_WECHAT_SCRIPT_POST = re.compile(r"\b(?:cgiDataNew|picture_page_info_list|text_page_info|content_noencode)\b")
_WECHAT_PAGE_SIGN = re.compile(r"mp\.weixin\.qq\.com|mmbiz\.qpic\.cn|res\.wx\.qq\.com")
_PLATFORM_TITLES = {"微信公众平台", "微信公众号", "WeChat Official Accounts Platform", "Weixin Official Accounts Platform"}


def is_wechat_script_post(page: str) -> bool:
    """A WeChat post whose text lives in script data (no #js_content to recognise it by)."""
    head = page[:3_000_000]
    # plain substring scans first (a regex alternation over a 1 MB news page costs ~10 ms)
    if not any(name in head for name in ("cgiDataNew", "picture_page_info_list", "text_page_info", "content_noencode")):
        return False
    return bool(_WECHAT_SCRIPT_POST.search(head) and _WECHAT_PAGE_SIGN.search(head))


def _script_body(page: str) -> str:
    """The text of a script-data post (content_noencode, text_page_info's content), one line a paragraph."""
    value = _script_string(page, "content_noencode")
    if not value:
        match = re.search(r"text_page_info\s*[:=]\s*\{", page)
        if match:
            value = _script_string(page[match.end():match.end() + 200_000], "content")
    if not value:
        return ""
    try:
        fragment = lxml.html.fragment_fromstring(value.replace("\n", "<br>"), create_parent="div")
    except (etree.ParserError, ValueError):
        return _clean_inline(value)
    return block_text(fragment)


def extract_wechat(page: str, url: str, tree) -> Extracted:
    body = _first(tree, '//*[@id="js_content"]')
    content = ""
    if body is not None:
        lines = [line for line in block_text(body).split("\n") if not _END_MARK.match(line)]
        content = _trim_lines("\n".join(lines), lead=_WECHAT_TRAILER, trail=_WECHAT_TRAILER)
    if _chars(content) < MIN_ARTICLE_CHARS and is_wechat_script_post(page):
        content = _script_body(page) or content
        if content and body is None:
            body = tree  # the post is its script data
    title = next((t for t in (_text(_first(tree, '//*[@id="activity-name"]')), _script_var(page, "msg_title", "title"),
                              _meta(tree, "og:title", "twitter:title")) if t and t not in _PLATFORM_TITLES), "")
    account = (_text(_first(tree, '//*[@id="js_name"]')) or _script_var(page, "nickname", "nick_name", "profile_nickname")
               or _text(_first(tree, '//*[contains(@class, "profile_nickname")]')))
    author = (_meta(tree, "author") or _text(_first(tree, '//*[@id="js_author_name"]'))
              or _script_var(page, "author") or _meta_author(tree, account))
    claimed = _http(_meta(tree, "og:url")) or _http(_script_var(page, "msg_link"))
    if body is None:
        return Extracted("wechat", "error", title=title, account=account, url=url, canonical_url=claimed,
                         reason="no article body (#js_content) on the page")
    original = bool(tree.xpath('//*[@id="copyright_logo"]')) or \
        _script_var(page, "_copyright_stat", "copyright_stat") in ("1", "11")
    source_link = _http(_script_var(page, "msg_source_url", "source_url"))
    if not source_link:
        for anchor in tree.xpath("//a[@href]"):
            if "阅读原文" in anchor.text_content() and _http(anchor.get("href", "")):
                source_link = _http(anchor.get("href", ""))
                break
    return Extracted(
        "wechat", "ok", content=content, title=title, author=author, account=account,
        published_at=_wechat_time(page, tree), canonical_url=claimed, original_flag=original,
        source_link=source_link, url=url, biz=_wechat_biz(page, url, claimed),
    )


def _wechat_time(page: str, tree) -> str | None:
    """``ct``/``create_time`` (Unix seconds: exact) first, then a shown time, then the date alone."""
    found = []
    for value in (_script_var(page, "ct", "create_time", "ori_create_time"), _script_var(page, "createTime"),
                  _text(_first(tree, '//*[@id="publish_time"]')), _text(_first(tree, '//*[@id="post-date"]')),
                  _script_var(page, "publish_time")):
        iso = to_iso(value) if value else None
        if iso and has_time(iso):
            return iso
        if iso:
            found.append(iso)
    return found[0] if found else None


def _wechat_biz(page: str, url: str, claimed: str) -> str:
    """The account id, only from a page served by WeChat, or a saved page (no URL) that claims to be."""
    if not is_wechat_page(url) and not (not served_host(url) and is_wechat_page(claimed)):
        return ""
    value = _script_var(page, "biz", "__biz")
    if not value:
        match = _BIZ.search(claimed) or _BIZ.search(page[:300_000])
        value = urllib.parse.unquote(match.group(1)) if match else ""
    return value if re.fullmatch(r"[A-Za-z0-9+/]{6,}={0,2}", value or "") else ""


def _meta_author(tree, account: str) -> str:
    """Old pages: the author is a plain meta text beside the account name, the date and the 原创 tag."""
    for node in tree.xpath('//*[@id="meta_content"]//*[contains(@class, "rich_media_meta_text")]'):
        text = _text(node)
        if text and text not in (account, "原创") and not to_iso(text) and node.get("id") not in ("publish_time", "post-date"):
            return text
    return ""


# --- news and self-media pages -----------------------------------------------------------------------------
# Blocks that are never the article: matched against class/id words. Measured on the corpus: each of these
# appears only around the body; "editor" is not here because TRS_Editor is a common body container.
_JUNK_WORDS = {
    "comment", "comments", "commentlist", "pinglun", "related", "relate", "relation", "xgxw", "recommend",
    "recommends", "tuijian", "recom", "share", "sharebox", "footer", "foot", "copyright", "statement",
    "disclaimer", "crumb", "breadcrumb", "nav", "navbar", "qrcode", "qr", "hot", "rank", "sidebar", "aside",
    "toolbar", "jiucuo", "tiyi1", "articleedit",
    # a summary box above the story repeats its lines (qq's div.introduction on the real pages of issue 24)
    "introduction", "summary", "digest",
    # a feedback toast (感谢您的反馈…) the page shows after a click
    "toast", "feedback",
}
_WORD = re.compile(r"[a-z0-9]+")
_LEAD_JUNK = re.compile(
    r"^(?:.{0,60}(?:字号|字体)\s*[:：]?\s*[大中小Tt]|.{0,40}(?:来源|作者|发布时间|时间|浏览|阅读|点击)\s*[:：].{0,60}"
    r"|(?:首页|当前位置)\s*[>＞›].{0,60}|.{0,20}\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}.{0,40}(?:来源|作者).{0,40}"
    r"|(?:最后|最後)?(?:更新|修改)(?:时间|時間|于|於)?\s*[:：]?\s*\d{4}.{0,30})$")
_TRAIL_JUNK = re.compile(
    r"^(?:[（(【\[]?\s*(?:责任编辑|责编|编辑|校对|审核|监制|纠错)\s*[:：]?.{0,30}[）)】\]]?|【纠错】.{0,40}|"
    r"(?:免责)?声明\s*[:：].*|本文为.{0,40}(?:仅代表|不代表).*|.{0,30}版权所有.*|(?:分享到|分享至)\s*[:：]?.{0,40}|"
    r".{0,12}扫一扫.{0,30}|感谢(?:您的)?反馈.{0,40}|(?:相关(?:新闻|阅读|文章|推荐)|推荐阅读|为你推荐|热门推荐|延伸阅读|网友评论|热门评论|猜你喜欢)\s*[:：]?.{0,40})$")
_SECTION_BREAK = re.compile(r"^(?:相关(?:新闻|阅读|文章|推荐)|推荐阅读|为你推荐|热门推荐|延伸阅读|网友评论|热门评论|猜你喜欢|"
                            r"精彩(?:视频|图片)?推荐|(?:视频|图片)推荐|今日精选|精选(?:推荐|阅读|文章)?)\s*[:：]?$")
# A photo caption: the short text right after a picture that credits it (视觉中国, 新华社记者 … 摄, 资料图).
_CAPTION_CREDIT = re.compile(r"视觉中国|图虫|东方IC|IC\s*photo|供图|资料图|图片来源|图源|(?:记者|通讯员).{0,12}摄|摄$|摄）|摄\)|\b(?:图|photo)\s*[/:：|｜]")
CAPTION_CHARS = 60


def extract_generic(page: str, url: str, tree) -> Extracted:
    import trafilatura  # imported here: a slow import that WeChat-only runs never need

    ld = _json_ld(tree)
    pruned = _prune(tree)
    block = _article_block(pruned)
    block_lines = block_text(block).split("\n") if block is not None else []
    block_items = {_squeeze(_text(li)) for li in block.iter("li")} if block is not None else set()
    try:
        doc = trafilatura.bare_extraction(pruned, url=url or None, with_metadata=False, include_comments=False,
                                          include_tables=True, favor_recall=True)
    except Exception as exc:  # trafilatura can fail on pathological markup; report it, keep going
        return Extracted("web", "error", url=url, reason=f"extraction failed: {type(exc).__name__}: {exc}")
    data = {}
    if doc is not None:
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    claimed = _canonical(tree, url)
    site_name = _site_name(tree, ld, claimed)
    title, headline_node = _title(page, tree, ld, site_name)
    title = title or _strip_site_suffix(data.get("title") or "", site_name)
    content = _generic_body(_within(data.get("text") or "", block_lines, block_items), title)
    byline = _byline_text(tree, title)
    author = _author(tree, ld, byline) or (data.get("author") or "")
    published = _generic_time(page, tree, ld, byline, _after_headline(headline_node))
    if not content:
        return Extracted("web", "error", title=title, url=url, canonical_url=claimed, outlet=site_name,
                         reason="no main text found on the page")
    return Extracted("web", "ok", content=content, title=title, author=author, published_at=published,
                     canonical_url=claimed, url=url, outlet=site_name)


# What makes a node a paragraph of the article for :func:`_article_block`: 10+ characters of its own.
PARAGRAPH_CHARS = 10
# The article block must hold this share of the text trafilatura found, else it is not the article's block
# (a page whose paragraphs are spread over several containers) and trafilatura's text stands alone.
BLOCK_SHARE = 0.6


def _article_block(tree):
    """The element that holds the article's paragraphs (readability's scoring, simplified): each paragraph
    (``p``, or a ``div``/``section``/``td`` with text of its own) gives its length to its parent and half to
    its grandparent; the best-scored element wins. None on a page without paragraphs."""
    scores: dict = {}
    for node in tree.iter("p", "div", "section", "td", "article", "li"):
        own = (node.text or "") + "".join(child.tail or "" for child in node) if node.tag != "p" else node.text_content()
        size = len(_squeeze(own))
        if size < PARAGRAPH_CHARS:
            continue
        parent = node.getparent() if node.tag in ("p", "li") else node
        for weight, el in ((1.0, parent), (0.5, parent.getparent() if parent is not None else None)):
            if el is not None and isinstance(el.tag, str):
                scores[el] = scores.get(el, 0.0) + size * weight
    return max(scores, key=scores.get) if scores else None


def _within(text: str, block_lines: list[str], block_items: set[str]) -> str:
    """The lines of trafilatura's ``text`` that the article block shows: what it took from around the block
    (a follow-us box, the right column, keywords, a summary box repeated above the story) goes, and the
    list items it dropped at the block's end (link-only ones) come back. When the block holds less than
    :data:`BLOCK_SHARE` of the text, it is not the article's, and the text stays whole."""
    lines = [line for line in text.split("\n") if line.strip()]
    block_key = _squeeze("".join(block_lines))
    if not block_key or not lines:
        return text
    # trafilatura writes list items as "- item"; the page shows the item alone
    lines = [line[2:] if line.startswith("- ") and _squeeze(line) not in block_key else line for line in lines]
    kept = [line for line in lines if _squeeze(line) in block_key]
    total = sum(len(_squeeze(line)) for line in lines)
    if sum(len(_squeeze(line)) for line in kept) < total * BLOCK_SHARE:
        return text
    keys = [_squeeze(line) for line in block_lines]
    last = _squeeze(kept[-1])
    at = max((i for i, key in enumerate(keys) if key == last), default=len(keys))
    for line, key in zip(block_lines[at + 1:], keys[at + 1:]):
        if key not in block_items:
            break
        kept.append(line)
    return "\n".join(kept)


def _prune(tree):
    """A copy of the page without comment, related, share, footer and navigation blocks (never the block
    that holds most of the text: a body container with a junk-looking class stays)."""
    copy = lxml.html.document_fromstring(lxml.html.tostring(tree))
    total = len(_clean_inline(copy.text_content())) or 1
    for node in list(copy.iter()):
        if not isinstance(node.tag, str) or node.getparent() is None:
            continue
        if _words(node) & _JUNK_WORDS and len(_clean_inline(node.text_content())) < total * 0.4:
            node.drop_tree()
    _drop_captions(copy)
    return copy


def _words(node) -> set[str]:
    """The words of a node's class and id (``comment-list`` → comment, list; ``mbArticleShareBtn`` → mb,
    article, share, btn)."""
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    if names == " ":
        return set()  # most nodes: no class, no id
    return set(_WORD.findall(_CAMEL.sub(r"\1 \2", names).lower().replace("_", " ")))


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


def _drop_captions(tree) -> None:
    """Drop photo captions: the element right after a picture whose short text credits the photo."""
    for img in tree.iter("img"):
        holder = img
        while holder.getparent() is not None and not (holder.tail or "").strip() and holder.getnext() is None \
                and holder.getparent().tag not in ("body", "article"):
            holder = holder.getparent()  # the picture's wrapper (<div><img></div>, <p><img></p>)
        nxt = holder.getnext()
        if (holder.tail or "").strip() or nxt is None or not isinstance(nxt.tag, str):
            continue
        text = _clean_inline(nxt.text_content())
        if 0 < len(text) <= CAPTION_CHARS and (nxt.tag == "figcaption" or _CAPTION_CREDIT.search(text)):
            nxt.drop_tree()


def _in_junk(node) -> bool:
    """Inside a comment, related, share, footer or navigation block (a heading or a time there is not the
    article's: the real pages of issue 24 carry reader comments with their own times and titled lists)."""
    return any(_words(el) & _JUNK_WORDS for el in (node, *node.iterancestors()) if isinstance(el.tag, str))


def _generic_body(text: str, title: str) -> str:
    lines = [_clean_inline(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    # trafilatura repeats the headline as the first line, or after a 最后更新 line
    while lines and ((title and _squeeze(lines[0]) == _squeeze(title)) or _LEAD_JUNK.match(lines[0])):
        lines = lines[1:]
    for i, line in enumerate(lines):
        if i > 0 and _SECTION_BREAK.match(line):
            lines = lines[:i]  # a "related / recommended / comments" heading: nothing after it is the article
            break
    return _trim_lines("\n".join(lines), lead=_LEAD_JUNK, trail=_TRAIL_JUNK)


def _trim_lines(text: str, lead, trail) -> str:
    """Drop junk lines at the start and the end only: a line in the middle is never dropped."""
    lines = text.split("\n")
    while lines and lead.match(lines[0]):
        lines.pop(0)
    while lines and trail.match(lines[-1]):
        lines.pop()
    return "\n".join(lines).strip()


def _json_ld(tree) -> dict:
    """The first Article/NewsArticle/BlogPosting object in the page's JSON-LD (``@graph`` included)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except (ValueError, RecursionError):
            continue
        todo = [data]
        while todo:
            item = todo.pop(0)
            if isinstance(item, list):
                todo.extend(item)
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.endswith(("Article", "BlogPosting", "Report")) for k in kinds):
                    return item
                if "@graph" in item:
                    todo.append(item["@graph"])
    return {}


def _ld_name(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or ""
    return _clean_inline(value) if isinstance(value, str) else ""


def _canonical(tree, url: str) -> str:
    for href in tree.xpath('//link[@rel="canonical"]/@href') + tree.xpath('//meta[@property="og:url"]/@content'):
        candidate = _http(urllib.parse.urljoin(url, href.strip()) if url else href.strip())
        if candidate:
            return candidate
    return ""


def _site_name(tree, ld: dict, claimed: str) -> str:
    return (_meta(tree, "og:site_name", "application-name", "apple-mobile-web-app-title")
            or _ld_name(ld.get("publisher")) or _title_suffix(_text(_first(tree, "//title")))
            or served_host(claimed))


_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜—–]|\s-\s)\s*")
_SITEISH = re.compile(r"(?:网|网站|在线|频道|新闻|日报|晚报|早报|时报|报|客户端|融媒|中心|官网|号|平台|资讯|头条|TV|Online|News)$", re.I)


def _title_suffix(title: str) -> str:
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    if len(parts) >= 2 and _SITEISH.search(parts[-1]) and len(parts[-1]) <= 16:
        return parts[-1]
    return ""


def _strip_site_suffix(title: str, site_name: str = "") -> str:
    """``标题-新华网`` → ``标题``; ``标题_中国_法国_全球`` (tag keywords) → ``标题``."""
    title = _clean_inline(title)
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    if len(parts) < 2:
        return title
    head, tail = parts[0], parts[1:]
    if len(head) < 4:
        return title
    if all(len(p) <= 6 for p in tail) or (site_name and tail[-1] == site_name) or \
            (len(tail) == 1 and _SITEISH.search(tail[0]) and len(tail[0]) <= 16):
        return _TITLE_SEPARATORS.split(title, maxsplit=1)[0] if len(tail) > 0 else title
    return title


_OG_TITLE_TAG = re.compile(r"""<meta\b[^<>]*?(?:property|name)\s*=\s*["']og:title["'][^<>]*>""", re.I)


def _raw_og_title(page: str) -> str:
    """og:title as written, even when unescaped quotes inside it broke the attribute for an HTML parser."""
    match = _OG_TITLE_TAG.search(page[:2_000_000])
    if not match:
        return ""
    tag = match.group(0)
    start = re.search(r"""content\s*=\s*(["'])""", tag)
    if not start or len(tag) > 4000:  # a real og:title tag is short; a huge one is not worth reading
        return ""
    quote, rest = start.group(1), tag[start.end():]
    rest = re.sub(r"\s*/?\s*>$", "", rest)
    for _ in range(6):  # well-formed attributes after the content (content="…" property="og:title")
        trailing = re.search(r"""\s+[a-zA-Z:-]+\s*=\s*["'][^"'<>]*["']$""", rest)
        if not trailing or rest[:trailing.start()].rstrip()[-1:] != quote:
            break
        rest = rest[:trailing.start()].rstrip()
    if not rest.endswith(quote):
        return ""
    return _clean_inline(_html.unescape(rest[:-1]))


# After a headline, in the same block: what a page prints beside it (a date, 来源/发布/作者 lines, share and
# voice-reader buttons, an account's badge). Seen on the real pages of issue 24 (people.com.cn, sohu,
# baijiahao, toutiao): never part of the headline the page's <title>/og:title repeats.
_HEADLINE_TRAILER = re.compile(
    r"^(?:\d{2,4}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/月]\s*\d{1,2}\s*日?\s*\d{1,2}:\d{2}"
    r"|.{0,40}?(?:来源|來源|发布|發布|作者|编辑|編輯|时间|時間|分享|播报|播報|阅读|閱讀|评论|評論|原创|原創))")
# A <title>/og:title that is the headline plus a site or channel suffix: what follows the headline starts
# with one of the separators sites use (…_财经_腾讯网, …-新华网, …| 政治 | 中央社 CNA, … · 语雀, …丨36氪).
_SUFFIX_START = re.compile(r"^\s*(?:[-_|｜—–·•丨]|--)")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title(page: str, tree, ld: dict, site_name: str) -> tuple[str, object]:
    """The headline as the page shows it, and the node that shows it (None when only a claim says it).

    GNE's approach, widened: the headline is the heading the page's own claims (JSON-LD ``headline``,
    ``og:title``, ``<title>``) repeat. A claim longer than the heading by a separator and more is the
    heading plus a site/channel suffix; a heading longer than a claim by a date, 来源 or a button is the
    claim plus the block's furniture. Exact matches beat partial ones; an ``h1`` beats other headings.
    """
    headline = _ld_name(ld.get("headline") or ld.get("name"))
    raw_og = _raw_og_title(page) or _meta(tree, "og:title", "twitter:title")
    raw_title = _text(_first(tree, "//title"))
    og = _strip_site_suffix(raw_og, site_name)
    page_title = _strip_site_suffix(raw_title, site_name)
    claims = [c for c in dict.fromkeys((headline, raw_og, og, raw_title, page_title)) if len(c) >= 4]
    best: tuple[int, str, object] | None = None
    for node in tree.xpath("//h1 | //h2 | //h3 | //*[contains(@class, 'title')][not(self::title)]"):
        lines = block_text(node).split("\n")
        text = lines[0] if lines else ""
        if not (4 <= len(text) <= 160) or _is_banner(node, text, site_name) or _in_junk(node):
            continue
        rank, shown = _heading_match(text, claims)
        if not rank:
            continue
        rank = rank * 2 + (node.tag == "h1")
        # the innermost of equal headings: its byline follows it (a header block holds both)
        if best is None or rank > best[0] or (rank == best[0] and best[2] in node.iterancestors()):
            best = (rank, shown, node)
    if best:
        return best[1], best[2]
    if headline:
        return headline, None
    if og:
        return og, None
    first_h1 = next((n for n in tree.xpath("//h1") if len(_text(n)) >= 4 and _text(n) != site_name), None)
    return (_text(first_h1), first_h1) if first_h1 is not None else (page_title, None)


def _heading_match(text: str, claims: list[str]) -> tuple[int, str]:
    """How well a heading's text agrees with the page's title claims: (rank, the headline it shows).

    3: a claim is the heading, or the heading plus a separated suffix (the heading is the headline);
    2: the heading is a claim plus furniture (a date, 来源 …): the claim is the headline;
    1: a claim is the heading cut off (the longer claim is the headline); 0: no agreement."""
    key = _squeeze(text)
    rank, shown = 0, ""
    for claim in claims:
        ckey = _squeeze(claim)
        if ckey == key:
            return 3, text
        if ckey.startswith(key):
            if _SUFFIX_START.match(claim[_prefix_end(claim, key):]):
                return 3, text
            if len(key) >= 8 and rank <= 1 and (not shown or len(claim) < len(shown)):
                rank, shown = 1, claim
        elif key.startswith(ckey) and len(ckey) >= 4:
            rest = text[_prefix_end(text, ckey):].strip()
            if _HEADLINE_TRAILER.match(rest) and rank < 2:
                rank, shown = 2, _clean_inline(text[:_prefix_end(text, ckey)])
    return rank, shown


def _prefix_end(text: str, key: str) -> int:
    """Where in ``text`` the whitespace-free prefix ``key`` ends."""
    seen = 0
    for i, ch in enumerate(text):
        if seen == len(key):
            return i
        if not ch.isspace():
            seen += 1
    return len(text)


def _is_banner(node, text: str, site_name: str) -> bool:
    if site_name and text == site_name:
        return True
    for el in [node, *node.iterancestors()]:
        # not "header": a news page's article header (Xinhua's div.header > .h-title) holds the headline
        if _words(el) & {"logo", "banner", "masthead", "nav", "navbar"}:
            return True
    return bool(node.xpath('.//a[@href="/"] | .//img[contains(@src, "logo")]'))


def _byline_text(tree, title: str) -> str:
    """The short lines that carry time, source and author (visible text only; never a comment's)."""
    lines = []
    for node in tree.xpath(
            "//*[self::div or self::p or self::span or self::section]"
            "[contains(@class,'info') or contains(@class,'time') or contains(@class,'date') or contains(@class,'source')"
            " or contains(@class,'meta') or contains(@class,'author') or contains(@class,'byline') or contains(@id,'info')"
            " or contains(@class,'pub')]"):
        if _in_junk(node):
            continue
        text = _clean_inline(visible_text(node))
        if 4 <= len(text) <= 200:
            lines.append(text)
        if len(lines) > 20:
            break
    return "\n".join(lines)


# How much text after the headline is its byline: the real pages of issue 24 put the time 0–120 visible
# characters after the headline (people.com.cn, thepaper, toutiao, gmw, baijiahao); 240 leaves room for an
# account card, and stops before most first paragraphs.
AFTER_HEADLINE_CHARS = 240
# One text of a byline is short (an account, 来源：…, a time: under 40 characters on those pages); a text of
# 60 or more is a paragraph of the article.
BYLINE_PART_CHARS = 60


def _after_headline(node) -> str:
    """The visible text that follows the headline on the page, up to :data:`AFTER_HEADLINE_CHARS`."""
    if node is None:
        return ""
    parts, size = [], 0
    for found in _texts_after(node):
        text = _clean_inline(found)
        if len(text) >= BYLINE_PART_CHARS:
            break  # a paragraph: the article has begun (its dates, and a comment's after it, are not the byline)
        if text:
            parts.append(text)
            size += len(text)
            if size >= AFTER_HEADLINE_CHARS:
                break
    return " ".join(parts)[:AFTER_HEADLINE_CHARS]


def _texts_after(node):
    """The visible texts after ``node`` in document order, lazily: a walk that stops when its caller does
    (XPath ``following::text()`` builds the whole list: 26 ms a page on the real news pages of issue 24).
    Texts in script, style and junk blocks (comments, share …) are skipped."""
    def walk(el):
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "template") \
                or _words(el) & _JUNK_WORDS:
            return
        if el.text:
            yield el.text
        for child in el:
            yield from walk(child)
            if child.tail:
                yield child.tail

    if _in_junk(node):
        return
    current = node
    while current is not None:
        if current.tail:
            yield current.tail
        for sibling in current.itersiblings():
            yield from walk(sibling)
            if sibling.tail:
                yield sibling.tail
        current = current.getparent()


_SCRIPT_TIME = re.compile(
    r"""["']?(?:publishTime|publish_time|pubtime|pubTime|pubDate|ptime|publishDate|datePublished|createTime|"""
    r"""create_time|releaseTime|firstPublishTime)["']?\s*[:=]\s*["']([^"'\n]{8,40})["']""")
_TIME_METAS = ("article:published_time", "og:article:published_time", "datePublished", "pubdate", "publishdate",
               "PubDate", "publish_time", "og:release_date", "weibo:article:create_at", "release_date", "dc.date")


_UPDATE_METAS = ("article:modified_time", "og:updated_time", "dateModified", "dateUpdate", "lastmod")


def _generic_time(page: str, tree, ld: dict, byline: str, after_headline: str = "") -> str | None:
    """The first candidate that shows a time of day, in order of trust; else the first date; else htmldate.

    The text right after the headline is the byline a reader sees (``2019年06月15日08:18 来源：…``, an edit
    time labelled 编辑于 passed over, ``发布时间：10-08 12:00`` completed with the year the page states
    elsewhere); it comes after the page's machine-readable claims and before scattered time-ish classes.
    """
    claimed = [
        ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None,
        _meta(tree, *_TIME_METAS),
    ]
    later = [
        next(iter(tree.xpath("//time/@datetime")), None),
        find_published(byline),
        find_in_text(_split_date(tree)),
    ]
    later += [m.group(1) for m in itertools.islice(_SCRIPT_TIME.finditer(page[:3_000_000]), 5)]
    # a date the page states elsewhere, for a byline that leaves the year out (publish first, then update)
    reference = next((iso for iso in (to_iso(v) for v in claimed + later if v) if iso), None)
    if after_headline and not reference:
        reference = to_iso(_meta(tree, *_UPDATE_METAS)) or to_iso(_htmldate(tree))
    shown = find_published(after_headline, reference)
    dates = []
    for value in claimed + [shown] + later:
        iso = to_iso(value) if value else None
        if iso and has_time(iso):
            same_day = [d for d in dates if d != iso[:10]]
            if not same_day:
                return iso
        if iso:
            dates.append(iso[:10])
    if dates:
        return dates[0]
    found = _htmldate(tree)
    return to_iso(found) if found else None


def _htmldate(tree) -> str | None:
    """htmldate's guess at the page's date (a date only), or None."""
    try:
        from htmldate import find_date

        return find_date(tree, original_date=True, extensive_search=False)
    except Exception:  # a guess only
        return None


def _split_date(tree) -> str:
    """Xinhua-style bylines split the date over elements (``<em>2024</em>`` ``12/01`` ``10:08:00``)."""
    node = _first(tree, "//*[contains(@class,'header-cont') or contains(@class,'info')][.//*[contains(@class,'year')]]")
    if node is None:
        return ""
    year = _text(_first(node, ".//*[contains(@class,'year')]"))
    day = _text(_first(node, ".//*[contains(@class,'day')]"))
    clock = _text(_first(node, ".//*[contains(@class,'time')]"))
    return f"{year}/{day} {clock}" if year and day else ""


_AUTHOR_IN_TEXT = re.compile(r"(?:作者|记者|文)\s*[:：/]\s*([^\s　|｜/，,。]{2,12})")


def _author(tree, ld: dict, byline: str) -> str:
    value = _ld_name(ld.get("author")) or _meta(tree, "author", "article:author", "byline")
    if value:
        return value
    match = _AUTHOR_IN_TEXT.search(byline)
    if match:
        return match.group(1)
    node = _first(tree, "//*[contains(@class,'author-name') or contains(@class,'author_name')]")
    return _text(node)
