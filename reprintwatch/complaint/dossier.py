"""Complaint dossiers: from judged findings to the application a rights holder files with the copyright
administration (《著作权行政投诉指南》) or a platform's copyright desk.

One dossier covers one respondent (a WeChat account, else a site) and one outlet (whose rights holder
complains). :func:`build_dossier` is pure: it takes the assessments, what re-checks and complaints
recorded about each finding (:class:`Tracking`), the rights holder and the day, and returns the dossier as
plain data (the JSON file, as is); ``html.py`` renders it and ``package.py`` writes the zip.

A dossier never includes a finding that is authorised, was published before the licensed article, or whose
copy was last seen online more than two years ago (see :mod:`reprintwatch.complaint.rules`); those are
listed apart, each with its reason. Nor, unless the user asks to include them, one whose legal hints say
an exception is possible (the article may be 单纯事实消息, or the current-affairs exception may cover
the copy: :mod:`reprintwatch.triage.legal`), listed apart with the hint's reason and rule.
"""
from __future__ import annotations

import datetime as _dt
from typing import Sequence

from ..dates import CHINA_TZ, has_time, parse_datetime, to_iso
from ..triage import reasons
from ..triage.assess import Assessment
from ..triage.reasons import Reason
from ..triage.attribution import CREDITED, CREDITED_OTHER
from .takedown import Tracking, instant
from .holders import RightsHolder
from ..triage.legal import (
    CURRENT_AFFAIRS,
    FACTUAL_NEWS,
    FOUND,
    OFFICIAL_DOCUMENT,
    POSSIBLE,
    RESERVATION,
    RULES,
    TITLE_DISTORTED,
)
from ..triage.legal import describe as describe_hint
from .rules import (
    EXCLUDED_AUTHORISED,
    EXCLUDED_POSSIBLE_EXCEPTION,
    EXCLUDED_PUBLISHED_FIRST,
    EXCLUDED_TIME_BARRED,
    STATE_LABELS_ZH,
    china_day,
    exclusion,
    limitation_deadline,
)

DOSSIER_FORMAT = "reprintwatch-complaint/1"
MAX_PASSAGES = 30  # per work, longest first; the bundles hold the full texts
MAX_PASSAGE_CHARS = 800

PLATFORM_ZH = {"wechat": "微信公众号", "web": "网站", "feed": "网站", "local": "存档页面"}
VERDICT_ZH = {"full_reprint": "全文转载", "partial_reprint": "部分转载（摘编）"}
STRIPPED_ZH = {"dateline": "电头", "byline": "署名"}
PENDING = "【待补充】"


def respondent_of(a: Assessment) -> str:
    """The dossier key for who copied: the reports' reprinter label (WeChat account, else site)."""
    return a.reprinter.label()


def zh_date(value) -> str:
    day = china_day(value)
    return f"{day.year}年{day.month}月{day.day}日" if day else "不详"


def zh_time(value) -> str:
    """An ISO time as China time, to the minute: 2026年11月20日 09:30（北京时间）."""
    moment = parse_datetime(value) if value else None
    if moment is None:
        return "不详"
    if not has_time(to_iso(value)):
        return zh_date(value)
    local = moment.astimezone(CHINA_TZ)
    return f"{zh_date(local.date())} {local:%H:%M}（北京时间）"


def _copy_day_zh(e) -> str:
    return f"于{e.get('copy_day')}" + ("发布" if e.get("basis") == "published" else "首次被发现")


def licence_reason_zh(why: Reason, respondent: str, outlet: str) -> str:
    """The licence decision's reason (:class:`~reprintwatch.triage.reasons.Reason`) in the dossier's Chinese."""
    e, n = why.evidence, why.evidence.get("licence_id")
    if why.code == reasons.ENDED:
        return f"双方曾有的转载许可（第{n}号）已于{e.get('valid_until')}到期，该转载{_copy_day_zh(e)}，不在许可期内"
    if why.code == reasons.NOT_STARTED:
        return f"转载许可（第{n}号）自{e.get('valid_from')}起生效，该转载{_copy_day_zh(e)}，早于许可期"
    if why.code == reasons.VERBATIM_ONLY:
        return f"转载许可（第{n}号）仅允许原文转载，该转载经过删改，超出许可范围"
    if why.code == reasons.TIME_UNKNOWN:
        return f"转载时间不明，无法认定在许可（第{n}号）期内"
    if why.code == reasons.ACCOUNT_UNCONFIRMED:
        return f"转载许可（第{n}号）授予微信公众号“{e.get('account')}”，但该转载并非取自微信公众平台页面，无法确认为该公众号"
    if why.code == reasons.COVERED:
        scope = "可删改转载" if e.get("scope") == "may_edit" else "原文转载"
        dates = f"，有效期{e.get('valid_from') or '不限'}至{e.get('valid_until') or '不限'}" if e.get("valid_from") or e.get("valid_until") else ""
        return f"转载许可第{n}号（{scope}{dates}）"
    return f"投诉人未许可{respondent}转载{outlet}的作品"


def credit_zh(a: Assessment, outlet: str) -> str:
    att = a.attribution
    names = "、".join(f"“{n}”" for n in att.credited_outlets)
    if att.status == CREDITED:
        text = f"转载时注明了来源{names or '（原文链接）'}，但注明出处不能代替许可"
    elif att.status == CREDITED_OTHER:
        text = f"署名为{names}，未注明{outlet}为来源"
    else:
        text = "未注明来源"
    if att.stripped:
        text += "；删除了原文的" + "和".join(STRIPPED_ZH.get(s, s) for s in att.stripped)
    return text


def exclusion_reason(code: str, a: Assessment, last_seen) -> tuple[str, str]:
    """(English, Chinese) reason a finding is not in the dossier."""
    if code == EXCLUDED_AUTHORISED:
        return (f"authorised: {a.decision.reason}",
                f"已获授权（{licence_reason_zh(a.decision.why, '', '')}），不属侵权")
    if code == EXCLUDED_PUBLISHED_FIRST:
        return (
            f"published first: {a.first_publication_note}",
            "被投诉方的发布时间早于授权作品，现有证据不能证明其转载了投诉人的作品",
        )
    if code == EXCLUDED_POSSIBLE_EXCEPTION:
        hints = [h for h in a.hints if h.exception]
        return (
            "possible legal exception (a hint, not legal advice; include it with --include-possible-exceptions): "
            + "; ".join(describe_hint(h) for h in hints),
            "；".join(hint_zh(h) for h in hints) + "（系程序提示，非法律意见；经核实后可用 --include-possible-exceptions 纳入投诉）",
        )
    deadline = limitation_deadline(last_seen)
    return (
        f"time-barred: the copy was last seen online on {china_day(last_seen)}; the two-year limit ended {deadline}",
        f"超过两年投诉时效：该转载最近一次被发现在线于{zh_date(last_seen)}，时效已于{zh_date(deadline)}届满",
    )


KIND_ZH = {"flash": "简短消息", "template": "格式化报道", "report": "报道", "commentary": "评论", "editorial": "社论"}
TOPIC_ZH = {"political": "政治", "economic": "经济", "religious": "宗教"}


def hint_zh(h) -> str:
    """A possible-exception hint in the dossier's Chinese, with the rule it rests on."""
    p = h.params
    rule = "、".join(RULES[r][0] for r in h.rules[:2] if r in RULES)
    if h.code == FACTUAL_NEWS:
        what = f"{p.get('chars', '?')}字的{KIND_ZH.get(p.get('kind'), '消息')}，无引语、无评析"
        if p.get("family"):
            what += f"，属模板化稿件（{p['family']}）"
        return f"原作品可能属于单纯事实消息（{what}），不受著作权法保护（{rule}）"
    if h.code == OFFICIAL_DOCUMENT:
        return (f"原作品可能即是国家机关的文件（{p.get('issuer', '')}；{p.get('clauses', '?')}条编号条款，"
                f"公文用语每百字{p.get('register', '?')}处），不受著作权法保护（{rule}）")
    if h.code == CURRENT_AFFAIRS:
        topics = "、".join(zh for t, zh in TOPIC_ZH.items() if t in (p.get("topics") or {}))
        return (f"原作品为关于{topics or '时事'}问题的{KIND_ZH.get(p.get('kind'), '文章')}，转载方为媒体，注明了来源和标题，"
                f"原作品未声明不得转载，可能适用时事性文章的合理使用（{rule}）")
    return f"{h.code}（{rule}）"


def supporting_zh(a: Assessment) -> list[str]:
    """Facts the legal hints read that support a complaint, stated as facts (never the hint's judgement):
    the licensed article's reservation statement, and a changed title (both titles quoted)."""
    out = []
    for h in a.hints:
        if h.code == RESERVATION and h.certainty == FOUND:
            out.append(f"原作品载明“{h.params.get('statement', '')}”")
        elif h.code == TITLE_DISTORTED and h.certainty == POSSIBLE:
            out.append(f"转载时将标题《{h.params.get('licensed_title', '')}》改为《{h.params.get('copy_title', '')}》")
    return out


def _cut(text: str, limit: int = MAX_PASSAGE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def passage_pairs(a: Assessment) -> list[dict]:
    """The copied passages, longest first: the licensed text beside the copy's (original offsets)."""
    copy_text = a.finding.get("content") or ""
    licensed_text = a.licensed_text
    pairs = []
    for number, p in enumerate(a.finding.get("passages") or [], 1):
        try:
            ss, se = int(p["suspect_start"]), int(p["suspect_end"])
            ls, le = int(p["licensed_start"]), int(p["licensed_end"])
        except (KeyError, TypeError, ValueError):
            continue
        pairs.append({
            "n": number,
            "chars": max(0, se - ss),
            "copy_start": ss, "copy_end": se, "licensed_start": ls, "licensed_end": le,
            "copy": _cut(copy_text[ss:se]),
            "licensed": _cut(licensed_text[ls:le]) if licensed_text is not None else None,
        })
    pairs.sort(key=lambda p: (-p["chars"], p["n"]))
    return pairs[:MAX_PASSAGES]


def _work(a: Assessment, t: Tracking, respondent: str, outlet: str) -> dict:
    f = a.finding
    evidence = t.evidence or {}
    copied = sum(max(0, int(p.get("suspect_end", 0)) - int(p.get("suspect_start", 0)))
                 for p in f.get("passages") or [] if isinstance(p, dict))
    return {
        "finding_id": f.get("finding_id"),
        "licensed": {
            "id": f.get("licensed_id"), "title": f.get("licensed_title"), "outlet": f.get("licensed_outlet"),
            "url": f.get("licensed_url"), "published_at": f.get("licensed_published_at"),
        },
        "copy": {
            # who served the copy is the address fetched (after redirects); the page's canonical is a claim
            "url": a.reprinter.url or f.get("final_url") or f.get("url"),
            "claimed_url": f.get("canonical_url") or None, "title": f.get("title"),
            "published_at": f.get("published_at"), "platform": f.get("platform"), "site": f.get("site"),
            "account": f.get("account"), "first_seen": t.first_seen, "last_seen": t.last_seen,
            "state": t.state, "state_zh": STATE_LABELS_ZH.get(t.state, "未复查"), "state_at": t.state_at,
        },
        "verdict": f.get("verdict"),
        "verdict_zh": VERDICT_ZH.get(f.get("verdict"), f.get("verdict")),
        "similarity": f.get("similarity"),
        "licensed_coverage": f.get("licensed_coverage"),
        "suspect_coverage": f.get("suspect_coverage"),
        "copied_chars": copied,
        "licence": {"authorised": a.authorised, "reason": a.decision.reason,
                    "reason_zh": licence_reason_zh(a.decision.why, respondent, outlet),
                    "why": a.decision.why.to_dict()},
        "credit": {"status": a.attribution.status, "summary": a.attribution.summary(),
                   "summary_zh": credit_zh(a, outlet), "credited_outlets": list(a.attribution.credited_outlets),
                   "stripped": list(a.attribution.stripped)},
        "first_publication": a.first_publication_note,
        # what the legal hints found that supports the complaint (a reservation statement, a changed title)
        "legal_hints": [h.to_dict() for h in a.hints],
        "supporting_zh": supporting_zh(a),
        # two years from the last day the copy was seen online (a continuing infringement ends when it goes)
        "complaint_deadline": str(limitation_deadline(t.last_seen or f.get("checked_at")) or "") or None,
        "evidence": {
            "sha256": f.get("evidence_sha256") or evidence.get("sha256"),
            "fetched_at": evidence.get("fetched_at"),
            "fetched_url": evidence.get("final_url") or evidence.get("url"),
            "bundle": f"evidence/finding-{f.get('finding_id')}.zip",
            "bundle_manifest_sha256": None,  # filled in when the zip is written
        },
        "passages": passage_pairs(a),
        "history": t.history,
        "complaints": t.complaints,
    }


def _span(values) -> tuple[str | None, str | None]:
    """The earliest and latest of ISO times written in different zones (compared as instants)."""
    known = sorted((instant(v), v) for v in values if instant(v) is not None)
    return (known[0][1], known[-1][1]) if known else (None, None)


def application_sections(d: dict) -> list[dict]:
    """The application text (申请书), section by section, filled from the dossier's data."""
    h, r, works = d["complainant"], d["respondent"], d["works"]
    outlet = d["outlet"]
    head = [f"投诉人：{h['legal_name']}", f"地址：{h['address']}", f"联系方式：{h['contact']}"]
    if h.get("agent"):
        head.append(f"代理人：{h['agent']}（授权委托书：{h.get('power_of_attorney') or PENDING}）")
    head += [
        "",
        f"被投诉人：{r['name']}（{r['platform_zh']}" + (f"，{r['site']}" if r.get("site") and r["site"] != r["name"] and r["platform"] != "wechat" else "") + "）",
        "被投诉人地址：不详（请平台或著作权行政管理部门依法核实被投诉人的真实身份和联系地址）",
        "",
        f"投诉日期：{zh_date(d['date'])}",
    ]
    proofs = "；".join(h.get("proofs") or []) or PENDING
    rights = (
        f"投诉人是{outlet}的权利人，依法对下列作品享有著作权（包括信息网络传播权）。"
        f"权属证明：{proofs}。"
    )
    first, last = d["summary"]["first_seen"], d["summary"]["last_seen"]
    facts = [
        f"经监测，被投诉人在{r['platform_zh']}“{r['name']}”上，于{zh_date(first)}至{zh_date(last)}期间，"
        f"未经投诉人许可，转载投诉人享有著作权的作品{len({w['licensed']['id'] for w in works})}篇，"
        f"共{len(works)}处，具体如下："
    ]
    for i, w in enumerate(works, 1):
        lic, cp, ev = w["licensed"], w["copy"], w["evidence"]
        facts.append(
            f"{i}. 《{lic['title'] or lic['id']}》（{outlet}发布于{zh_time(lic['published_at'])}，原文链接：{lic['url'] or '无'}）"
            f"被{w['verdict_zh']}于 {cp['url']}（标题《{cp['title'] or '无标题'}》，发布于{zh_time(cp['published_at'])}；"
            f"首次发现于{zh_time(cp['first_seen'])}，最近一次发现在线于{zh_time(cp['last_seen'])}）。"
            f"复制约{w['copied_chars']}字，占原文的{float(w['licensed_coverage'] or 0):.0%}；"
            f"{w['licence']['reason_zh']}；{w['credit']['summary_zh']}。"
            + "".join(f"{x}。" for x in w.get("supporting_zh") or [])
            + f"取证时间：{zh_time(ev['fetched_at'])}，网页证据SHA-256：{ev['sha256'] or '无'}。"
            f"当前状态：{cp['state_zh']}。"
        )
    reasons = (
        "被投诉人未经许可，通过信息网络向公众提供投诉人享有著作权的作品，侵犯了投诉人的信息网络传播权"
        "（《中华人民共和国著作权法》第十条第一款第（十二）项、第五十三条）。转载时注明出处不能代替著作权人的许可。"
        f"上述侵权行为最近一次被发现于{zh_date(last)}，在两年投诉时效之内。"
    )
    request = (
        "请求依法删除或者断开上述侵权内容的链接（《信息网络传播权保护条例》第十四条），责令被投诉人停止侵权行为，"
        "并依法予以处理。"
    )
    attachments = [f"1. 投诉人主体资格证明及权属证明：{proofs}"]
    if h.get("agent"):
        attachments.append(f"2. 授权委托书：{h.get('power_of_attorney') or PENDING}")
    attachments.append(
        f"{len(attachments) + 1}. 侵权证据包{len(works)}份（evidence/finding-编号.zip），每份附清单及SHA-256，"
        "可用 reprintwatch evidence verify 核验"
    )
    return [
        {"heading": "著作权侵权投诉书", "text": "\n".join(head)},
        {"heading": "一、权利依据", "text": rights},
        {"heading": "二、侵权事实", "text": "\n".join(facts)},
        {"heading": "三、投诉理由", "text": reasons},
        {"heading": "四、投诉请求", "text": request},
        {"heading": "附件", "text": "\n".join(attachments)},
    ]


def build_dossier(
    holder: RightsHolder,
    respondent: str,
    outlet: str,
    items: Sequence[tuple[Assessment, Tracking]],
    today: _dt.date,
    generated_at: str,
    include_exceptions: bool = False,
) -> dict:
    """The dossier (plain data) for ``respondent``'s copies of ``outlet``'s articles. Pure.
    ``include_exceptions``: keep findings whose legal hints say an exception is possible (else set apart)."""
    sample = items[0][0].finding if items else {}
    platform = sample.get("platform") or ""
    # the name the complaint uses: a WeChat account's own name, else the reprinter as the reports label it
    name = (sample.get("account") if platform == "wechat" else "") or respondent
    works, excluded = [], []
    for a, t in sorted(items, key=lambda it: (str(it[0].finding.get("created_at")), str(it[0].finding.get("finding_id")))):
        last_seen = t.last_seen or a.finding.get("checked_at") or a.finding.get("created_at")
        code = exclusion(a.status, last_seen, today, a.hints, include_exceptions)
        if code:
            reason, reason_zh = exclusion_reason(code, a, last_seen)
            f = a.finding
            excluded.append({
                "finding_id": f.get("finding_id"), "url": a.reprinter.url or f.get("final_url") or f.get("url"),
                "title": f.get("title"), "licensed_id": f.get("licensed_id"), "licensed_title": f.get("licensed_title"),
                "reason_code": code, "reason": reason, "reason_zh": reason_zh,
            })
            continue
        works.append(_work(a, t, name, outlet))
    first, _ = _span(w["copy"]["first_seen"] for w in works)
    _, last = _span(w["copy"]["last_seen"] for w in works)
    dossier = {
        "format": DOSSIER_FORMAT,
        "generated_at": generated_at,
        "date": today.isoformat(),
        "outlet": outlet,
        "complainant": holder.to_dict(),
        "respondent": {
            "key": respondent,
            "name": name,
            "platform": platform,
            "platform_zh": PLATFORM_ZH.get(platform, platform or "网络平台"),
            "site": sample.get("site") or "",
            "account": sample.get("account") or "",
        },
        "summary": {
            "works": len(works),
            "excluded": len(excluded),
            "first_seen": first,
            "last_seen": last,
            "still_online": sum(1 for w in works if w["copy"]["state"] in (None, "online", "changed")),
            "missing": holder.missing(),
        },
        "works": works,
        "excluded": excluded,
    }
    dossier["application"] = application_sections(dossier) if works else []
    return dossier


def application_text(dossier: dict) -> str:
    return "\n\n".join(f"{s['heading']}\n{s['text']}" for s in dossier.get("application") or [])
