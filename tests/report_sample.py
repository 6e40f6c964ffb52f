"""A small, realistic findings store for the report tests and the docs (texts written for this project).

Three licensed articles (南方日报, 新华社, 江南晚报) in a real SQLite licensed index; nine copies run through
the real detector and recorded with the real store API, with pages kept as evidence. Each copy is one
case the reports must get right (see ``EXPECTED``).

Run ``python tests/report_sample.py DIR`` to build the sample in DIR (used for docs/reports.md).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from reprintwatch import Article, Detector, SQLiteIndex
from reprintwatch.config import Settings
from reprintwatch.triage.licences import make_licence
from reprintwatch.store import Store

REPORT_DAY = "2026-11-02"

L1_DATELINE = "南方日报广州10月28日讯（记者 陈晓峰 通讯员 李明）"
L1_BODY = (
    "江海新区首条跨江隧道今天上午正式通车。这条隧道全长6.2公里，其中盾构段长3.1公里，是目前省内直径最大的"
    "水下公路隧道。隧道通车后，江海新区与老城区之间的车程将由原来的50分钟缩短到12分钟左右。\n"
    "据项目负责人介绍，隧道于2022年3月开工建设，施工期间克服了软土地层、高水压等多项技术难题。建设团队自主"
    "研发了智能掘进监测系统，能够实时采集盾构机的推力、扭矩和姿态数据，累计减少停机时间两千多小时。\n"
    "市交通运输局表示，隧道按照双向六车道城市快速路标准设计，设计时速80公里，隧道内设置了智能照明、火灾自动"
    "报警和应急广播系统。通车初期，隧道将实行货车限行措施，具体时段由交警部门另行公布。\n"
    "沿线居民王女士说，过去每天上下班要在跨江大桥上堵半个小时，现在终于可以睡个懒觉了。"
)
L2_DATELINE = "新华社青岛10月29日电（记者 王海燕）"
L2_PARAS = [
    "记者29日从自然资源部获悉，我国新一代海洋综合科考船“远望海”号结束为期98天的首次远洋科考任务，顺利返回"
    "青岛母港。",
    "本航次科考队员累计完成深海综合调查站位126个，获取海水、沉积物和生物样品一万余份，首次在西太平洋海山区"
    "布放了长期观测潜标。科考队还利用船载无人潜航器开展了30余次近底观测，拍摄到多种罕见深海生物的活体影像。",
    "“远望海”号总长约104米，满载排水量约6800吨，具备全球无限航区航行能力。船上配备了多波束测深系统、深海"
    "拖曳观测系统等先进设备，被誉为“移动的海上实验室”。",
    "首席科学家表示，本次获取的数据将为研究西太平洋海洋环流变化和深海生态系统提供重要支撑，相关样品将向国内"
    "科研机构开放共享。",
]
L3_TEXT = (
    "本报讯（记者 周雨桐）经过一年多的修缮，老城区百年骑楼街昨日重新开街迎客。整条街道全长约600米，共修缮骑楼"
    "建筑87栋，恢复了灰塑、满洲窗等传统装饰构件。\n"
    "修缮团队负责人介绍，施工坚持“修旧如旧”的原则，尽量保留原有的砖木结构，对损坏严重的构件按照老照片和测绘"
    "图纸进行复原。街区同步完成了雨污分流、电力管线下地等改造，消防通道也重新进行了规划。\n"
    "开街首日，街上的老字号糕点铺、凉茶铺和手工藤编店吸引了大批市民游客。70多岁的街坊陈伯在骑楼下住了一辈子，"
    "他说，街道修好以后，年轻人又愿意回来逛了。\n"
    "据了解，骑楼街后续还将引入非遗工坊和社区书房，周末夜间将举办传统曲艺展演。"
)

LICENSED = [
    Article(
        id="nf-1001", outlet="南方日报", title="江海新区首条跨江隧道今日通车",
        url="https://www.nfdaily.example/content/2026-10/28/c_1001.html", published_at="2026-10-28T07:30:00+08:00",
        content=L1_DATELINE + L1_BODY,
    ),
    Article(
        id="xh-2002", outlet="新华社", title="我国新一代海洋综合科考船完成首次远洋科考",
        url="http://www.xinhua.example/2026-10/29/c_2002.htm", published_at="2026-10-29T10:00:00+08:00",
        content=L2_DATELINE + "\n".join(L2_PARAS),
    ),
    Article(
        id="jn-3003", outlet="江南晚报", title="老城区百年骑楼街完成修缮 重新开街迎客",
        url="https://www.jnwb.example/news/3003.html", published_at="2026-10-30T18:00:00+08:00",
        content=L3_TEXT,
    ),
]

HOSTILE_SCRIPT = '<script>document.title="PWNED";document.documentElement.setAttribute("data-pwned","1")</script>'
HOSTILE_IMG = '<img src=x onerror="document.title=\'PWNED\'">'


@dataclass(frozen=True)
class Copy:
    key: str
    platform: str
    site: str
    account: str
    url: str
    title: str
    published_at: str
    content: str
    created_at: str
    source: str = "sample"
    original_flag: bool = False


COPIES = [
    Copy("s1-stripped", "web", "news.copycat.example", "", "https://news.copycat.example/a/778.html",
         "江海新区跨江隧道通车！车程缩短到12分钟", "2026-11-02T09:00:00+08:00",
         L1_BODY + "\n责任编辑：小王", "2026-11-02T02:10:00Z"),
    Copy("s2-credited", "wechat", "mp.weixin.qq.com", "江南观察",
         "https://mp.weixin.qq.com/s?__biz=MzA5NjE2NzQxMA==&mid=2650001&idx=1",
         "刚刚，“远望海”号回来了！", "2026-11-02T08:00:00+08:00",
         "来源：新华社\n" + L2_DATELINE + "\n".join(L2_PARAS) + "\n点击上方蓝字关注我们", "2026-11-02T03:00:00Z",
         original_flag=True),
    Copy("s3-licensed", "web", "www.partner-news.example", "", "https://www.partner-news.example/2026/11/02/991.html",
         "江海新区首条跨江隧道今日通车", "2026-11-01T10:00:00+08:00",
         "来源：南方日报\n" + L1_DATELINE + L1_BODY, "2026-11-02T04:00:00Z"),
    Copy("s4-edited", "web", "www.partner-news.example", "", "https://www.partner-news.example/2026/11/02/992.html",
         "科考船满载而归", "2026-11-01T12:00:00+08:00",
         "来源：新华社\n" + L2_PARAS[1] + "\n" + L2_PARAS[2]
         + "\n小编说：大海里还有多少秘密等着我们去发现？欢迎在评论区留言。", "2026-11-02T05:00:00Z"),
    Copy("s5-earlier", "feed", "feeds.earlybird.example", "", "https://feeds.earlybird.example/item/55",
         "百年骑楼街重新开街", "2026-10-29T20:00:00+08:00", L3_TEXT.replace("本报讯（记者 周雨桐）", ""),
         "2026-11-02T06:00:00Z"),  # no 江南晚报 dateline/byline: keeping them would contradict "first"
    Copy("s6-hostile", "web", "evil.example", "", "https://evil.example/p/1",
         HOSTILE_SCRIPT + "骑楼街开街了", "2026-11-01T21:00:00+08:00",
         "来源：人民网\n" + HOSTILE_SCRIPT + "\n" + L3_TEXT + "\n" + HOSTILE_IMG, "2026-11-02T07:00:00Z"),
    Copy("s7-expired", "wechat", "mp.weixin.qq.com", "海风资讯", "https://mp.weixin.qq.com/s?__biz=MzI4OTk5&mid=1",
         "远望海号科考归来", "2026-11-01T09:00:00+08:00", L2_DATELINE + "\n".join(L2_PARAS), "2026-11-02T08:00:00Z"),
    # earlier days, for the chart
    Copy("s8-oct30", "web", "news.copycat.example", "", "https://news.copycat.example/a/701.html",
         "跨江隧道通车", "2026-10-30T09:00:00+08:00", L1_BODY, "2026-10-30T05:00:00Z"),
    Copy("s9-oct31", "wechat", "mp.weixin.qq.com", "江南观察", "https://mp.weixin.qq.com/s?__biz=MzA5NjE2NzQxMA==&mid=2649",
         "深海科考", "2026-10-31T09:00:00+08:00", "\n".join(L2_PARAS), "2026-10-31T05:00:00Z"),
]

# key → (status, attribution status, stripped marks)
EXPECTED = {
    "s1-stripped": ("unauthorised", "uncredited", ("dateline", "byline")),
    "s2-credited": ("unauthorised", "credited", ()),
    "s3-licensed": ("authorised", "credited", ()),
    "s4-edited": ("unauthorised", "credited", ("dateline", "byline")),
    "s5-earlier": ("published_first", "uncredited", ("dateline", "byline")),
    "s6-hostile": ("unauthorised", "credited_other", ()),
    "s7-expired": ("unauthorised", "credited", ()),
}

LICENCES = [
    dict(reprinter_kind="site", reprinter="partner-news.example", outlet="南方日报", valid_from="2026-01-01",
         valid_until="2026-12-31", scope="may_reprint", note="contract NF-2026-017"),
    dict(reprinter_kind="site", reprinter="partner-news.example", outlet="新华社", valid_from="2026-01-01",
         valid_until="2026-12-31", scope="may_reprint", note="verbatim only"),
    dict(reprinter_kind="wechat", reprinter="海风资讯", outlet="新华社", valid_from="2025-11-01",
         valid_until="2026-10-31", scope="may_edit", note="expired, renewal pending"),
]


def page_html(copy: Copy) -> bytes:
    """The page as a site would serve it (the copy's text is put in raw: pages are hostile)."""
    paragraphs = "".join(f"<p>{line}</p>" for line in copy.content.split("\n"))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{copy.title}</title></head>"
        f"<body><h1>{copy.title}</h1><div class='content'>{paragraphs}</div></body></html>"
    ).encode("utf-8")


@dataclass
class Sample:
    settings: Settings
    finding_ids: dict  # copy key → finding id
    licence_ids: list


def build_sample(directory: Path, copies=COPIES, licences=LICENCES, store=None) -> Sample:
    """The sample in ``directory`` (its licensed index; the store too unless ``store`` names another, e.g. a
    PostgreSQL URL)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    settings = Settings.load(environ={}, db=directory / "licensed.db", store=store or directory / "store.db")
    with SQLiteIndex(settings.db) as index:
        detector = Detector(index)
        detector.add(LICENSED)
        finding_ids = {}
        with Store(settings.store) as store:
            for n, copy in enumerate(copies):
                evidence_id = store.record_page(
                    copy.url, page_html(copy), status=200, fetched_at=copy.created_at,
                    content_type="text/html; charset=utf-8", headers={"content-type": "text/html; charset=utf-8"},
                )
                suspect_id = store.record_suspect(
                    copy.url, copy.platform, content_hash=f"sample-{n}", version=1, source=copy.source,
                    site=copy.site, account=copy.account, title=copy.title, published_at=copy.published_at,
                    content=copy.content, original_flag=copy.original_flag, evidence_id=evidence_id,
                    checked_at=copy.created_at,
                )
                result = detector.check(Article(id=copy.key, content=copy.content, title=copy.title))
                ids = store.record_findings(suspect_id, result.reprints[:1], created_at=copy.created_at)
                assert ids, f"sample copy {copy.key} was not detected as a reprint"
                finding_ids[copy.key] = ids[0]
    with Store(settings.store) as store:
        added = store.add_licences([make_licence(**lic) for lic in licences])
    return Sample(settings, finding_ids, [lic.id for lic in added])


def cli_runner(sample: Sample, monkeypatch):
    """``run(*args)``: the reprintwatch command against the sample's store and licensed index."""
    from click.testing import CliRunner

    from reprintwatch.cli import cli

    monkeypatch.setenv("REPRINTWATCH_STORE", str(sample.settings.store))
    monkeypatch.setenv("REPRINTWATCH_DB", str(sample.settings.db))
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "sample")
    sample = build_sample(target)
    print(f"store {sample.settings.store}  licensed index {sample.settings.db}")
    for key, fid in sample.finding_ids.items():
        print(f"finding {fid}: {key}")
