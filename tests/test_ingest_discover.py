"""Discovery beyond RSS on the local test site: sitemap index → urlsets (one a Google News sitemap, one
gzipped), incremental by lastmod and bounded; channel listings with a link pattern and next pages."""
from __future__ import annotations

import gzip

import pytest

from ingest_site import build_licensed_index

from reprintwatch import Detector, SQLiteIndex
from reprintwatch.errors import BadInput
from reprintwatch.ingest.discover import parse_listing, parse_sitemap
from reprintwatch.ingest.runner import Runner
from reprintwatch.ingest.sources import load_sources
from reprintwatch.store import Store

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'


def urlset(base, entries, news=False):
    rows = []
    for path, lastmod in entries:
        extra = (f"<news:news><news:publication><news:name>稻香资讯网</news:name></news:publication>"
                 f"<news:publication_date>{lastmod}</news:publication_date><news:title>标题{path[-6:]}</news:title>"
                 f"</news:news>") if news else f"<lastmod>{lastmod}</lastmod>"
        rows.append(f"<url><loc>{base}{path}</loc>{extra}</url>")
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS} {NEWS_NS if news else ""}>{"".join(rows)}</urlset>'


def sitemap_index(base, children):
    rows = "".join(f"<sitemap><loc>{base}{p}</loc><lastmod>{m}</lastmod></sitemap>" for p, m in children)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{rows}</sitemapindex>'


def serve_site(site):
    page = site.fixture("unrelated.html")
    for i in range(1, 13):
        site.add(f"/a/{i:02d}.html", page, content_type="text/html; charset=utf-8")
    site.add("/a/rice.html", site.fixture("news_gbk.html"))
    site.add("/sitemap.xml", sitemap_index(site.base, [("/sm-news.xml", "2026-11-20T10:00:00+08:00"),
                                                       ("/sm-old.xml.gz", "2026-10-01")]), content_type="application/xml")
    site.add("/sm-news.xml", urlset(site.base, [("/a/rice.html", "2026-11-20T09:20:00+08:00"),
                                                ("/a/01.html", "2026-11-19T08:00:00+08:00"),
                                                ("/a/02.html", "2026-11-18 08:00")], news=True),
             content_type="application/xml")
    old = urlset(site.base, [(f"/a/{i:02d}.html", f"2026-10-{i:02d}") for i in range(3, 13)])
    site.add("/sm-old.xml.gz", gzip.compress(old.encode()), content_type="application/x-gzip")


def sources(tmp_path, text):
    path = tmp_path / "s.toml"
    path.write_text('[defaults]\ndelay = "0s"\nbackoff = "0s"\nretries = 0\n' + text, encoding="utf-8")
    return load_sources(path)


@pytest.fixture
def index(tmp_path):
    idx = SQLiteIndex(build_licensed_index(tmp_path / "licensed.db"))
    yield idx
    idx.close()


def test_parse_sitemap_forms():
    news = parse_sitemap(urlset("http://x", [("/a/1.html", "2026-11-19 08:00")], news=True).encode(), "s")
    assert news.kind == "urlset" and news.entries[0].published_at == "2026-11-19T08:00:00+08:00"
    assert news.entries[0].title == "标题1.html"
    index = parse_sitemap(gzip.compress(sitemap_index("http://x", [("/s1.xml", "2026-11-01")]).encode()), "s")
    assert index.kind == "index" and index.entries[0].url == "http://x/s1.xml"
    for bad in (b"<html><body>hi</body></html>", b"not xml",
                b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "b">]><urlset/>',
                '<?xml version="1.0" encoding="utf-32"?><!DOCTYPE u SYSTEM "x"><urlset/>'.encode("utf-32")):
        with pytest.raises(BadInput):
            parse_sitemap(bad, "bad.xml")
    js = parse_sitemap(f'<urlset {NS}><url><loc>javascript:alert(1)</loc></url><url><loc>/rel</loc></url></urlset>'.encode(),
                       "s", base_url="http://x/sitemap.xml")
    assert [e.url for e in js.entries] == ["http://x/rel"]


def test_sitemap_source_is_bounded_newest_first_and_incremental(site, tmp_path, index):
    serve_site(site)
    src = sources(tmp_path, f'[[source]]\nname = "sm"\ntype = "sitemap"\nurl = "{site.base}/sitemap.xml"\nmax_urls = 5\n')
    with Store(tmp_path / "store.db") as store:
        first = Runner(store, Detector(index), src).run_once()
        urls = [u for (u,) in store.conn.execute("SELECT url FROM suspects ORDER BY id")]
        names = sorted(u.rsplit("/", 1)[-1] for u in urls)
        # newest first across both child sitemaps, five at most
        assert names == ["01.html", "02.html", "11.html", "12.html", "rice.html"] and first.queued == 5
        assert store.conn.execute("SELECT COUNT(*) FROM findings").fetchone()[0] >= 1  # rice.html is a copy
        # the bound left pages behind: the next run reads the sitemaps again and takes the next five
        second = Runner(store, Detector(index), src).run_once()
        assert second.queued == 5 and store.counts()["suspects"] == 10
        third = Runner(store, Detector(index), src).run_once()
        assert third.queued == 3 and store.counts()["suspects"] == 13
        # nothing changed: an unchanged child sitemap (same lastmod) is not even fetched again
        hits = site.hits.get("/sm-old.xml.gz", 0)
        fourth = Runner(store, Detector(index), src).run_once()
        assert fourth.queued == 0 and site.hits.get("/sm-old.xml.gz", 0) == hits
        # a page whose lastmod moves past our last check is queued again
        site.add("/sm-news.xml", urlset(site.base, [("/a/01.html", "2030-01-01T00:00:00+08:00"),
                                                    ("/a/02.html", "2026-11-18 08:00")]),
                 content_type="application/xml")
        site.add("/sitemap.xml", sitemap_index(site.base, [("/sm-news.xml", "2030-01-01T00:00:00+08:00"),
                                                           ("/sm-old.xml.gz", "2026-10-01")]), content_type="application/xml")
        assert Runner(store, Detector(index), src).run_once().queued == 1


def test_sitemap_since_and_include(site, tmp_path, index):
    serve_site(site)
    src = sources(tmp_path, f'[[source]]\nname = "sm"\ntype = "sitemap"\nurl = "{site.base}/sitemap.xml"\n'
                            "include = '/a/(rice|0[1-5])'\n")
    with Store(tmp_path / "store.db") as store:
        counters = Runner(store, Detector(index), src).run_once()
        names = sorted(u.rsplit("/", 1)[-1] for (u,) in store.conn.execute("SELECT url FROM suspects"))
        assert names == ["01.html", "02.html", "03.html", "04.html", "05.html", "rice.html"] and counters.errors == 0


def listing_page(base, articles, next_path=None):
    links = "".join(f'<li><a href="{p}">文章{p[-7:]}</a></li>' for p in articles)
    nav = f'<a href="/c/local?page=2">下一页</a>' if next_path else ""
    return (f'<html><body><div class="nav"><a href="/">首页</a><a href="/about.html">关于</a></div><ul>{links}</ul>'
            f'<a href="javascript:void(0)">更多</a><a href="{base}/a/01.html#comments">评论</a>{nav}</body></html>')


def test_listing_source_follows_the_link_and_next_page_patterns(site, tmp_path, index):
    serve_site(site)
    site.add("/c/local", listing_page(site.base, ["/a/01.html", "/a/02.html", "/a/rice.html"], next_path=True))
    site.add("/c/local?page=2", listing_page(site.base, ["/a/03.html", "/a/02.html"], next_path=True))
    src = sources(tmp_path, f'[[source]]\nname = "ch"\ntype = "listing"\nurl = "{site.base}/c/local"\n'
                            "links = '/a/[^/]+\\.html$'\nnext = '[?&]page=\\d+'\nmax_pages = 3\n")
    with Store(tmp_path / "store.db") as store:
        counters = Runner(store, Detector(index), src).run_once()
        names = sorted(u.rsplit("/", 1)[-1] for (u,) in store.conn.execute("SELECT url FROM suspects"))
        assert names == ["01.html", "02.html", "03.html", "rice.html"] and counters.errors == 0
        assert site.hits.get("/about.html") is None and site.hits["/c/local?page=2"] == 1  # a seen page is not read twice
        again = Runner(store, Detector(index), src).run_once()
        assert again.queued == 0


def test_parse_listing_keeps_only_matching_http_links():
    import re

    found, pages = parse_listing(listing_page("http://x", ["/a/01.html", "http://other.example/a/09.html"], True),
                                 "http://x/c/local", re.compile(r"/a/\d+\.html$"), re.compile(r"page=\d+"))
    assert [f.url for f in found] == ["http://x/a/01.html", "http://other.example/a/09.html"]
    assert pages == ["http://x/c/local?page=2"]


def test_listing_source_needs_a_link_pattern(tmp_path):
    with pytest.raises(BadInput, match="links"):
        sources(tmp_path, '[[source]]\nname = "ch"\ntype = "listing"\nurl = "http://x/c"\n')
    with pytest.raises(BadInput, match="regular expression"):
        sources(tmp_path, '[[source]]\nname = "ch"\ntype = "listing"\nurl = "http://x/c"\nlinks = "("\n')


def test_wechat_accounts_through_an_rss_bridge(site, tmp_path, index):
    """The docs/ingest.md example: a wewe-rss-shaped Atom feed whose entries link to WeChat articles."""
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>东湖城事通</title><id>MP_WXS_3941000001</id>
<updated>2026-11-20T09:00:00+08:00</updated>
<entry><title>刚刚，新图书馆开馆了！首日一万二千人打卡</title><id>LibRaRyRePrInT01</id>
<link href="{site.base}/mp/s/LibRaRyRePrInT01"/><updated>2026-11-20T09:00:00+08:00</updated></entry>
<entry><title>一篇已删除的文章</title><id>ReMoVeD02</id>
<link href="{site.base}/mp/s/ReMoVeD02"/><updated>2026-11-19T09:00:00+08:00</updated></entry>
</feed>"""
    site.add("/feeds/MP_WXS_3941000001.atom", atom, content_type="application/atom+xml")
    src = sources(tmp_path, f'[[source]]\nname = "wechat-donghu-chengshi"\ntype = "feed"\n'
                            f'url = "{site.base}/feeds/MP_WXS_3941000001.atom?limit=30"\ndelay = "0s"\n')
    with Store(tmp_path / "store.db") as store:
        counters = Runner(store, Detector(index), src).run_once()
        got = {u.rsplit("/", 1)[-1]: (p, a, s) for u, p, a, s in
               store.conn.execute("SELECT url, platform, account, status FROM suspects")}
        assert got == {"LibRaRyRePrInT01": ("wechat", "东湖城事通", "ok"), "ReMoVeD02": ("wechat", "", "removed")}
        assert counters.findings >= 1
