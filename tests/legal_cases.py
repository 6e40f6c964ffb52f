"""The legal-hints case set: licensed articles of each kind and copies of them, with the hints a careful
reader expects. Every text, outlet, account and domain here is invented for these tests.

Read by ``tests/test_legal.py`` (each case asserted) and ``bench/legal_hints.py`` (hits and misses per
hint, for docs/legal-hints.md). A case's ``expected`` is ``{code: certainty}``; codes not named must not
appear.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reprintwatch.articles import Article

OUTLET = "江南日报"
PUBLISHED = "2026-11-20T08:00:00+08:00"


def _article(key: str, title: str, text: str) -> Article:
    return Article(key, text, title, OUTLET, f"https://www.jiangnan-daily.example/2026/11/20/{key}.html", PUBLISHED)


FLASH = _article("flash", "312国道江宁段发生两车相撞事故", (
    "江南日报讯 11月20日14时30分，312国道江宁段发生一起两车相撞事故，造成两人受伤，伤者已送医救治。"
    "事故发生后，交警部门到场处置，目前道路已恢复通行。"))

FLASH_QUOTE = _article("flash-quote", "江宁区一仓库凌晨起火", (
    "江南日报讯 11月20日凌晨3时许，江宁区一物流仓库起火，消防部门出动8辆消防车，火势于5时许被扑灭，无人员伤亡。"
    "区应急管理局工作人员称“起火原因正在调查中，将及时公布结果”。"))

GOLD = _article("gold", "20日国内金银商品收跌", (
    "11月20日，上海黄金交易所黄金现货Au9999收跌0.62%，报收每克612.35元，成交量23.4吨；"
    "白银T+D收跌1.18%，报收每千克7621元，成交量312.7吨。\n"
    "上海期货交易所沪金主力合约收于613.20元/克，跌幅0.55%；沪银主力合约收于7633元/千克，跌幅1.02%。"))

WEATHER = _article("weather", "江南气象台发布未来两天天气预报", (
    "江南气象台11月20日17时发布天气预报：21日白天多云转阵雨，气温8℃至14℃，东北风3到4级；"
    "22日阴有小雨，气温6℃至11℃，东北风2到3级。"))

FEATURE = _article("feature", "老街上的最后一家修表铺", "\n".join([
    "江南日报记者 林晓",
    "清晨七点，城南老街还没完全醒来，陈师傅已经把那块写着“修表”的木牌挂在了门口。这家不足十平方米的铺子，"
    "他守了整整四十二年。",
    "“以前这条街上有五家修表铺，现在就剩我一家了。”陈师傅一边说，一边用镊子夹起一枚比米粒还小的齿轮。"
    "记者注意到，他的工作台上摆着三十多种工具，有一半是他自己磨出来的。",
    "老街的变化，陈师傅看在眼里。上世纪八十年代，手表是年轻人结婚的“三大件”之一，铺子门口常常排起长队；"
    "后来电子表兴起，再后来人人有了手机，来修表的人越来越少。",
    "但他并不觉得这门手艺会消失。“总有人戴着父亲留下的老表来找我，表停了，念想不能停。”"
    "上个月，一位从外地赶来的年轻人带来一块走了六十年的上海牌手表，陈师傅花了三天把它修好。",
    "记者采访时，隔壁的早点铺飘来阵阵香气，路过的老邻居探进头来打招呼。陈师傅说，只要还有人需要，"
    "这扇门就会一直开着。",
]))

SHORT_REPORT = _article("short-report", "江南新区新增三条公交线路", "\n".join([
    "江南日报讯 11月20日起，江南新区新增三条公交线路，分别为新区1路、新区2路和新区3路，"
    "覆盖高铁站、市民中心、科技园区和五个居民小区。",
    "新区1路由高铁站开往市民中心，全长12.6公里，设站18个，首班车6时，末班车22时，高峰时段发车间隔8分钟。"
    "新区2路由科技园区开往湖滨小区，全长9.8公里，设站14个，首班车6时30分，末班车21时30分。",
    "新区3路为环线，全长15.2公里，设站22个，途经五个居民小区和两所中学，首班车6时，末班车21时，"
    "平峰时段发车间隔15分钟。三条线路均实行一票制，票价2元，可使用交通卡和手机扫码乘车。"
    "新区公交公司同时调整了既有的5路和12路公交线路走向，调整后的线路经过新开通的地铁三号线科技园站和湖滨站，"
    "方便乘客换乘地铁。调整后的5路公交线路全长11.4公里，设站16个，首末班时间不变。",
]))

COMMENTARY = _article("commentary", "评论：稳就业要在营商环境上下真功夫", "\n".join([
    "就业是最基本的民生。近期多地出台稳就业政策，但我们认为，稳就业的关键不在一时的补贴，而在营商环境。",
    "企业是吸纳就业的主体。市场主体活跃了，岗位才会多起来。一些地方审批环节仍然繁琐，民营企业融资难、融资贵的问题"
    "依然存在，这些都在消耗企业扩大投资的信心。",
    "应当看到，优化营商环境是一场持久战。政府部门必须把政策落到实处，减少对市场的不当干预，让企业把精力放在经营上。",
    "说到底，就业稳不稳，要看企业活不活。在营商环境上下真功夫，才能让稳就业有源头活水。",
]))

EDITORIAL_RESERVED = _article("editorial-reserved", "社论：让基层治理回归为民本色", "\n".join([
    "社论",
    "基层治理连着千家万户。近年来，一些地方的基层干部忙于填表格、迎检查，服务群众的时间反而少了。",
    "我们认为，基层治理必须回归为民本色。政府部门应当为基层减负，把制度的重心放在解决群众急难愁盼上，"
    "让干部有时间走进群众、倾听民声。",
    "治理能力的提升，不在文件多少，而在群众是否满意。这是检验基层工作的根本标准。",
    "（本文为江南日报原创，未经授权不得转载）",
]))

EDITORIAL = _article("editorial", "本报评论员：以法治护航民营经济", "\n".join([
    "本报评论员",
    "民营经济是推动发展的重要力量。法治是最好的营商环境，保护民营企业的合法权益，就是保护经济增长的动力。",
    "我们注意到，一些地方在执法中仍有选择性执法、趋利性执法的现象，损害了企业的预期。必须以制度约束权力，"
    "让企业家安心经营、放心投资。",
    "立法、执法、司法各环节都应当一视同仁地对待各类市场主体，这是改革应有之义，也是市场经济的基本要求。",
]))

SPORTS_COMMENTARY = _article("sports-commentary", "时评：联赛需要更多本土球星", "\n".join([
    "本赛季联赛落下帷幕，冠军之争精彩纷呈，但我们认为，联赛缺少的不是外援，而是能让球迷记住的本土球星。",
    "青训是球星的摇篮。各俱乐部应当把目光放长远，给年轻球员更多上场时间，让他们在比赛中成长。",
    "球迷的热情是联赛最宝贵的财富。只有本土球星不断涌现，这份热情才能延续下去。",
]))

FEATURE_RESERVED = _article("feature-reserved", "一位乡村教师的三十年", FEATURE.content.replace(
    "江南日报记者 林晓", "江南日报记者 林晓\n版权声明：本文为江南日报独家稿件，未经授权禁止转载") .replace("修表", "教书"))

FARE = _article("fare", "江南市拟上调出租车起步价至12元", (
    "江南日报讯 江南市发展改革委11月20日发布公告，拟将市区出租车起步价由10元上调至12元，"
    "公告期为11月21日至12月20日，期间市民可通过市政府网站提交书面意见。"))

LICENSED = {a.id: a for a in (FLASH, FARE, FLASH_QUOTE, GOLD, WEATHER, FEATURE, SHORT_REPORT, COMMENTARY,
                               EDITORIAL_RESERVED, EDITORIAL, SPORTS_COMMENTARY, FEATURE_RESERVED)}

# copiers: a media outlet (named like one), a self-media account, an ordinary site
MEDIA_WECHAT = {"url": "https://mp.weixin.qq.com/s?__biz=MzIwMDAwMDAwMQ==&mid=1&idx=1", "platform": "wechat",
                "account": "东海晚报"}
SELF_MEDIA = {"url": "https://mp.weixin.qq.com/s?__biz=MzIwMDAwMDAwMg==&mid=1&idx=1", "platform": "wechat",
              "account": "理财小助手"}
SITE = {"url": "https://www.news-mirror.example/a/1.html", "platform": "web", "account": ""}

CREDIT = "来源：江南日报\n"
OTHER_CREDIT = "来源：北岸网\n"


@dataclass(frozen=True)
class Case:
    name: str
    licensed: Article
    copier: dict
    credit: str = ""  # a line put before the copied text
    title: str | None = None  # None: the licensed title
    expected: dict = field(default_factory=dict)
    content: str | None = None  # None: credit + the licensed text
    known_miss: str = ""  # why the hints are expected to miss this case (bench counts it; tests assert the miss)

    def finding(self, number: int = 1) -> dict:
        a = self.licensed
        return {
            "finding_id": number, "suspect_id": number, "licensed_id": a.id, "licensed_outlet": a.outlet,
            "licensed_title": a.title, "licensed_url": a.url, "licensed_published_at": a.published_at,
            "verdict": "full_reprint", "similarity": 1.0, "licensed_coverage": 1.0, "suspect_coverage": 1.0,
            "passages": [], "site": "", "canonical_url": "", "title": a.title if self.title is None else self.title,
            "published_at": "2026-11-21T09:00:00+08:00",
            "content": self.content if self.content is not None else self.credit + a.content,
            "checked_at": "2026-11-25T03:00:00Z", "created_at": "2026-11-25T03:00:00Z", "source_link": "",
            **self.copier,
        }


FN, CA, RS, TD, NC = ("factual_news_possible", "current_affairs_exception_possible", "reservation_statement",
                      "title_distorted", "no_credit")

CASES = (
    Case("flash, self-media, dateline stripped", FLASH, SELF_MEDIA, content=FLASH.content.replace("江南日报讯 ", ""),
         expected={FN: "possible", NC: "found"}),
    Case("flash, self-media, dateline kept", FLASH, SELF_MEDIA, expected={FN: "possible"}),
    Case("flash, plan made a fact in the title", FARE, SITE, CREDIT, title="江南市已上调出租车起步价至12元",
         expected={FN: "possible", TD: "possible"}),
    Case("flash, media, credited", FLASH, MEDIA_WECHAT, CREDIT, expected={FN: "possible"}),
    Case("flash with a quote, media, credited", FLASH_QUOTE, MEDIA_WECHAT, CREDIT, expected={FN: "unsure"}),
    Case("flash, figure changed in the title", FLASH, SITE, CREDIT, title="312国道江宁段两车相撞致5人受伤",
         expected={FN: "possible", TD: "possible"}),
    Case("gold template, self-media, credited, title furniture", GOLD, SELF_MEDIA, CREDIT,
         title="【转载】20日国内金银商品收跌", expected={FN: "possible"}),
    Case("gold template, site, uncredited, words reordered", GOLD, SITE, title="国内金银商品20日收跌",
         expected={FN: "possible", NC: "found"}),
    Case("gold template, direction reversed in the title", GOLD, SITE, CREDIT, title="20日国内金银商品收涨",
         expected={FN: "possible", TD: "possible"}),
    Case("weather notice, site, uncredited", WEATHER, SITE, expected={FN: "possible", NC: "found"}),
    Case("feature, media, credited", FEATURE, MEDIA_WECHAT, CREDIT, expected={}),
    Case("feature, self-media, uncredited, clickbait title", FEATURE, SELF_MEDIA,
         title="震惊！老街上的最后一家修表铺竟然是这样", expected={TD: "possible", NC: "found"}),
    Case("feature, site, credited, title cut", FEATURE, SITE, CREDIT, title="老街最后一家修表铺", expected={}),
    Case("feature, site, credits another outlet", FEATURE, SITE, OTHER_CREDIT, expected={NC: "found"}),
    Case("short report, self-media, credited", SHORT_REPORT, SELF_MEDIA, CREDIT, expected={FN: "unsure"}),
    Case("economic commentary, media, credited", COMMENTARY, MEDIA_WECHAT, CREDIT, expected={CA: "possible"}),
    Case("economic commentary, self-media, credited", COMMENTARY, SELF_MEDIA, CREDIT, expected={CA: "unsure"}),
    Case("economic commentary, media, uncredited", COMMENTARY, MEDIA_WECHAT, expected={NC: "found"}),
    Case("economic commentary, media, credited, claim changed in the title", COMMENTARY, MEDIA_WECHAT, CREDIT,
         title="评论：稳就业必须靠政府补贴", expected={TD: "possible"},
         known_miss="a claim rewritten in new words: no clickbait, negation, figure or direction to read, so no "
                    "hint (a rewritten title alone is not evidence)"),
    Case("economic commentary, media, credited, retitled with 原标题", COMMENTARY, MEDIA_WECHAT,
         CREDIT + "原标题：评论：稳就业要在营商环境上下真功夫\n", title="稳就业，营商环境是关键",
         expected={CA: "possible"}),
    Case("editorial with a reservation, media, credited", EDITORIAL_RESERVED, MEDIA_WECHAT, CREDIT,
         expected={RS: "found"}),
    Case("editorial with a reservation, self-media, uncredited", EDITORIAL_RESERVED, SELF_MEDIA,
         expected={RS: "found", NC: "found"}),
    Case("editorial, media, credited", EDITORIAL, MEDIA_WECHAT, CREDIT, expected={CA: "possible"}),
    Case("editorial, site, credited", EDITORIAL, SITE, CREDIT, expected={CA: "unsure"}),
    Case("editorial, media, credits another outlet", EDITORIAL, MEDIA_WECHAT, OTHER_CREDIT, expected={NC: "found"}),
    Case("sports commentary, media, credited", SPORTS_COMMENTARY, MEDIA_WECHAT, CREDIT, expected={}),
    Case("feature with a reservation, self-media, uncredited", FEATURE_RESERVED, SELF_MEDIA,
         expected={RS: "found", NC: "found"}),
)
