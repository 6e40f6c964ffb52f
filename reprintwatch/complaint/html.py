"""A dossier as one self-contained HTML page in Chinese: no scripts, no network, a strict
Content-Security-Policy, and every string that came from a page (titles, URLs, account names, texts)
escaped with the reports' :func:`~reprintwatch.report.html.esc`. Prints cleanly (print-to-PDF works).
"""
from __future__ import annotations

from ..output import CSP, esc, safe_link
from .dossier import application_text, zh_date, zh_time

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.7 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       color: #1d2330; background: #f6f7f9; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 24px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 30px 0 10px; border-bottom: 2px solid #d9dde5; }
h3 { font-size: 15px; margin: 0 0 6px; }
.meta { color: #5d6675; font-size: 13px; }
.application { background: #fff; border: 1px solid #d9dde5; border-radius: 8px; padding: 18px 24px; }
.application h3 { margin-top: 14px; } .application p { white-space: pre-wrap; margin: 4px 0; overflow-wrap: anywhere; }
.work { background: #fff; border: 1px solid #d9dde5; border-left: 5px solid #c0392b; border-radius: 8px;
        padding: 12px 16px; margin: 12px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; font-size: 14px; }
dt { color: #5d6675; } dd { margin: 0; overflow-wrap: anywhere; }
code { font-size: 12px; background: #f0f2f5; padding: 1px 4px; border-radius: 3px; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; background: #fff; font-size: 14px; }
th, td { border: 1px solid #d9dde5; padding: 6px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
td.pair { width: 50%; white-space: pre-wrap; }
mark { background: #ffe58a; }
.excluded { border-left-color: #b7791f; }
.warn { color: #b7791f; font-weight: 600; }
/* Printed (the PDF): the application starts on page 1 under the title, and flows; only small things are kept
   whole (a paragraph, a row, a work's facts), and no heading is left at a page's foot. Keeping the whole
   application or each work unbroken pushed the application to page 2 (page 1 held the title alone) and left
   headings stranded: 7 pages for 2 works before, 3 after (the report sample, 3ca1c19; tests/test_complaint_dossier.py checks it). */
@page { size: A4; margin: 14mm 13mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; line-height: 1.55; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 16pt; } h2 { font-size: 13pt; margin: 16px 0 6px; } h3 { font-size: 11pt; }
  h2, h3 { break-after: avoid-page; }
  .application { border: none; padding: 0; }
  .application p, dl, tr, li { break-inside: avoid-page; }
  .work { break-inside: auto; border: none; border-top: 2px solid #c0392b; border-radius: 0; padding: 8px 0 0; }
  .work dl { font-size: 9.5pt; }
  table { font-size: 9.5pt; }
}
"""


def _history(rows) -> str:
    if not rows:
        return '<p class="meta">尚未复查。</p>'
    out = ["<table><tr><th>状态</th><th>首次观察</th><th>最近观察</th><th>说明</th><th>证据 SHA-256</th></tr>"]
    for h in rows:
        out.append(
            f"<tr><td>{esc(h.get('state_zh') or h.get('state'))}</td><td>{esc(zh_time(h.get('checked_at')))}</td>"
            f"<td>{esc(zh_time(h.get('last_checked_at')))}</td><td>{esc(h.get('detail'))}</td>"
            f"<td><code>{esc(h.get('evidence_sha256') or '')}</code></td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def _complaints(rows) -> str:
    if not rows:
        return ""
    items = "".join(
        f"<li>{esc(zh_date(c.get('filed_at')))} 向 {esc(c.get('channel'))} 投诉，编号 {esc(c.get('reference') or '无')}"
        + (f"（{esc(c.get('note'))}）" if c.get("note") else "") + "</li>"
        for c in rows
    )
    return f"<h3>已提交的投诉</h3><ul>{items}</ul>"


def _passages(work) -> str:
    pairs = work.get("passages") or []
    if not pairs:
        return '<p class="meta">无逐段对照。</p>'
    out = ["<table><tr><th>#</th><th>原作品（投诉人）</th><th>被投诉转载</th></tr>"]
    for p in pairs:
        licensed = p.get("licensed")
        left = f"<mark>{esc(licensed)}</mark>" if licensed is not None else '<span class="meta">（原文不在授权索引中）</span>'
        out.append(
            f'<tr><td>{esc(p.get("n"))}</td><td class="pair">{left}</td>'
            f'<td class="pair"><mark>{esc(p.get("copy"))}</mark></td></tr>'
        )
    out.append("</table>")
    return "".join(out)


def _fetched(cp: dict) -> str:
    if not cp.get("claimed_url") or cp.get("claimed_url") == cp.get("url"):
        return ""
    return f"<dt>页面自称链接</dt><dd>{safe_link(cp.get('claimed_url'))}</dd>"


def _work(i: int, w: dict) -> str:
    lic, cp, ev = w["licensed"], w["copy"], w["evidence"]
    return f"""
<section class="work" id="finding-{esc(w['finding_id'])}">
<h3>{i}. 《{esc(lic.get('title') or lic.get('id'))}》 → 《{esc(cp.get('title') or '无标题')}》</h3>
<dl>
<dt>侵权链接</dt><dd>{safe_link(cp.get('url'))}</dd>{_fetched(cp)}
<dt>原文</dt><dd>{safe_link(lic.get('url'))}（发布于 {esc(zh_time(lic.get('published_at')))}）</dd>
<dt>转载发布时间</dt><dd>{esc(zh_time(cp.get('published_at')))}</dd>
<dt>首次 / 最近发现</dt><dd>{esc(zh_time(cp.get('first_seen')))} / {esc(zh_time(cp.get('last_seen')))}</dd>
<dt>复制情况</dt><dd>{esc(w.get('verdict_zh'))}，约 {esc(w.get('copied_chars'))} 字，占原文 {float(w.get('licensed_coverage') or 0):.0%}</dd>
<dt>许可</dt><dd>{esc(w['licence']['reason_zh'])}</dd>
<dt>署名</dt><dd>{esc(w['credit']['summary_zh'])}</dd>
<dt>当前状态</dt><dd>{esc(cp.get('state_zh'))}</dd>
<dt>取证时间</dt><dd>{esc(zh_time(ev.get('fetched_at')))}</dd>
<dt>网页 SHA-256</dt><dd><code>{esc(ev.get('sha256') or '无')}</code></dd>
<dt>证据包</dt><dd><code>{esc(ev.get('bundle'))}</code> 清单 SHA-256 <code>{esc(ev.get('bundle_manifest_sha256') or '')}</code></dd>
<dt>内部编号</dt><dd>finding #{esc(w['finding_id'])}</dd>
</dl>
<h3>逐段对照</h3>
{_passages(w)}
{_complaints(w.get('complaints'))}
<h3>下架跟踪</h3>
{_history(w.get('history'))}
</section>"""


def render_dossier_html(d: dict) -> str:
    r, h, s = d["respondent"], d["complainant"], d["summary"]
    title = f"著作权侵权投诉材料：{r['name']}（{d['outlet']}）"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body><main>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">投诉人 {esc(h["legal_name"])} · 被投诉人 {esc(r["name"])}（{esc(r["platform_zh"])}）· '
        f'生成于 {esc(zh_time(d["generated_at"]))} · 侵权作品 {esc(s["works"])} 篇 · 另列 {esc(s["excluded"])} 条</p>',
    ]
    if s.get("missing"):
        parts.append(f'<p class="warn">材料不全：{esc("；".join(s["missing"]))}</p>')
    if d.get("application"):
        parts.append('<h2>投诉书</h2><div class="application">')
        for sec in d["application"]:
            parts.append(f"<h3>{esc(sec['heading'])}</h3>")
            parts.extend(f"<p>{esc(line)}</p>" for line in sec["text"].split("\n"))
        parts.append("</div>")
    else:
        parts.append('<p class="warn">没有可投诉的侵权作品（见下方另列的记录）。</p>')
    if d["works"]:
        parts.append("<h2>侵权链接与证据</h2>")
        parts.extend(_work(i, w) for i, w in enumerate(d["works"], 1))
    if d["excluded"]:
        parts.append("<h2>未列入投诉的记录</h2><table><tr><th>编号</th><th>链接</th><th>原作品</th><th>原因</th></tr>")
        for x in d["excluded"]:
            parts.append(
                f"<tr><td>#{esc(x['finding_id'])}</td><td>{safe_link(x.get('url'))}</td>"
                f"<td>{esc(x.get('licensed_title') or x.get('licensed_id'))}</td><td>{esc(x['reason_zh'])}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def render_dossier_text(d: dict) -> str:
    """The application as plain text (for a platform's web form)."""
    return application_text(d) + "\n"
