"""A copy's identity: where it was published (the platform read from its URL).

Judgement and reports ask the same question of a copy's URL; this is the one place that answers it.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .licences import is_wechat_page

# Where a copy was published, from its URL's host: a WeChat article is WeChat whether it came from a
# crawl, a feed, a JSONL export or a WARC (issue 13: 7,561 JSONL copies of mp.weixin.qq.com pages were
# all charted as "local"). WeChat is what the licence check calls WeChat (licences.is_wechat_page: the
# host exactly); the self-media hosts below match themselves and their subdomains.
PLATFORM_HOSTS = {
    "toutiao.com": "toutiao",
    "baijiahao.baidu.com": "baijiahao",
    "weibo.com": "weibo",
    "weibo.cn": "weibo",
}


def platform_from_url(url: str | None, stored: str | None = None) -> str:
    """The platform a copy was published on. Known hosts (:data:`PLATFORM_HOSTS`) win over the stored
    value (which says how the copy reached us); any other http(s) page from a local file or archive is
    ``web``; without a URL the stored value stands.

    >>> platform_from_url("https://mp.weixin.qq.com/s?__biz=MzA5&mid=1", "local")
    'wechat'
    >>> platform_from_url("https://news.example/a/1.html", "local"), platform_from_url("", "local")
    ('web', 'local')
    """
    stored = stored or "unknown"
    try:
        parts = urlsplit(str(url or "").strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return stored
    if parts.scheme.lower() not in ("http", "https") or not host:
        return stored
    if is_wechat_page(str(url)):
        return "wechat"
    labels = host.split(".")
    for i in range(len(labels) - 1):
        known = PLATFORM_HOSTS.get(".".join(labels[i:]))
        if known:
            return known
    return "web" if stored in ("local", "unknown", "") else stored


def with_platform(finding: dict) -> dict:
    """``finding`` with ``platform`` read from its URL (the stored value kept as ``source_platform``)."""
    url = finding.get("canonical_url") or finding.get("url") or finding.get("suspect_url")
    platform = platform_from_url(url, finding.get("platform"))
    if platform == finding.get("platform"):
        return finding
    return {**finding, "platform": platform, "source_platform": finding.get("platform")}
