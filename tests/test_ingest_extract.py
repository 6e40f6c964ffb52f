"""Extraction of WeChat and generic pages, and feed parsing (pure functions over fixture bytes)."""
from pathlib import Path

import pytest

from reprintwatch.errors import BadInput
from reprintwatch.dates import to_iso as parse_date
from reprintwatch.ingest.extract import extract_page
from reprintwatch.ingest.feeds import check_feed_bytes, parse_feed
from reprintwatch.encoding import decode_page

from ingest_site import FIXTURES


def page(name, content_type="text/html"):
    return decode_page((FIXTURES / name).read_bytes(), content_type)


def test_wechat_article_fields():
    e = extract_page(page("wechat_reprint.html"), "https://mp.weixin.qq.com/s/LibRaRyRePrInT01")
    assert (e.platform, e.status) == ("wechat", "ok")
    assert e.title == "刚刚，新图书馆开馆了！首日一万二千人打卡"
    assert e.account == "东湖城事通" and e.author == "城事小编"
    assert e.published_at == "2026-11-20T09:00:00+08:00"  # from `ct` (Unix seconds), in China time
    assert e.original_flag is True
    assert e.source_link == "https://donghu.example.net/2026/11/20/library.html"
    assert e.canonical_url == "http://mp.weixin.qq.com/s/LibRaRyRePrInT01"
    paragraphs = e.content.split("\n")
    assert paragraphs[0].startswith("11月19日上午，位于东湖区滨江大道") and len(paragraphs) == 4
    assert "var nickname" not in e.content and "阅读原文" not in e.content
    assert "点击上方蓝字关注我们" not in e.content and "在看" not in e.content  # WeChat's lead and trailer lines


def test_wechat_page_recognised_by_structure_on_any_host():
    e = extract_page(page("wechat_reprint.html"), "http://127.0.0.1:8000/mp/s/x")
    assert e.platform == "wechat" and e.account == "东湖城事通"


@pytest.mark.parametrize("name, notice", [
    ("wechat_removed.html", "该内容已被发布者删除"),
    ("wechat_infringing.html", "此内容被投诉且经审核涉嫌侵权，无法查看"),
])
def test_removed_wechat_pages(name, notice):
    e = extract_page(page(name), "https://mp.weixin.qq.com/s/gone")
    assert (e.platform, e.status, e.reason) == ("wechat", "removed", notice)
    assert e.content == ""


def test_article_quoting_a_removal_notice_is_not_removed():
    html = page("wechat_reprint.html").replace("喜欢就点个“在看”吧", "有读者反映原文显示“该内容已被发布者删除”")
    e = extract_page(html, "https://mp.weixin.qq.com/s/x")
    assert e.status == "ok"


def test_generic_gbk_news_page():
    e = extract_page(page("news_gbk.html"), "http://daoxiang.example.com/sannong/2026/1119/rice.html?from=rss")
    assert (e.platform, e.status) == ("web", "ok")
    assert e.title == "西岭晚稻丰收 亩产提高六十公斤"
    assert e.author == "稻香资讯网编辑部"
    assert e.published_at == "2026-11-19T09:20:00+08:00"
    assert e.canonical_url == "http://daoxiang.example.com/sannong/2026/1119/rice.html"
    assert e.content.startswith("连日来，西岭县石门镇") and "版权所有" not in e.content and "首页" not in e.content


def test_generic_page_metadata():
    e = extract_page(page("unrelated.html"), "https://nangang.example.org/life/autumn-games.html")
    assert e.status == "ok" and e.author == "钱小满" and e.published_at == "2026-11-21T10:15:00+08:00"
    assert "南港街道在滨海公园" in e.content


@pytest.mark.parametrize("html", [page("malformed.html"), "", "   ", "<html><body></body></html>", "\x00\x01\x02" * 100])
def test_unusable_pages_give_an_error_outcome_not_an_exception(html):
    e = extract_page(html, "http://example.org/bad")
    assert e.status == "error" and e.reason


def test_parse_date_forms():
    assert parse_date("2026年11月19日 09:20") == "2026-11-19T09:20:00+08:00"
    assert parse_date("2026-11-19") == "2026-11-19"
    assert parse_date("2026-11-19T01:20:00Z") == "2026-11-19T01:20:00+00:00"
    assert parse_date("1795136400") == "2026-11-20T09:00:00+08:00"
    assert parse_date("yesterday") is None and parse_date("2026-13-45") is None


def test_rss_and_atom_feeds():
    base = b"http://feeds.test"
    rss = parse_feed((FIXTURES / "rss.xml").read_bytes().replace(b"{{BASE}}", base), "rss.xml")
    assert [e.url for e in rss] == [
        "http://feeds.test/news/2026/rice.html", "http://feeds.test/mp/s/LibRaRyRePrInT01",
        "http://feeds.test/news/2026/autumn-games.html", "http://feeds.test/news/2026/broken.html",
    ]  # the file:// entry is dropped
    assert rss[0].title == "西岭晚稻丰收 亩产提高六十公斤" and rss[0].published_at == "2026-11-19T01:20:00+00:00"
    atom = parse_feed((FIXTURES / "atom.xml").read_bytes().replace(b"{{BASE}}", base), "atom.xml")
    assert len(atom) == 5 and atom[0].url == "http://feeds.test/mp/s/ReMoVeD02"


def test_xml_bomb_is_refused_before_parsing():
    with pytest.raises(BadInput, match="DTD or entities") as err:
        parse_feed((FIXTURES / "bomb.xml").read_bytes(), "bomb.xml")
    assert err.value.where == "bomb.xml"


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://evil.example/x.dtd"><rss version="2.0"><channel/></rss>',
    b'<?xml version="1.0"?><rss><!ENTITY x SYSTEM "file:///etc/passwd"><channel><title>&x;</title></channel></rss>',
    '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>'.encode("utf-16"),
    '<?xml version="1.0" encoding="utf-16be"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>'.encode("utf-16-be"),
    '<?xml version="1.0" encoding="utf-32"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>'.encode("utf-32"),
    '<?xml version="1.0" encoding="utf-32be"?><!DOCTYPE x [<!ENTITY a "b">]><rss/>'.encode("utf-32-be"),
    '<?xml version="1.0" encoding="utf-32le"?><!DOCTYPE x SYSTEM "http://x/y.dtd"><rss/>'.encode("utf-32-le"),
], ids=["doctype-system", "entity", "utf-16", "utf-16be", "utf-32", "utf-32be", "utf-32le-no-bom"])
def test_external_entities_and_dtds_are_refused(body):
    with pytest.raises(BadInput):
        check_feed_bytes(body, "feed")


def test_not_a_feed():
    with pytest.raises(BadInput, match="not"):
        parse_feed(b"<html><body>hello</body></html>", "page.html")


def test_feed_dates_keep_the_feed_zone_and_default_to_china_time():
    rss = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
    <item><title>a</title><link>http://example.org/a</link><pubDate>Thu, 19 Nov 2026 09:20:00 +0800</pubDate></item>
    <item><title>b</title><link>http://example.org/b</link><pubDate>2026-11-19 09:20</pubDate></item>
    </channel></rss>""".encode()
    a, b = parse_feed(rss, "feed")
    assert a.published_at == "2026-11-19T09:20:00+08:00" and b.published_at == "2026-11-19T09:20:00+08:00"


# --- issue 24: the kinds of miss seen on real pages, each in a page of our own writing ----------------------
# The structures are the real pages' (people.com.cn, thepaper, sohu, baijiahao, xinhuanet, qq, WeChat's text
# and picture posts); every word is ours. One page kind per test; the real pages themselves stay outside the
# repository (bench/bench_extract.py --real scores them).
HEADLINE = "南港夜间轮渡下月试运行 每晚增开三个航班"
STORY = [
    "记者从南港市交通运输局获悉，南港至青屿的夜间轮渡航线将于12月1日起试运行，每晚增开三个航班。",
    "新航线使用两艘新建的电动客渡船，每艘核载乘客二百人，单程航行时间约四十分钟。",
    "此前，青屿岛居民晚上七点以后无法离岛，在市区上夜班的岛民只能在城里租房居住。",
    "市交通运输局表示，试运行三个月后将根据客流情况调整班次，并研究开通周末旅游专线。",
]


def news_page(title_tag=HEADLINE, header=f"<h1>{HEADLINE}</h1>", story=STORY, before="", after="", head="",
              tail=""):
    """A news page of our own: a nav bar, the article header, the story in an article block, a footer."""
    paragraphs = "".join(f"<p>{p}</p>" for p in story)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title_tag}</title>{head}</head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/local'>本地</a> <a href='/finance'>财经</a></div>"
            f"<div class='main'>{header}<div class='article-content'>{before}{paragraphs}{after}</div>{tail}</div>"
            f"<div class='footer'>关于我们 联系我们 版权所有 南港日报社</div></body></html>")


@pytest.mark.parametrize("suffix", ["_本地_南港网", "_数据_宏观频道首页_南港财经网 - NANGANG.EXAMPLE.COM", "-南港网",
                                    "_10%公司_南港新闻-The Harbour", " | 本地 | 南港社 NHA", "_南港氪", " · 南港笔记"])
def test_title_suffix_after_the_headline_is_cut_where_the_page_shows_the_headline(suffix):
    e = extract_page(news_page(title_tag=HEADLINE + suffix), "")
    assert e.title == HEADLINE


def test_title_suffix_is_cut_when_the_headline_is_not_an_h1():
    # Xinhua's structure: the headline in div.h-title inside the article's div.header, and a hidden share
    # widget repeating the <title> with its suffix
    header = f"<div class='header'><div class='h-news'><div class='h-title'>{HEADLINE}</div></div></div>"
    tail = f"<div class='share-box'><div class='share-title'>{HEADLINE}-南港网</div></div>"
    assert extract_page(news_page(title_tag=HEADLINE + "-南港网", header=header, tail=tail), "").title == HEADLINE


@pytest.mark.parametrize("header", [
    # the header block carries the date and source under the h1 (people.com.cn)
    f"<div class='text_title'><h3 class='pre'></h3><h1>{HEADLINE}</h1><div class='box01'><div class='fl'>"
    f"2026年11月19日08:18&nbsp;&nbsp;来源：<a href='/'>南港网-本地频道</a></div><div class='fr'>分享到：</div></div></div>",
    # the account, 发布时间 and a badge beside an h2 headline (baijiahao)
    f"<div class='title_border'><div class='article-title'><h2>{HEADLINE}</h2></div><div class='article-desc'>"
    f"<p class='author-name'>南港生活家</p><span class='date'>发布时间：11-19</span><span class='time'>08:18</span>"
    f"<span>优质原创作者</span></div></div>",
    # the time and place inline in the heading's block (sohu)
    f"<div class='text-title'><h1>{HEADLINE}<span class='article-tag'></span></h1><div class='article-info'>"
    f"<span class='time'>2026-11-19 08:18</span><span>发布于：南港市</span></div></div>",
    # a voice-reader button inside the h1
    f"<h1 class='title'>{HEADLINE}<span class='tts'>播报文章</span><span class='tts-tip'>语音播报文章，释放双眼</span></h1>",
])
def test_title_leaves_the_furniture_of_the_headline_block(header):
    e = extract_page(news_page(title_tag=HEADLINE + "_南港网", header=header), "")
    assert e.title == HEADLINE


def test_time_to_the_minute_from_the_byline_under_the_headline_when_the_meta_has_only_the_date():
    header = (f"<div class='text_title'><h1>{HEADLINE}</h1><div class='box01'><div class='fl'>"
              f"2026年11月19日08:18&nbsp;&nbsp;来源：<a href='/'>南港网</a></div></div></div>")
    e = extract_page(news_page(header=header, head="<meta name='publishdate' content='2026-11-19'>"), "")
    assert e.published_at == "2026-11-19T08:18:00+08:00"


def test_time_with_the_year_implied_takes_the_year_the_page_states_elsewhere():
    header = (f"<div class='article-title'><h2>{HEADLINE}</h2></div><div class='article-desc'><p>南港生活家</p>"
              f"<span class='date'>发布时间：11-19</span><span class='time'>08:18</span></div>")
    e = extract_page(news_page(header=header, head="<meta itemprop='dateUpdate' content='2026-11-19'>"), "")
    assert e.published_at == "2026-11-19T08:18:00+08:00"


def test_publish_time_beats_an_edit_time_shown_first():
    header = (f"<h1>{HEADLINE}</h1><div class='meta'><span>编辑于 2026-11-20 10:05</span> "
              f"<span>发布于 2026-11-19 08:18</span></div>")
    assert extract_page(news_page(header=header), "").published_at == "2026-11-19T08:18:00+08:00"


def test_a_reader_comment_time_is_never_the_articles():
    comments = ("<div class='comment-list'><div class='item'><span class='user'>岛民阿青</span>"
                "<span class='time'>2026-11-19 21:30</span><p>终于不用在城里租房了</p></div></div>")
    e = extract_page(news_page(head="<meta name='publishdate' content='2026-11-19'>", tail=comments), "")
    assert e.published_at == "2026-11-19"


@pytest.mark.parametrize("text, reference, expected", [
    ("编辑于 2026-11-20 10:05 发布于 2026-11-19 08:18", None, "2026-11-19T08:18:00+08:00"),
    ("编辑于 2026-11-20 10:05", None, "2026-11-20T10:05:00+08:00"),  # all there is
    ("2026-11-19 编辑于 2026-11-20 10:05", None, "2026-11-19"),  # a publish date beats an edit time
    ("发布时间：11-19 08:18", "2026-11-19", "2026-11-19T08:18:00+08:00"),
    ("发布时间：12-30 23:50", "2027-01-02T09:00:00+08:00", "2026-12-30T23:50:00+08:00"),  # updated in January
    ("发布时间：11-19 08:18", None, None),  # no year known: not guessed
    ("发布时间：2026-11-19 08:18", "2019-01-01", "2026-11-19T08:18:00+08:00"),  # a stated year stays
    ("2月30日 08:18", "2026-12-01", None),
])
def test_find_published(text, reference, expected):
    from reprintwatch.dates import find_published
    assert find_published(text, reference) == expected


def notice_page(text):
    """A WeChat notice page: a one-line notice in weui-msg, wrapped in script as the real ones are."""
    script = "<script>var msg = {a: 1};" + "window.__x = 'padding';" * 400 + "</script>"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title></title>{script}</head><body>"
            f"<div class='weui-msg'><div class='weui-msg__text-area'><h2 class='weui-msg__title'>{text}</h2></div>"
            f"<a class='weui-btn'>OK</a></div>{script}</body></html>")


@pytest.mark.parametrize("text, kind", [
    ("此內容因違規無法查看", "violation"),  # traditional interface
    ("該內容已被發布者刪除", "deleted"),
    ("此內容被投訴且經審核涉嫌侵權，無法查看", "complaint"),
    ("此帳號已被屏蔽, 內容無法查看", "account"),
    ("The content has been deleted by the author.", "deleted"),  # English interface
    ("This content has been reported and found to infringe, and cannot be viewed.", "complaint"),
    ("Unable to view this content because it violates regulations.", "violation"),
    ("The link has expired.", "expired"),
    ("This account has been blocked. The content cannot be viewed.", "account"),
])
def test_wechat_notices_in_every_interface_language(text, kind):
    e = extract_page(notice_page(text), "https://mp.weixin.qq.com/s/gone")
    assert (e.platform, e.status, e.notice) == ("wechat", "removed", kind)
    assert e.reason.rstrip(".") in text  # the platform's own words, as shown


def test_an_english_article_about_a_deleted_post_is_not_a_notice():
    story = ["A long article that says the content has been deleted by the author, and then goes on. " * 3] * 4
    e = extract_page(news_page(story=story + STORY), "")
    assert e.status == "ok"


# WeChat posts whose text is only in the page's script data (the structures of WeChat's text, picture and
# video posts; the words ours). 1763513880 is 2025-11-19 08:58 in China.
def script_post(data, body=""):
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>微信公众平台</title>"
            f"<link rel='stylesheet' href='https://res.wx.qq.com/mmbizappmsg/zh_CN/htmledition/js/a.css'></head><body>"
            f"<div id='js_article'>{body}</div><script>var appmsg_type = '9';\n{data}\n</script></body></html>")


PICTURE_POST = script_post(
    "window.cgiDataNew = {\n  title: JsDecode('青屿岛的夜航船'),\n  nick_name: JsDecode('南港发布'),\n"
    "  create_time: '1763513880',\n  item_show_type: '8' * 1,\n"
    "  content_noencode: JsDecode('" + "\\x0a\\x0a".join(STORY[:3]) + "'),\n"
    "  picture_page_info_list: [{cdn_url: JsDecode('https://mmbiz.qpic.cn/mmbiz_jpg/one/0?wx_fmt=jpeg\\x26amp;from=appmsg')}],\n};")
TEXT_POST = script_post(
    "var nickname = htmlDecode(\"南港发布\");\nvar ct = \"1763513880\";\nwindow.item_show_type = '10';\n"
    "window.cgiDataNew = {\n  text_page_info: {\n    content: '" + "\\x0a".join(STORY) + "',\n  },\n};")
VIDEO_POST = script_post(
    "var msg_title = '夜航船首航 | 视频';\nvar nickname = htmlDecode(\"南港发布\");\nvar ct = \"1763513880\";\n"
    "window.cgiDataNew = {\n  item_show_type: '5' * 1,\n  content_noencode: JsDecode('" + STORY[0] + "\\x0a" + STORY[1]
    + "\\x3cbr\\x3e'),\n};", body="<div id='js_content'><iframe class='video_iframe' data-src='https://v.qq.com/x'></iframe></div>")


@pytest.mark.parametrize("html, title, lines", [
    (PICTURE_POST, "青屿岛的夜航船", STORY[:3]),
    (TEXT_POST, "", STORY),  # a text post has no title of its own; never "微信公众平台"
    (VIDEO_POST, "夜航船首航 | 视频", STORY[:2]),
])
def test_wechat_posts_whose_text_is_in_script_data(html, title, lines):
    e = extract_page(html, "")
    assert (e.platform, e.status, e.title, e.account) == ("wechat", "ok", title, "南港发布")
    assert e.published_at == "2025-11-19T08:58:00+08:00"
    assert e.content.split("\n") == lines


def test_wechat_account_is_never_an_attribute_name():
    html = page("wechat_reprint.html").replace('id="js_name"', 'id="js_name_gone"').replace(
        'id="js_content" style="visibility: hidden;">', 'id="js_content" style="visibility: hidden;">'
        '<mp-common-miniprogram data-miniprogram-nickname="南港小程序"></mp-common-miniprogram>', 1)
    assert 'data-miniprogram-nickname' in html
    assert extract_page(html, "").account == "东湖城事通"


def test_wechat_credit_lines_stay_and_calls_to_action_go():
    body = "".join(f"<p>{line}</p>" for line in ["来源：南港日报", *STORY, "- END -", "编辑：小周", "欢迎分享到朋友圈~",
                                                  "点击上方蓝字关注我们"])
    html = f"<html><body><h1 id='activity-name'>{HEADLINE}</h1><div id='js_content'>{body}</div></body></html>"
    assert extract_page(html, "").content.split("\n") == ["来源：南港日报", *STORY, "编辑：小周", "欢迎分享到朋友圈~"]


def test_body_is_the_article_block_not_what_stands_around_it():
    # sina/thepaper structure: a follow-us box and keywords beside the story in the same column, a right
    # column with a lab's list and the report line; qq: a summary box repeating a quote above the story
    before_block = "<div class='introduction'>市交通运输局表示，试运行三个月后将根据客流情况调整班次。</div>"
    tail = ("<div class='wx-info'><p>更多新闻！欢迎扫描左方二维码关注南港新闻官方微信（nangang-news）</p></div>"
            "<div class='news_keyword'>关键词 &gt;&gt; 夜间轮渡</div>"
            "<div class='article-content-right'><div class='new-media-lab'><h3>新媒体实验室</h3></div>"
            "<div class='report-infor'><p>违法和不良信息举报电话：000-00000000<br>举报邮箱：jubao@example.com</p></div></div>")
    html = news_page(header=f"<h1>{HEADLINE}</h1>{before_block}", tail=tail)
    assert extract_page(html, "").content.split("\n") == STORY


def test_photo_captions_and_share_buttons_inside_the_article_block_go():
    picture = ("<div style='text-align:center'><img src='/p/ferry.jpg'></div>"
               "<span style='color:#888'>新建的电动客渡船。南港日报记者 林一帆 摄</span><br>")
    share = "<div class='mbArticleSharePic'><div class='mbArticleShareBtn'><span>转播到南港微博</span></div></div>"
    html = news_page(before=picture + share)
    assert extract_page(html, "").content.split("\n") == STORY


def test_a_recommended_videos_heading_ends_the_article():
    after = "<p><strong>精彩视频推荐</strong></p><p>南港夜景航拍，带你看不一样的海岛</p>"
    assert extract_page(news_page(after=after), "").content.split("\n") == STORY


def test_credit_lines_and_reprint_statements_stay_in_the_body():
    # triage reads them (attribution): 原标题 before the story, 原题 and 来源 after it
    html = news_page(before="<p>原标题：夜航船来了</p>", after="<p>（原题为《夜航船来了》）</p><p>来源：南港日报</p>")
    assert extract_page(html, "").content.split("\n") == ["原标题：夜航船来了", *STORY, "（原题为《夜航船来了》）",
                                                          "来源：南港日报"]


@pytest.mark.parametrize("kind, extra, lines", [
    ("the title and a 最后更新 line repeated before the story",
     dict(before=f"<p>{HEADLINE}</p><p>最后更新：2026-11-19 08:18</p>"), STORY),
    ("a feedback toast after it", dict(after="<div class='toast'>感谢您的反馈，我们会尽快处理</div>"), STORY),
    ("list items, which trafilatura writes with a '- ' the page does not show",
     dict(after="<ul><li>首航时间：12月1日</li><li>票价：每人十元</li></ul>"), STORY + ["首航时间：12月1日", "票价：每人十元"]),
    ("link-only list items at the end, which trafilatura drops",
     dict(after="<p>试运行期间的班次：</p><ul><li><a href='/a'>青屿—南港 19:30</a></li><li><a href='/b'>南港—青屿 21:00</a></li></ul>"),
     STORY + ["试运行期间的班次：", "青屿—南港 19:30", "南港—青屿 21:00"]),
    ("the h1 repeated as the first line", dict(before=f"<h1>{HEADLINE}</h1>"), STORY),
])
def test_body_as_the_reader_sees_it(kind, extra, lines):
    assert extract_page(news_page(**extra), "").content.split("\n") == lines, kind


REAL_PAGES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "realpages"


@pytest.mark.skipif(not (REAL_PAGES / "truth.json").is_file(), reason="the real-page development set is not here")
def test_real_pages_development_set_does_not_regress():
    # ../shared/data/realpages (research-only, read from there): the figures of docs/ingest.md at eb04fd1.
    # The 4 unclean bodies keep credit lines (原标题/原题/出品) on purpose.
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_extract", Path(__file__).resolve().parents[1] / "bench" /
                                                  "bench_extract.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    truth, rows, misses, _ = bench.score_real_pages(REAL_PAGES, {"reprintwatch": bench._ours})
    got = rows["reprintwatch"]
    articles = [p for p in truth if got[p]["article"]]
    assert all(got[p]["status"] for p in truth), misses
    assert all(got[p]["title"] for p in articles), misses
    assert all(got[p].get("account", True) for p in truth), misses
    assert all(got[p].get("published", "ok") == "ok" for p in truth), misses
    assert all(got[p]["body"]["complete"] for p in articles), misses
    assert sum(got[p]["body"]["clean"] for p in articles) >= 19, misses
