"""A corpus of pages with the structures real WeChat and Chinese news pages have, in our own words.

Every text here was written for these tests (no real article is copied). What is real is the *structure*:
WeChat's 2017–2025 page variants (h2/h1 titles, ``var ct``/``create_time``/``cgiData`` scripts, profile cards,
``js_content`` 1.5 MB into the file after inline CSS and scripts), WeChat notice pages wrapped in ~20 K of
script, news pages with JSON-LD, padded or broken ``og:title`` attributes, banner ``<h1>``s, empty ``<h1>``
with a site suffix in ``<title>``, bylines with a font-size switch, comment lists, related/recommended
blocks, footers and platform disclaimers.

``CORPUS`` maps a name to a :class:`Case`: the page (str), the URL it is served or saved under ("" for a
saved file), and the fields a reader sees on it. Used by tests/test_ingest_pages.py and
bench/bench_extract.py (the field-accuracy table in docs/ingest.md).
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

# --- our own article texts ---------------------------------------------------------------------------------
LIBRARY = [
    "11月19日上午，东湖区滨江图书馆正式向市民开放，开馆首日共接待读者一万二千余人次。",
    "新馆位于滨江大道与柳岸路交叉口，总建筑面积约三万平方米，设有少儿阅览区、地方文献区和二十四小时自助借还区。",
    "馆方介绍，新馆首批上架图书四十五万册，其中地方文献一万余种，不少是从老馆库房中整理出来的旧报刊合订本。",
    "家住柳岸社区的退休教师周女士一早就来排队，她说自己在老馆借了三十年书，新馆离家近，以后每周都会来。",
    "为缓解开馆初期的客流压力，图书馆实行分时段预约入馆，读者可通过“东湖文旅”小程序提前一天预约。",
    "区文旅局相关负责人表示，下一步将在各街道建设十二个分馆，实现通借通还，让居民步行十五分钟即可借到书。",
]
RICE = [
    "连日来，西岭县石门镇万亩晚稻示范片迎来收割期，田间一派繁忙景象，收割机来回穿梭。",
    "据县农业农村局测产，示范片今年晚稻平均亩产达到五百八十公斤，比去年提高六十公斤左右。",
    "今年示范片推广了机插秧和侧深施肥技术，每亩节省化肥约八公斤，病虫害统防统治覆盖率达到九成以上。",
    "种粮大户老何今年流转了四百亩地，他算了一笔账：亩产提高后，扣除成本每亩能多挣两百多元。",
    "镇里新建的烘干中心日处理稻谷三百吨，解决了晚稻收获季阴雨天多、稻谷容易霉变的难题。",
    "县农业农村局表示，明年将把示范片扩大到两万亩，并探索稻田养蟹等综合种养模式。",
]
FERRY = [
    "记者从南港市交通运输局获悉，南港至青屿的夜间轮渡航线将于12月1日起试运行，每晚增开三个航班。",
    "新航线使用两艘新建的电动客渡船，每艘核载乘客二百人，单程航行时间约四十分钟。",
    "此前，青屿岛居民晚上七点以后无法离岛，在市区上夜班的岛民只能在城里租房居住。",
    "岛上经营民宿的林先生说，夜航开通后，游客可以在市区吃完晚饭再上岛，周末的入住率有望提高。",
    "交通部门提醒，试运行期间夜间航班实行实名购票，遇六级以上大风等恶劣天气将临时停航。",
    "据悉，试运行三个月后，交通部门将根据客流情况决定是否增加航班或延长运营时间。",
]
ORCHARD = [
    "初冬时节，北坡村的三百亩柑橘园迎来采摘季，果农们忙着采果、分拣、装箱，发往全国各地。",
    "村党支部书记介绍，村里五年前引进了早熟品种，如今柑橘已成为全村收入最高的产业。",
    "今年村里与电商平台合作开设直播间，村民轮流当主播，单日最高销量超过两万斤。",
    "在外务工多年的小郑去年回村承包了二十亩果园，他说现在在家门口也能挣到不比城里少的收入。",
    "为解决运输难题，村里新修了一条四公里长的产业路，货车可以直接开到果园边装货。",
    "县里还在村口建起了冷链仓库，果子采下来当天就能预冷入库，损耗率从一成多降到了三个百分点。",
]


def body_html(paragraphs, tag: str = "p") -> str:
    return "".join(f"<{tag}>{p}</{tag}>" for p in paragraphs)


def body_text(paragraphs) -> str:
    return "\n".join(paragraphs)


def padding_script(size: int, seed: int = 1) -> str:
    """Inline script and CSS of ``size`` characters, the way WeChat front-loads its page (no visible text).

    Strings in it deliberately look like page content (Chinese words, 'js_content' in a selector, a notice
    phrase inside a string) so that only real markup can be trusted."""
    rnd = random.Random(seed)
    words = ["阅读", "分享", "收藏", "点赞", "在看", "留言", "关注", "公众号", "视频", "小程序", "链接已过期"]
    parts = ['<style>.rich_media_content{font-size:17px} #js_content img{max-width:100%}'
             '.weui-msg__title{color:#000}</style>']
    chunk = []
    total = 0
    n = 0
    while total < size:
        n += 1
        line = (f'var __wx_cfg_{n} = {{"k":"{rnd.getrandbits(64):x}","label":"{rnd.choice(words)}",'
                f'"t":{rnd.randint(1, 10**9)},"tips":"\\u63d0\\u793a{n}"}};\n')
        chunk.append(line)
        total += len(line)
        if len(chunk) >= 2000:
            parts.append("<script>" + "".join(chunk) + "</script>")
            chunk = []
    if chunk:
        parts.append("<script>" + "".join(chunk) + "</script>")
    return "\n".join(parts)


@dataclass(frozen=True)
class Case:
    page: str
    url: str  # "" for a saved file
    family: str  # wechat | notice | news
    truth: dict = field(default_factory=dict)  # status, title, account, biz, author, published_at, original,
    # source_link, outlet, content (the article text: every line must be there), junk (must not be there)


# --- WeChat, 2017–2025 -------------------------------------------------------------------------------------
def wechat_2017() -> Case:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>图书馆开馆首日迎客万余人次</title>
<meta property="og:title" content="图书馆开馆首日迎客万余人次" />
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzA3MDAwMDAxNw==&amp;mid=2650000001&amp;idx=1" />
<script>var biz = ""||"MzA3MDAwMDAxNw==";var sn = "" || ""|| "5d1c";var mid = "" || ""|| "2650000001";
var nickname = "东湖城事通";var user_name = "gh_0a1b2c3d4e5f";var ct = "1511143200";
var publish_time = "2017-11-20" || "";var msg_title = "图书馆开馆首日迎客万余人次";
var msg_source_url = 'http://donghu.example.net/2017/11/20/library.html';var _copyright_stat = "1";
var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA3MDAwMDAxNw==&amp;mid=2650000001&amp;idx=1#rd";</script>
</head><body id="activity-detail" class="zh_CN mm_appmsg">
<div id="js_article" class="rich_media"><div class="rich_media_inner"><div id="page-content">
<div id="img-content"><h2 class="rich_media_title" id="activity-name">
                        图书馆开馆首日迎客万余人次
</h2>
<div id="meta_content" class="rich_media_meta_list">
<span id="copyright_logo" class="rich_media_meta meta_original_tag">原创</span>
<em class="rich_media_meta rich_media_meta_text">城事小编</em>
<a class="rich_media_meta rich_media_meta_link rich_media_meta_nickname" href="##" id="post-user">东湖城事通</a>
<em id="post-date" class="rich_media_meta rich_media_meta_text">2017-11-20</em>
</div>
<div class="rich_media_content " id="js_content">{body_html(LIBRARY)}
<p><span style="font-size:12px">喜欢就点个“在看”吧</span></p></div>
<div class="rich_media_tool" id="js_toobar3"><a class="media_tool_meta meta_primary" id="js_view_source" href="##">阅读原文</a>
<div id="js_read_area3" class="media_tool_meta tips_global meta_primary">阅读 <span id="readNum3">1.2万</span></div></div>
</div>
<div class="qr_code_pc_outer"><div class="qr_code_pc_inner"><div class="qr_code_pc">
<img id="js_pc_qr_code_img" class="qr_code_pc_img"><p>微信扫一扫<br>关注该公众号</p></div></div></div>
</div></div></div></body></html>"""
    return Case(page, "https://mp.weixin.qq.com/s/LiBr2017aa", "wechat", dict(
        status="ok", title="图书馆开馆首日迎客万余人次", account="东湖城事通", biz="MzA3MDAwMDAxNw==",
        author="城事小编", published_at="2017-11-20T10:00:00+08:00", original=True,
        source_link="http://donghu.example.net/2017/11/20/library.html", content=body_text(LIBRARY),
        junk=["喜欢就点个", "微信扫一扫", "关注该公众号", "阅读原文", "1.2万"]))


def wechat_2019_profile_card() -> Case:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>晚稻亩产提高六十公斤</title>
<meta name="author" content="何稻香">
<meta property="og:title" content="晚稻亩产提高六十公斤" />
<meta property="og:url" content="https://mp.weixin.qq.com/s/RiCe2019bb" />
{padding_script(40_000, 2)}
</head><body id="activity-detail">
<div class="rich_media_area_primary"><div class="rich_media_area_primary_inner">
<h2 class="rich_media_title" id="activity-name">晚稻亩产提高六十公斤</h2>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_text">何稻香</span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">
                    西岭三农</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em></div>
<div id="js_profile_qrcode" class="profile_container" style="display:none;"><div class="profile_inner">
<strong class="profile_nickname">西岭三农</strong><img class="profile_avatar" src="">
<p class="profile_meta"><label class="profile_meta_label">微信号</label><span class="profile_meta_value">xiling_sannong</span></p>
<p class="profile_meta"><label class="profile_meta_label">功能介绍</label><span class="profile_meta_value">报道西岭县农业农村新闻，服务本地种养殖户，发布农技知识和天气提醒。</span></p>
</div></div>
<div class="rich_media_content " id="js_content" style="visibility: hidden;">{body_html(RICE, "section")}</div>
</div></div>
<script nonce="1">var ct = "1573093800";var nickname = "西岭三农";var biz = "MzIxODAwMDAxOQ==" || "";
var user_name = "gh_1a2b3c4d5e6f";var msg_title = '晚稻亩产提高六十公斤'.html(false);var msg_source_url = '';
var _copyright_stat = "0";var publish_time = "2019-11-07" || "";</script>
</body></html>"""
    return Case(page, "https://mp.weixin.qq.com/s/RiCe2019bb", "wechat", dict(
        status="ok", title="晚稻亩产提高六十公斤", account="西岭三农", biz="MzIxODAwMDAxOQ==", author="何稻香",
        published_at="2019-11-07T10:30:00+08:00", original=False, source_link="", content=body_text(RICE),
        junk=["功能介绍", "xiling_sannong", "服务本地种养殖户"]))


def wechat_2021_saved() -> Case:
    """Saved from a browser: no URL; original; author in js_author_name; create_time * 1."""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>夜间轮渡下月试运行</title>
<meta property="og:title" content="夜间轮渡下月试运行">
<meta property="og:url" content="http://mp.weixin.qq.com/s?__biz=MzU1NTAwMDAyMQ==&amp;mid=2247480001&amp;idx=2">
<meta property="og:site_name" content="微信公众平台">
{padding_script(200_000, 3)}</head><body>
<div class="rich_media_area_primary_inner"><div id="img-content" class="rich_media_wrp">
<h1 class="rich_media_title " id="activity-name">夜间轮渡下月试运行</h1>
<div id="meta_content" class="rich_media_meta_list">
<span id="copyright_logo" class="rich_media_meta icon_appmsg_tag appmsg_title_tag weui-wa-hotarea">原创</span>
<span class="rich_media_meta rich_media_meta_text"><span id="js_author_name" class="rich_media_meta_link">海岛记者 林一帆</span></span>
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a id="js_name">南港发布 </a></span>
<span class="rich_media_meta rich_media_meta_text" id="publish_time"></span></div>
<div class="rich_media_content js_underline_content" id="js_content">
<p style="text-align:center"><img data-src="https://mmbiz.qpic.cn/x.jpg"></p>{body_html(FERRY)}
<p>- END -</p><p>来源：南港发布</p><p>编辑：小渡</p></div>
</div></div>
<script>var create_time = "1635998400" * 1;var biz = "MzU1NTAwMDAyMQ=="||"";var _copyright_stat = "1";
var msg_source_url = 'https://ferry.example.org/notice/2021-11-04';</script></body></html>"""
    return Case(page, "", "wechat", dict(
        status="ok", title="夜间轮渡下月试运行", account="南港发布", biz="MzU1NTAwMDAyMQ==", author="海岛记者 林一帆",
        published_at="2021-11-04T12:00:00+08:00", original=True, source_link="https://ferry.example.org/notice/2021-11-04",
        # the credit lines after "- END -" stay: they belong to the article, and triage reads them (issue 24)
        content=body_text(FERRY) + "\n来源：南港发布\n编辑：小渡", junk=["- END -"]))


def wechat_2023_late_content() -> Case:
    """The modern page: 1.5 MB of inline CSS/script, a profile card, and only then js_content; fields
    in ``cgiData``-style objects with JsDecode; no mp.weixin.qq.com URL (served from elsewhere)."""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title></title>
<meta property="og:title" content="北坡村的柑橘卖到了全国">
<meta property="og:type" content="article">
{padding_script(1_500_000, 4)}
<script>window.cgiDataNew = {{ title: JsDecode('北坡村的柑橘卖到了全国'), nick_name: JsDecode('北坡乡里事'),
biz: 'MzkzNjAwMDAyMw==', user_name: 'gh_9f8e7d6c5b4a', create_time: '1701322800', copyright_stat: '1',
author: JsDecode('郑果园'), source_url: JsDecode('https:\\x2f\\x2fbeipo.example.cn\\x2fnews\\x2f1130.html') }};</script>
</head><body class="zh_CN wx_wap_page">
<div id="js_profile_card" class="wx_profile_card"><div class="wx_profile_card_inner">
<strong class="profile_nickname">北坡乡里事</strong>
<div class="profile_desc">记录北坡村的乡村振兴故事，分享农产品上新信息，欢迎关注我们的公众号，一起看乡村变化。</div>
<div class="profile_meta">已有 3.2万 位朋友关注</div></div></div>
<div class="rich_media_area_primary"><h1 class="rich_media_title" id="activity-name">北坡村的柑橘卖到了全国</h1>
<div class="rich_media_meta_list"><span class="wx_tap_link js_wx_tap_highlight rich_media_meta_link" id="js_name">北坡乡里事</span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em></div>
<div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content">{body_html(ORCHARD)}</div>
<div id="js_tags" class="article-tag__list">#乡村振兴 #柑橘</div>
</div>
<div id="js_pc_qr_code"><p>微信扫一扫<br>关注该公众号</p></div></body></html>"""
    return Case(page, "http://mirror.example.com/a/1130", "wechat", dict(
        status="ok", title="北坡村的柑橘卖到了全国", account="北坡乡里事", biz="", author="郑果园",
        published_at="2023-11-30T13:40:00+08:00", original=True, source_link="https://beipo.example.cn/news/1130.html",
        content=body_text(ORCHARD), junk=["已有 3.2万", "记录北坡村的乡村振兴故事", "微信扫一扫", "#乡村振兴"]))


def wechat_2024_saved_static_time() -> Case:
    """Saved with no URL; time shown in the page (em#publish_time filled), in `createTime`, and as `ct`;
    800 KB of script first; not original; the body quotes a removal notice (still an article)."""
    paragraphs = LIBRARY[:3] + ["有读者留言说，老馆以前的借阅页面曾显示“该内容已被发布者删除”，新系统上线后旧链接都已更新。"] + LIBRARY[3:]
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="图书馆新系统上线 旧借阅记录可查">
<meta property="og:url" content="https://mp.weixin.qq.com/s/SaVeD2024cc">
{padding_script(800_000, 5)}</head><body>
<h1 class="rich_media_title" id="activity-name">图书馆新系统上线 旧借阅记录可查</h1>
<div id="meta_content"><span class="rich_media_meta_nickname" id="profileBt"><a id="js_name">东湖阅读</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text">2024-03-05 14:30</em></div>
<div class="rich_media_content" id="js_content">{body_html(paragraphs)}</div>
<script>var createTime = '2024-03-05 14:30';var ct = "1709620200";var biz = "MzA5OTAwMDAyNQ==";
var nickname = htmlDecode("东湖阅读");var _copyright_stat = "2";</script></body></html>"""
    return Case(page, "", "wechat", dict(
        status="ok", title="图书馆新系统上线 旧借阅记录可查", account="东湖阅读", biz="MzA5OTAwMDAyNQ==", author="",
        published_at="2024-03-05T14:30:00+08:00", original=False, source_link="", content=body_text(paragraphs), junk=[]))


def wechat_2025_surrogates() -> Case:
    """Scripts holding lone UTF-16 surrogates (an emoji cut in half) in the very fields we read."""
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
{padding_script(20_000, 6)}
<script>var msg_title = "\\ud83d夜航首班今晚启航";var nickname = "\\ud83c\\udf0a南港发布\\udc00";var ct = "1738746000";
var biz = "MzU1NTAwMDAyMQ==";var msg_desc = "\\ud800\\ud800";</script></head><body>
<h1 class="rich_media_title" id="activity-name">夜航首班今晚启航</h1>
<div class="rich_media_content" id="js_content">{body_html(FERRY[:4])}</div></body></html>"""
    return Case(page, "https://mp.weixin.qq.com/s/SuRr2025dd", "wechat", dict(
        status="ok", title="夜航首班今晚启航", account="🌊南港发布", biz="MzU1NTAwMDAyMQ==",
        published_at="2025-02-05T17:00:00+08:00", content=body_text(FERRY[:4]), junk=[]))


# --- notices, inside script-heavy pages ----------------------------------------------------------------
def _notice_page(title: str, desc: str, seed: int, old: bool = False) -> str:
    script = padding_script(20_000, seed)
    if old:
        box = f'<div class="page_msg"><div class="inner"><span class="msg_icon_wrp"><i class="icon80_smile"></i></span>' \
              f'<div class="msg_content"><div class="global_error_msg warn">{title}</div><p>{desc}</p></div></div></div>'
    else:
        box = f'<div class="weui-msg"><div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg"></i></div>' \
              f'<div class="weui-msg__text-area"><h2 class="weui-msg__title">{title}</h2>' \
              f'<p class="weui-msg__desc">{desc}</p></div></div>'
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title></title>{script}</head>
<body class="zh_CN">{box}<script>var nickname = "东湖城事通";var biz = "MzA3MDAwMDAxNw==";var ct = "1511143200";</script>
{padding_script(5_000, seed + 50)}</body></html>"""


def notice(name: str, title: str, desc: str, kind: str, seed: int, old: bool = False) -> Case:
    return Case(_notice_page(title, desc, seed, old), f"https://mp.weixin.qq.com/s/{name}", "notice",
                dict(status="removed", notice_kind=kind))


# --- news and self-media pages -------------------------------------------------------------------------
def _comments(n: int = 12) -> str:
    lines = "".join(f'<li class="comment-item"><span class="user">网友{i:03d}</span><p>说得好，支持第{i}条意见。</p></li>'
                    for i in range(n))
    return f'<div id="comments" class="comment-list"><h3>网友评论</h3><ul>{lines}</ul></div>'


def _related(heading: str = "相关新闻") -> str:
    items = "".join(f'<li><a href="/news/2024/{i}.html">本地第{i}期便民服务信息汇总</a></li>' for i in range(1, 9))
    return f'<div class="related-news"><h3>{heading}</h3><ul>{items}</ul></div>'


def _footer(site: str) -> str:
    return (f'<div class="footer"><p>关于我们 | 联系我们 | 广告服务 | 网站地图</p>'
            f'<p>Copyright © 2024 {site} 版权所有 未经授权禁止转载</p></div>')


def news_jsonld_padded_og() -> Case:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "南港至青屿夜间轮渡下月试运行",
          "datePublished": "2024-11-20T08:45:00+08:00", "author": {"@type": "Person", "name": "陈海"},
          "publisher": {"@type": "Organization", "name": "南港新闻网"}}
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>南港至青屿夜间轮渡下月试运行_南港新闻网</title>
<meta property="og:title" content="南港至青屿夜间轮渡下月试运行_交通_轮渡_青屿">
<meta property="og:site_name" content="南港新闻网">
<meta name="publishdate" content="2024-11-20">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body><div class="header"><a href="/" class="logo">南港新闻网</a><ul class="nav"><li>首页</li><li>本地</li><li>交通</li></ul></div>
<div class="article"><h1 class="article-title">南港至青屿夜间轮渡下月试运行</h1>
<div class="article-info">2024-11-20 08:45 来源：南港新闻网 作者：陈海</div>
<div class="article-content">{body_html(FERRY)}</div>
<div class="share">分享到：微信 微博 QQ空间</div></div>
{_related()}{_comments()}{_footer("南港新闻网")}</body></html>"""
    return Case(page, "https://news.nangang.example.org/2024/11/20/ferry.html", "news", dict(
        status="ok", title="南港至青屿夜间轮渡下月试运行", published_at="2024-11-20T08:45:00+08:00", author="陈海",
        outlet="news.nangang.example.org", content=body_text(FERRY),
        junk=["网友评论", "说得好", "便民服务信息汇总", "版权所有", "分享到", "关于我们"]))


def news_broken_og_byline() -> Case:
    title = '他说“不”之后的三年：一位果农的转型路'
    page = f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title} - 北坡日报</title>
<meta property="og:title" content="他说"不"之后的三年：一位果农的转型路" />
<meta property="og:site_name" content="北坡日报">
<meta name="description" content="村民回乡种果的故事">
</head><body><div id="top"><span class="logo">北坡日报</span></div>
<div class="main"><h1>{title}</h1>
<div class="source">2023年12月02日 09:15　来源：北坡日报　作者：郑小果　字号：<a>大</a> <a>中</a> <a>小</a></div>
<div id="text">{body_html(ORCHARD)}</div>
<div class="editor">（责任编辑：王青）</div>
<div class="statement">免责声明：本网站转载的文章仅供参考，版权归原作者所有，如有侵权请联系删除。</div>
</div>{_footer("北坡日报")}</body></html>"""
    return Case(page, "https://www.beipo-daily.example.cn/2023/1202/orchard.html", "news", dict(
        status="ok", title=title, published_at="2023-12-02T09:15:00+08:00", author="郑小果",
        outlet="www.beipo-daily.example.cn", content=body_text(ORCHARD),
        junk=["字号", "责任编辑", "免责声明", "版权所有"]))


def news_banner_h1_text_time() -> Case:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>晚稻示范片亩产创新高|稻香资讯网</title>
<meta name="keywords" content="晚稻,示范片,石门镇"></head><body>
<div class="top-banner"><h1 class="logo"><a href="/"><img src="/logo.png" alt="稻香资讯网">稻香资讯网</a></h1></div>
<div class="crumb">首页 &gt; 三农 &gt; 正文</div>
<div class="content-main"><h2 class="title">晚稻示范片亩产创新高</h2>
<p class="time">发布时间：2024年10月28日 16:05　浏览次数：1024</p>
<div class="content">{body_html(RICE)}</div>
<div class="tuijian"><h4>推荐阅读</h4><a href="/a">秋冬种植技术要点一览</a><a href="/b">本周农资价格行情</a>
<a href="/c">种粮补贴发放时间公布</a></div></div>
<div class="foot">稻香资讯网 主办 备案号：示例ICP备00000000号</div></body></html>"""
    return Case(page, "http://daoxiang.example.com/sannong/2024/1028/rice.html", "news", dict(
        status="ok", title="晚稻示范片亩产创新高", published_at="2024-10-28T16:05:00+08:00",
        outlet="daoxiang.example.com", content=body_text(RICE),
        junk=["推荐阅读", "秋冬种植技术要点", "备案号", "浏览次数"]))


def news_empty_h1_site_suffix() -> Case:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>图书馆分馆年内建成十二个-新华网</title>
<meta name="publishdate" content="2024-12-01"></head><body>
<div class="header"><div class="logo"><a href="/">新华网</a></div></div>
<div class="head-line"><h1><span class="title"></span></h1>
<div class="header-cont"><div class="info"><span class="year"><em>2024</em></span><span class="day">12/01</span>
<span class="time">10:08:00</span><span class="source">来源：新华网</span></div></div></div>
<div id="detail">{body_html(LIBRARY)}</div>
<div id="articleEdit"><span class="tiyi1"><a>【纠错】</a></span><span class="editor">【责任编辑:李书】</span></div>
<div class="xgxw"><h2>相关新闻</h2><ul><li><a>城市书房夜间开放时间延长</a></li><li><a>社区阅读节启动</a></li></ul></div>
</body></html>"""
    return Case(page, "http://www.news.example.cn/local/2024-12/01/c_1.htm", "news", dict(
        status="ok", title="图书馆分馆年内建成十二个", published_at="2024-12-01T10:08:00+08:00",
        outlet="www.news.example.cn", content=body_text(LIBRARY),
        junk=["纠错", "责任编辑", "相关新闻", "城市书房夜间"]))


def news_selfmedia_script_time_disclaimer() -> Case:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>北坡柑橘丰收了，来看看果农的账本</title>
<script>window.__PRELOADED_STATE__ = {{"article":{{"id":"9001","publishTime":"2023-12-03 19:42:10",
"authorName":"乡村观察号","title":"北坡柑橘丰收了，来看看果农的账本"}}}};</script></head><body>
<div class="index-module_articleWrap"><div class="article-title"><h2>北坡柑橘丰收了，来看看果农的账本</h2></div>
<div class="author-info"><span class="author-name">乡村观察号</span><span class="date">12-03</span></div>
<div class="article-content" data-testid="article">{body_html(ORCHARD)}</div>
<div class="article-source">本文为乡村观察号作者或机构在示例平台上传并发布，仅代表该作者或机构观点，不代表示例平台的观点或立场，示例平台仅提供信息发布平台。</div>
<div class="recommend-list"><h3>为你推荐</h3><div class="item">冬季养生的七个小习惯</div><div class="item">这道家常菜做法简单又下饭</div>
<div class="item">县城里的老字号糕点铺</div></div></div></body></html>"""
    return Case(page, "https://selfmedia.example.com/article/9001", "news", dict(
        status="ok", title="北坡柑橘丰收了，来看看果农的账本", published_at="2023-12-03T19:42:10+08:00",
        author="乡村观察号", outlet="selfmedia.example.com", content=body_text(ORCHARD),
        junk=["本文为乡村观察号", "为你推荐", "冬季养生"]))


def news_saved_publisher_meta() -> Case:
    """Saved without a URL: the outlet is read off og:site_name / JSON-LD publisher / canonical."""
    ld = {"@context": "https://schema.org", "@type": "Article", "headline": "石门镇建成烘干中心",
          "datePublished": "2024-10-30 07:30", "publisher": {"@type": "Organization", "name": "西岭融媒"}}
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>石门镇建成烘干中心 - 西岭融媒</title>
<link rel="canonical" href="https://www.xiling.example.gov.cn/news/1030.html">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head><body>
<h1>石门镇建成烘干中心</h1><div class="meta">西岭融媒 2024-10-30</div>
<div class="TRS_Editor">{body_html(RICE[2:] + RICE[:2])}</div>
<div class="bottom">扫一扫在手机打开当前页</div></body></html>"""
    return Case(page, "", "news", dict(
        status="ok", title="石门镇建成烘干中心", published_at="2024-10-30T07:30:00+08:00", outlet="西岭融媒",
        claimed_url="https://www.xiling.example.gov.cn/news/1030.html", content=body_text(RICE[2:] + RICE[:2]),
        junk=["扫一扫在手机打开当前页"]))


def wechat_too_short() -> Case:
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">{padding_script(30_000, 9)}
<script>var nickname = "东湖城事通";var ct = "1709620200";</script></head><body>
<h1 class="rich_media_title" id="activity-name">今日</h1><div class="rich_media_content" id="js_content"><p>图片分享</p></div>
</body></html>"""
    return Case(page, "https://mp.weixin.qq.com/s/ShOrT", "notice", dict(status="too_short"))


def build() -> dict[str, Case]:
    cases = {
        "wechat-2017-classic": wechat_2017(),
        "wechat-2019-profile-card": wechat_2019_profile_card(),
        "wechat-2021-saved": wechat_2021_saved(),
        "wechat-2023-js_content-at-1.5MB": wechat_2023_late_content(),
        "wechat-2024-saved-static-time": wechat_2024_saved_static_time(),
        "wechat-2025-lone-surrogates": wechat_2025_surrogates(),
        "notice-deleted": notice("DeLeTeD", "该内容已被发布者删除", "", "deleted", 11),
        "notice-expired": notice("ExPiReD", "链接已过期", "", "expired", 12),
        "notice-violation": notice("ViOlAtE", "此内容因违规无法查看", "", "violation", 13),
        "notice-complaint": notice("CoMpLaIn", "此内容被投诉且经审核涉嫌侵权，无法查看。",
                                   "查看<a href='#'>对应规则</a>", "complaint", 14),
        "notice-account-2018": notice("AcCoUnT", "此帐号已被屏蔽, 内容无法查看", "", "account", 15, old=True),
        "too-short": wechat_too_short(),
        "news-jsonld-padded-og": news_jsonld_padded_og(),
        "news-broken-og-byline": news_broken_og_byline(),
        "news-banner-h1-text-time": news_banner_h1_text_time(),
        "news-empty-h1-site-suffix": news_empty_h1_site_suffix(),
        "news-selfmedia-script-time": news_selfmedia_script_time_disclaimer(),
        "news-saved-publisher": news_saved_publisher_meta(),
    }
    return cases


CORPUS = build()
