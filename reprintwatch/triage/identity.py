"""A copy's identity, in one module: who served it (host, WeChat page, ``__biz``, registrable domain), who
it is (:class:`Reprinter`) and where it was published (the platform read from its URL).

Ingestion, judgement, reports and filters all ask these questions of a copy's URL; this is the one place
that answers them (before, three host functions, two WeChat host constants and two folds lived in
ingest/page.py, ingest/extract.py, triage/licences.py and report/filters.py, and disagreed on ``www.``,
on schemes and on case).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

WECHAT_HOST = "mp.weixin.qq.com"
# Hosts where many unrelated publishers share one domain: a site licence never covers them.
SHARED_HOSTS = frozenset({WECHAT_HOST, "weixin.qq.com"})


def fold(value) -> str:
    """The one comparison form of names (outlets, accounts, filter values): NFKC (full-width folds),
    trimmed, case-folded; ``None`` is ``""``."""
    return unicodedata.normalize("NFKC", str(value or "")).strip().casefold()


def _idna(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label and not label.isascii():
            try:
                label = label.encode("idna").decode("ascii")
            except UnicodeError:
                return ""
        labels.append(label)
    return ".".join(labels)


def normalise_domain(value: str) -> str:
    """``https://WWW.Example.com:8080/x`` → ``example.com``; ``news.example.com`` stays itself; full-width
    dots fold, IDN labels become punycode, a trailing dot goes."""
    value = fold(value)
    if "://" in value:
        try:
            value = urlsplit(value).hostname or ""
        except ValueError:
            return ""
    value = value.split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    value = _idna(value)
    return value[4:] if value.startswith("www.") else value


def served_host(url: str | None) -> str:
    """The host an http(s) URL is served from, lower case, as written (``www.`` kept: what a reader
    sees); ``""`` for anything else (file:// URIs, ids, unparseable text)."""
    try:
        parts = urlsplit(str(url or "").strip())
        if parts.scheme.lower() not in ("http", "https"):
            return ""
        return (parts.hostname or "").lower()
    except ValueError:
        return ""


def host_of(url: str) -> str:
    """The host of an http(s) URL, normalised; ``""`` for anything else (a copy's address must be a
    web address to say who serves it)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https"):
            return ""
        return normalise_domain(parts.hostname or "")
    except ValueError:
        return ""


@lru_cache(maxsize=1)
def _psl():
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def registrable_domain(host: str) -> str | None:
    """``news.jiangnan-daily.com.cn`` → ``jiangnan-daily.com.cn``; ``None`` for a public suffix itself
    (``com.cn``, ``github.io``), which no single publisher owns."""
    host = normalise_domain(host)
    return _psl().privatesuffix(host) if host else None


def covers_host(licensed: str, host: str) -> bool:
    """A site licence for ``licensed`` covers ``host`` when it is that host or a subdomain of it, label by
    label: ``jiangnan-daily.com`` covers ``m.jiangnan-daily.com`` but not ``jiangnan-daily.com.evil.cn``
    nor ``evil-jiangnan-daily.com``. A public suffix covers nothing."""
    licensed, host = normalise_domain(licensed), normalise_domain(host)
    if not licensed or not host or registrable_domain(licensed) is None:
        return False
    return host == licensed or host.endswith("." + licensed)


@lru_cache(maxsize=1 << 16)  # asked 3 times a finding (platform, identity, label); parsing the URL is the cost
def is_wechat_page(url: str) -> bool:
    """An http(s) URL on ``mp.weixin.qq.com`` exactly (not a mirror, not a look-alike host)."""
    try:
        parts = urlsplit((url or "").strip())
        return parts.scheme.lower() in ("http", "https") and (parts.hostname or "") == WECHAT_HOST
    except ValueError:
        return False


def biz_of(url: str) -> str | None:
    """The ``__biz`` of a WeChat page URL, exactly as written (percent-decoded, case kept); ``None`` on
    any other host, or when the URL carries two different ``__biz`` values."""
    if not is_wechat_page(url):
        return None
    values = set()
    for part in urlsplit(url.strip()).query.split("&"):
        name, _, value = part.partition("=")
        if unquote(name) == "__biz" and value:
            values.add(unquote(value).strip())
    return values.pop() if len(values) == 1 else None



@dataclass(frozen=True)
class Reprinter:
    """Who published a copy, from what was *fetched*: the final URL after redirects, the host it is on,
    and — only on a WeChat page (``mp.weixin.qq.com``) — the account's ``__biz`` ID and name.

    ``claimed_url`` is the page's own ``<link rel=canonical>``/``og:url``: kept as evidence, never used to
    decide who the reprinter is and never shown as the copy's address (a copier can claim any URL).
    """

    platform: str = ""  # wechat | feed | web | local
    site: str = ""  # host the copy was fetched from (used only when there is no URL)
    account: str = ""  # WeChat account name (from a WeChat page), or an app/local source's outlet name
    url: str = ""  # the fetched URL, after redirects
    source: str = ""  # the ingest source name (an app's export, a feed name…)
    biz: str = ""  # WeChat __biz, exact; only from a WeChat page
    claimed_url: str = ""  # the page's canonical/og:url: evidence only

    @classmethod
    def from_row(cls, row: dict) -> "Reprinter":
        url = row.get("final_url") or row.get("url") or ""
        wechat = is_wechat_page(url)
        biz = (row.get("biz") or "").strip() if wechat else ""
        return cls(
            # how the record reached us (the reports read the platform from the URL and keep this apart)
            platform=row.get("source_platform") or row.get("platform") or "",
            site=row.get("site") or "",
            account=row.get("account") or "",  # a WeChat licence uses it only on a WeChat page
            url=url,
            source=row.get("source") or "",
            biz=biz,
            claimed_url=row.get("canonical_url") or "",
        )

    @property
    def host(self) -> str:
        return host_of(self.url) or normalise_domain(self.site)

    @property
    def on_wechat(self) -> bool:
        return is_wechat_page(self.url)

    @property
    def wechat_biz(self) -> str:
        """The exact ``__biz``, only for a WeChat page (given by ingestion, else read from the URL)."""
        if not self.on_wechat:
            return ""
        return self.biz or biz_of(self.url) or ""

    def label(self) -> str:
        """What the reports group by: the WeChat account, else the fetched host as served, else the source."""
        # kept on the instance (frozen, so through __dict__): a report asks each finding's label several
        # times, and each answer parses the URL (issue 13: 36,000 calls, 9 % of serve's first page at 10k)
        label = self.__dict__.get("_label")
        if label is None:
            label = self.__dict__["_label"] = self._label()
        return label

    def _label(self) -> str:
        if self.on_wechat and (self.account or self.wechat_biz):
            return f"微信公众号 {self.account or self.wechat_biz}"
        if self.platform == "local" and self.account:
            return self.account  # records the user supplied name their publisher
        # (a local export without one is labelled by each copy's host, not lumped under the source's name)
        return served_host(self.url) or self.site or self.account or self.source or "(unknown)"

    def to_dict(self) -> dict:
        return {
            "label": self.label(),
            "platform": self.platform,
            "host": self.host,
            "url": self.url,
            "wechat_biz": self.wechat_biz or None,
            "wechat_account": self.account if self.on_wechat else None,
            "claimed_url": self.claimed_url or None,
            "claimed_host_differs": bool(self.claimed_url and host_of(self.claimed_url) != self.host),
        }



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
