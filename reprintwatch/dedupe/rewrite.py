"""洗稿 (rewrites): a suspect that follows one licensed article sentence by sentence — its facts, their
order, its structure — while 30–50% of its words are swapped for synonyms, clauses reordered and
sentences dropped. No long exact stretch survives, so the shingle path (``verify.py``) cannot see it.

What survives washing is what a rewrite must keep to stay the same story: **facts** — figures, dates,
names, places, rare terms — in their order, and, around them, a part of the ordinary words. This module
has the two halves of the rewrite path, both pure:

* :func:`facts` / :func:`rewrite_keys` — the candidate sketch: the article's facts (tokens with a digit,
  dictionary words rarer than ``rare_freq`` in jieba's dictionary, runs of uncommon single characters
  such as a name jieba does not know), MinHashed as a set and cut into LSH bands of their own (level 3).
* :func:`analyse` + :func:`verify_rewrite` — the verification: both texts are cut into sentences, every
  sentence pair gets an IDF-weighted token similarity (jieba's dictionary frequencies as document
  frequencies: swapped words are common ones, facts are rare and weigh most), and a monotonic alignment
  (dynamic programming, skips free) picks the best order-preserving chain of pairs. The verdict needs
  the chain to cover most of the licensed article, with similar sentences *and* with figures that
  agree — see :class:`RewriteThresholds` for each guard and the figure behind it.
"""
from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .arrays import fmix64, unique_sorted
from .normalize import PASSAGE_CODE_MAX_CHINESE, NormalizedText, is_code
from .quotes import quoted_spans
from .tokens import TokenTable, dictionary as _dictionary, is_common_figure, token_ids

__all__ = [
    "REWRITE", "RewriteThresholds", "DEFAULT_REWRITE_THRESHOLDS", "AlignedPair", "SharedFact",
    "RewriteVerification", "TextAnalysis", "analyse", "facts", "fact_keys", "verify_rewrite", "sentence_bounds",
    "RARE_FREQ", "COMMON_CHAR_FREQ", "SKETCH",
]

REWRITE = "rewrite"

# sentence ends in the original text: full stops, question/exclamation marks, semicolons, line breaks
_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


# What a fact is (part of the fingerprint parameters stored with an index, since the sketch keys depend on
# it): a dictionary word (2+ characters) at most RARE_FREQ frequent in jieba's dictionary is a rare term;
# a single character COMMON_CHAR_FREQ frequent or more is a function word, never part of a name run.
# Measured on the Sina/Xinhua news: at 500, the facts of 40%-rewritten articles keep a Jaccard of
# 0.28–0.37 (p10–p50) with their source against 0.08 (p90) for same-topic pairs.
RARE_FREQ = 500
COMMON_CHAR_FREQ = 50_000
SKETCH = "facts2"  # name of this sketch: stored with an index, so a change of definition needs a re-index


@dataclass(frozen=True)
class RewriteThresholds:
    """The rewrite verdict. Figures from ``bench/rewrite_pairs.py --seed 11`` on the Sina/Xinhua news (160
    rewrites a level made by ``bench/disguise.py:rewrite``, 2,773 same-category pairs sharing the most facts
    and no 20-character run): the p1 of rewrites with 50% of the words swapped against the p99 of those
    pairs."""

    # a sentence pair is aligned only from this IDF-weighted similarity on ...
    min_pair_similarity: float = 0.3
    # ... and the alignment gains (similarity - pair_bias) per pair, so weak pairs do not pad a chain
    pair_bias: float = 0.2
    # aligned licensed sentences hold at least this share of the licensed characters (rewrites: p5 0.66,
    # p1 0.43 on short sources; same-event pairs: p99 0.29 — two reports of one event differ in structure)
    min_coverage: float = 0.5
    # at least this many aligned pairs (a two-sentence earnings-date notice aligned with another company's
    # notice passed with two; with three, a headline repeated in the body plus two sentences on one event,
    # and a squad list, in bench/quality.py --seed 2; four costs 1% of short 50% rewrites)
    min_pairs: int = 4
    # mean similarity of the aligned pairs (rewrites at 50%: p1 0.46; at 40%: p1 0.54)
    min_mean_similarity: float = 0.45
    # facts shared by aligned pairs (rewrites: p1 14 on short sources; same-event pairs: p99 11 — but
    # those fail coverage; the one same-event report of an interview that passed the rest shared 6)
    min_shared_facts: int = 8
    # aligned pairs whose figures disagree (a template report of another day) do not count; when more
    # than this share of the pairs holding figures on both sides disagree, it is a template, not a rewrite
    max_figure_conflicts: float = 0.34
    # figures of an aligned pair agree when this share of the distinct figures of the side holding fewer is
    # in the other (before: any one figure). Washing swaps words, not figures: with both guards the rewrite
    # path still finds 80/80/79 of bench/same_event.py's 80 洗稿 at 30/40/50 %, as without. Two recaps of
    # one evening align a game's sentence with another game's — 刘诗雯以4比0（11比3、11比2…） against
    # 刘诗雯以4比0（11比7、11比7…）: a 4, a 0 and an 11 in common. Of the 30 pairs bench/sina_pairs.py
    # seeds 1–3 called rewrites (bdc6686), this alone removes 10, none a real wash: a swimming meet, two
    # table-tennis tournaments ×4, a health list translated twice, a speech ×2, a statement ×2.
    min_figure_agreement: float = 0.8
    # aligned suspect sentences hold at least this share of the suspect's characters (the whole pair, not a
    # sentence): a 洗稿 copy is the source's sentences and little else; a second report of one event aligns
    # on the sentences carrying the event's facts and holds much of its own. bench/same_event.py (bdc6686):
    # 洗稿 at 30/40/50 % p1 0.95/0.91/0.80 (80 a level; 0.79 with WeChat furniture around the copy). The 30
    # pairs bench/sina_pairs.py seeds 1–3 called rewrites, read by hand: 16 of the 28 wrong or unsure ones
    # lie under 0.45 (0.13–0.44: interviews, speeches, statements, a squad list), the 2 real washes at 0.50
    # and 0.55 (they add sentences of their own, or split the source's). No other whole-pair feature
    # measured (licensed coverage, the facts' share of the aligned weight, non-fact similarity, word
    # bigrams, suspect sentences like any licensed one) separates those two from the same-event pairs, so
    # the bar sits under them.
    min_suspect_coverage: float = 0.45
    # an aligned pair whose sentence lies inside quotation marks in one text and not in the other does not
    # count: a Weibo post or a statement quoted by one report and printed after 她写道： by another aligns
    # sentence by sentence (佘诗曼's tribute to 金庸, Sina seed 1: 0.46 of the suspect, all of it the post).
    # Washing leaves the marks: a 洗稿 copy's quotes align with the source's quotes. Skipping a quoted
    # sentence on either side lost 3 of 120 washes (30/40/50 %, 40 a level, seed 5); this rule, none more.
    skip_quoted: bool = True


DEFAULT_REWRITE_THRESHOLDS = RewriteThresholds()


@lru_cache(maxsize=200_000)
def _idf(token: str) -> float:
    """``log(total / (frequency + 1))`` with jieba's dictionary frequencies: swapped words are common and
    weigh little; figures, names and rare terms (frequency 0–500) weigh most."""
    freq, total = _dictionary()
    return math.log(total) - math.log(freq.get(token, 0) + 1.0)


# --- text analysis -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class TextAnalysis:
    """One text cut for the rewrite path: tokens, their sentence, weight and fact flags."""

    tokens: list[str]
    token_starts: np.ndarray  # normalised offset of each token
    sentence_of: np.ndarray  # sentence number of each token
    weights: np.ndarray  # IDF weight of each token
    is_fact: np.ndarray  # bool
    fact_spans: list[tuple[str, int, int]]  # (fact text, first token, last token + 1), in text order
    sentence_chars: np.ndarray  # normalised characters per sentence
    sentence_spans: np.ndarray  # (n_sentences, 2) normalised [start, end)
    sentence_weights: np.ndarray  # summed weight of each sentence's distinct tokens
    normalized: NormalizedText
    has_digit: np.ndarray | None = None  # bool per token: holds a digit (a figure); None: work it out
    #: bool per sentence: most of it lies inside quotation marks (``relations.quoted_spans``); None: none known
    quoted: np.ndarray | None = None
    #: the same with a quote left open read to the next closing mark (``quoted`` reads it from the last opening
    #: mark): a copier who dropped a closing mark leaves both readings possible; None: as ``quoted``
    quoted_open: np.ndarray | None = None
    #: bool per sentence: page code (:func:`code_sentences`); None: none known
    code: np.ndarray | None = None

    @property
    def n_sentences(self) -> int:
        return len(self.sentence_chars)


def sentence_bounds(normalized: NormalizedText, original: str) -> np.ndarray:
    """Sentence number of each normalised character, from the sentence punctuation of ``original``."""
    ends = np.array([m.start() for m in _SENTENCE_END.finditer(original)], dtype=np.int64)
    if len(normalized.offsets) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.searchsorted(ends, normalized.offsets, side="right").astype(np.int64)


def facts(tokens: list[str], rare_freq: int = RARE_FREQ,
          common_char_freq: int = COMMON_CHAR_FREQ) -> list[tuple[str, int, int]]:
    """The facts of a token list in order: ``(text, first token, last token + 1)``.

    A fact is a token holding a digit (figures, dates; 2+ characters — a lone digit is a list number more
    often than a fact), a dictionary word of 2+ characters at most ``rare_freq`` frequent in jieba's dictionary (陆家嘴, 证监会,
    报批), a word jieba does not know, or a run of 2–4 uncommon single characters (a name jieba does not
    know, cut into characters: 金 兴 明)."""
    table, ids = token_ids(tokens)
    return _fact_list(tokens, *_fact_bounds(table, ids, rare_freq, common_char_freq))


def _fact_bounds(table: TokenTable, ids: np.ndarray, rare_freq: int,
                 common_char_freq: int, breaks: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(first token, last token + 1)`` of each fact, in text order, from the token table's columns:
    vectorised end to end (the per-token Python passes were a quarter of ``fingerprint()``). ``breaks``:
    token positions where a run of single characters must not continue across (the first token of each
    text when ``ids`` holds several texts' tokens one after the other)."""
    if len(ids) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lens = table.length[ids]
    f = table.freq[ids]
    # normalised text holds letters and digits only: a token that is not all letters holds a digit
    digit = table.not_alpha[ids]
    single = (lens == 1) & ~digit & ~table.ascii[ids] & (f < common_char_freq)
    word = (lens >= 2) & (digit | (f <= rare_freq))
    starts, ends = np.flatnonzero(word), np.flatnonzero(word) + 1
    if single.any():
        edges = np.diff(np.concatenate(([0], single.astype(np.int8), [0])))
        if breaks is not None and len(breaks):  # a run holding a break is two runs: it ends and starts there
            cut = breaks[(breaks > 0) & single[breaks] & single[breaks - 1]]
            edges[cut] = -1  # the run before ends at the break (the break token is where it ends) ...
            a, b = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
            a, b = np.sort(np.concatenate((a, cut))), b  # ... and another starts at it
        else:
            a, b = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        run = (b - a >= 2) & (b - a <= 4)
        starts, ends = np.concatenate((starts, a[run])), np.concatenate((ends, b[run]))
        order = np.argsort(starts, kind="stable")  # starts are distinct: a run's tokens are single characters
        starts, ends = starts[order], ends[order]
    return starts, ends


def _fact_list(tokens: list[str], starts: np.ndarray, ends: np.ndarray) -> list[tuple[str, int, int]]:
    return [(tokens[a] if b == a + 1 else "".join(tokens[a:b]), a, b) for a, b in zip(starts.tolist(), ends.tolist())]


def fact_bounds_and_keys(tokens: list[str], table: TokenTable, ids: np.ndarray, rare_freq: int = RARE_FREQ,
                         common_char_freq: int = COMMON_CHAR_FREQ) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """``(first tokens, ends)`` of the :func:`facts` and their :func:`fact_keys`, for a text whose tokens are
    looked up already (``fingerprint``): a one-token fact's CRC and key-fact flag come from the token table;
    only name runs are joined and hashed here. The facts as strings (:func:`fact_list`) are left to the
    rewrite path that needs them: building the list for every text was a tenth of ``fingerprint()``."""
    return fact_bounds_and_keys_many([tokens], table, [ids], rare_freq, common_char_freq)[0]


def fact_bounds_and_keys_many(token_lists: list[list[str]], table: TokenTable, id_arrays: list[np.ndarray],
                              rare_freq: int = RARE_FREQ, common_char_freq: int = COMMON_CHAR_FREQ,
                              ) -> list[tuple[tuple[np.ndarray, np.ndarray], np.ndarray]]:
    """:func:`fact_bounds_and_keys` of several texts (their row numbers all in ``table``), the same values,
    computed over all their tokens at once: each text's facts were ~20 NumPy calls on a few hundred values,
    per-call overhead more than work (an eighth of ``index add``'s CPU, cProfile, 3,000 real articles)."""
    sizes = np.fromiter(map(len, id_arrays), dtype=np.int64, count=len(id_arrays))
    offsets = np.cumsum(sizes) - sizes
    ids = np.concatenate(id_arrays) if len(id_arrays) > 1 else np.asarray(id_arrays[0], dtype=np.int64)
    starts, ends = _fact_bounds(table, ids, rare_freq, common_char_freq, offsets[sizes > 0])
    owner = np.searchsorted(offsets, starts, side="right") - 1  # the text each fact is in
    one = ends == starts + 1
    first = ids[starts[one]]
    key = ~table.common_figure[first]
    crc, crc_owner = table.crc[first][key].astype(np.uint64), owner[one][key]
    multi = np.flatnonzero(~one)
    if len(multi):  # name runs: joined and hashed here
        # every run is a key fact: its tokens are single letters (``single`` in _fact_bounds: not a digit
        # token), and no letter is a digit (tokens.py), so is_key_fact (no common figure) holds for each —
        # asking it, the join's list and a generator were a third of this function (cProfile, 3,000 real
        # Sina articles in 500-article batches: ~8 runs an article)
        runs = ["".join(token_lists[o][a - at : b - at]).encode("utf-8") for o, a, b, at in zip(
            owner[multi].tolist(), starts[multi].tolist(), ends[multi].tolist(), offsets[owner[multi]].tolist())]
        crc = np.concatenate((crc, np.array(list(map(zlib.crc32, runs)), dtype=np.uint64)))
        crc_owner = np.concatenate((crc_owner, owner[multi]))
    keys = _mixed_keys(crc)
    # each text's keys sorted and unique (as _keys_of_crc makes them), by one sort over all texts
    order = np.lexsort((keys, crc_owner))
    keys, crc_owner = keys[order], crc_owner[order]
    keep = np.ones(len(keys), dtype=bool)
    keep[1:] = (keys[1:] != keys[:-1]) | (crc_owner[1:] != crc_owner[:-1])
    keys, crc_owner = keys[keep], crc_owner[keep]
    n = len(id_arrays)
    key_bounds = np.searchsorted(crc_owner, np.arange(n + 1)).tolist()
    fact_at = np.searchsorted(owner, np.arange(n + 1)).tolist()
    return [((starts[fact_at[i] : fact_at[i + 1]] - offsets[i], ends[fact_at[i] : fact_at[i + 1]] - offsets[i]),
             keys[key_bounds[i] : key_bounds[i + 1]]) for i in range(n)]


def fact_list(tokens: list[str], bounds: tuple[np.ndarray, np.ndarray]) -> list[tuple[str, int, int]]:
    """The facts ``(text, first token, last token + 1)`` from :func:`fact_bounds_and_keys`'s bounds."""
    return _fact_list(tokens, *bounds)


def analyse(normalized: NormalizedText, original: str, tokens: list[str], rare_freq: int = RARE_FREQ,
            common_char_freq: int = COMMON_CHAR_FREQ,
            fact_spans: list[tuple[str, int, int]] | None = None) -> TextAnalysis:
    """Cut a normalised text (and its jieba tokens) into what the rewrite path compares. ``fact_spans``:
    the text's :func:`facts` when they are known already (a fingerprint has them)."""
    table, tids = token_ids(tokens)
    lens = table.length[tids].astype(np.int64)
    starts = np.cumsum(lens) - lens
    per_char = sentence_bounds(normalized, original)
    if len(tokens):
        raw_sentence = per_char[starts]
        # renumber so sentences without tokens vanish
        uniq, sentence_of = np.unique(raw_sentence, return_inverse=True)
    else:
        sentence_of = np.zeros(0, dtype=np.int64)
        uniq = np.zeros(0, dtype=np.int64)
    weights = table.idf[tids]
    if fact_spans is None:
        fact_spans = _fact_list(tokens, *_fact_bounds(table, tids, rare_freq, common_char_freq))
    is_fact = np.zeros(len(tokens), dtype=bool)
    for _, a, b in fact_spans:
        is_fact[a:b] = True
    n_sent = len(uniq)
    sentence_chars = np.bincount(sentence_of, weights=lens, minlength=n_sent).astype(np.int64) if n_sent else np.zeros(0, np.int64)
    spans = np.zeros((n_sent, 2), dtype=np.int64)
    if n_sent:
        ends = starts + lens
        first = np.full(n_sent, np.iinfo(np.int64).max)
        np.minimum.at(first, sentence_of, starts)
        last = np.zeros(n_sent, dtype=np.int64)
        np.maximum.at(last, sentence_of, ends)
        spans[:, 0], spans[:, 1] = first, last
    # each distinct token once per sentence, summed in the order of the tokens' first appearance in the
    # text (the order of a vocabulary built token by token: the same floating-point sums as before)
    _, first_seen, inverse = np.unique(tids, return_index=True, return_inverse=True)
    rank = np.empty(len(first_seen), dtype=np.int64)
    rank[np.argsort(first_seen)] = np.arange(len(first_seen))
    local = rank[inverse.reshape(-1)] if len(tokens) else np.zeros(0, np.int64)
    _, first = np.unique(sentence_of * max(1, len(first_seen)) + local, return_index=True)
    sentence_weights = np.bincount(sentence_of[first], weights=weights[first], minlength=n_sent)
    return TextAnalysis(tokens, starts, sentence_of, weights, is_fact, fact_spans, sentence_chars, spans,
                        sentence_weights, normalized, table.has_digit[tids], *_quoted_sentences(original, normalized, spans),
                        code_sentences(original, normalized, spans))


def code_sentences(original: str, normalized: NormalizedText, spans: np.ndarray) -> np.ndarray:
    """Per sentence (normalised ``[start, end)`` in ``spans``): page code — an ad script, a channel's CSS — by
    the test a copied passage gets (:func:`normalize.is_code` with ``PASSAGE_CODE_MAX_CHINESE``). Sina pages end
    with one ad loader (``var adScript = document.createElement('script')…``): two reports of one speech by 马云
    aligned it as one more sentence pair at similarity 1.00, the loader's URL a 200-letter "fact" (bench/
    sina_pairs.py seed 2, main e71b9b0)."""
    out = np.zeros(len(spans), dtype=bool)
    if not len(spans) or not any(c in original for c in "{};="):
        return out  # no code syntax to speak of (most texts): no sentence is code
    offsets = normalized.offsets
    for k, (a, b) in enumerate(spans.tolist()):
        if b > a:
            out[k] = is_code(original[offsets[a]:offsets[b - 1] + 1], PASSAGE_CODE_MAX_CHINESE)
    return out


def _quoted_sentences(original: str, normalized: NormalizedText, spans: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence (normalised ``[start, end)`` in ``spans``): whether half or more of its characters lie
    inside quotation marks of ``original`` (a post, a statement, a speech quoted) — read two ways where a quote
    is left open (``TextAnalysis.quoted`` and ``quoted_open``)."""
    # a span holding another opening mark holds a quote left open (a 洗稿 copy that dropped the sentence closing
    # it). Which part is the quote depends on which mark was dropped: bench/quality.py rewrite_0.5_short-0077
    # aligns only when the quote is what follows the last opening mark, rewrite_0.3_short-0077 (the same
    # source, the long statement's closing sentence dropped) only when it runs from the first one on; both
    # readings are kept and an aligned pair is skipped only when both say one side is quoted and the other not
    found = quoted_spans(original)
    tight = []
    for a, b in found:
        k = max(original.rfind(m, a, b) for m in "“「『")
        tight.append((k + 1, b) if k >= 0 else (a, b))
    return _inside_sentences(tight, original, normalized, spans), _inside_sentences(found, original, normalized, spans)


def _inside_sentences(quotes, original: str, normalized: NormalizedText, spans: np.ndarray) -> np.ndarray:
    if not quotes or not len(spans):
        return np.zeros(len(spans), dtype=bool)
    inside = np.zeros(len(original) + 1, dtype=np.int32)
    for a, b in quotes:
        inside[a] += 1
        inside[b] -= 1
    per_char = np.cumsum(inside)[normalized.offsets] > 0
    before = np.concatenate(([0], np.cumsum(per_char)))
    held = before[spans[:, 1]] - before[spans[:, 0]]
    return held * 2 >= np.maximum(1, spans[:, 1] - spans[:, 0])


# --- the candidate sketch ----------------------------------------------------------------------------


_LEVEL = np.uint64(3)  # band keys of the other fingerprints are levels 1 (article) and 2 (window)


def is_key_fact(fact: str) -> bool:
    """Facts that make candidate keys: all but 1–2 digit numbers and years (10, 11, 2018 — days, months and
    years are in most articles: on the Sina/Xinhua news they made 60% of the index rows a candidate query
    reads, for no rewrite found). They stay facts for the alignment and its evidence."""
    return not is_common_figure(fact)


def fact_keys(fact_spans: list[tuple[str, int, int]]) -> np.ndarray:
    """The rewrite candidate keys of a text: one int64 per distinct key fact (:func:`is_key_fact`), apart
    from every band key.

    Facts are keys themselves (no MinHash): a rewrite shares 20–45 of them with its source (p10 on the
    benchmark), a same-topic article a handful, and an index ranks candidates by the count. Facts held by
    very many articles (中国 is no fact; 北京时间 is) are ignored like any hot band key
    (``index.base.max_key_frequency``)."""
    names = [f for f, _, _ in fact_spans if is_key_fact(f)]
    crc = np.fromiter((zlib.crc32(f.encode("utf-8")) for f in names), dtype=np.uint64, count=len(names))
    return _keys_of_crc(crc)


def _keys_of_crc(crc: np.ndarray) -> np.ndarray:
    if len(crc) == 0:
        return np.zeros(0, dtype=np.int64)
    # a CRC is 32 bits and fmix64 a bijection: distinct CRCs give distinct keys, one sort-unique at the end
    return unique_sorted(_mixed_keys(crc))


def _mixed_keys(crc: np.ndarray) -> np.ndarray:
    """The key of each fact CRC (``uint64``), unsorted, as ``int64``."""
    return fmix64(np.asarray(crc, dtype=np.uint64) | (_LEVEL << np.uint64(40))).view(np.int64)


# --- verification ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AlignedPair:
    suspect_start: int
    suspect_end: int
    licensed_start: int
    licensed_end: int
    similarity: float

    def to_dict(self) -> dict:
        return {"suspect_start": self.suspect_start, "suspect_end": self.suspect_end,
                "licensed_start": self.licensed_start, "licensed_end": self.licensed_end,
                "similarity": self.similarity}


@dataclass(frozen=True)
class SharedFact:
    text: str
    suspect_start: int
    licensed_start: int

    def to_dict(self) -> dict:
        return {"text": self.text, "suspect_start": self.suspect_start, "licensed_start": self.licensed_start}


@dataclass(frozen=True)
class RewriteVerification:
    is_rewrite: bool
    score: float  # 0–1: coverage × mean similarity of the aligned chain, figures agreeing
    coverage: float  # share of the licensed characters in aligned sentences
    mean_similarity: float
    figure_conflicts: int
    pairs: tuple[AlignedPair, ...] = field(default_factory=tuple)
    shared_facts: tuple[SharedFact, ...] = field(default_factory=tuple)
    suspect_coverage: float = 0.0  # share of the suspect's characters in aligned sentences

    def to_dict(self) -> dict:
        """The evidence a person needs: the score, the aligned sentence pairs (original offsets of both
        texts, with their similarity) and the facts both share, in licensed order."""
        return {
            "score": self.score,
            "aligned_coverage": self.coverage,
            "suspect_aligned_coverage": self.suspect_coverage,
            "mean_similarity": self.mean_similarity,
            "figure_conflicts": self.figure_conflicts,
            "aligned_sentences": [p.to_dict() for p in self.pairs],
            "shared_facts": [f.to_dict() for f in self.shared_facts],
        }


_NO_REWRITE = RewriteVerification(False, 0.0, 0.0, 0.0, 0)


def _figures(a: TextAnalysis) -> list[set[str]]:
    out: list[set[str]] = [set() for _ in range(a.n_sentences)]
    if a.has_digit is None:
        figures = [i for i, tok in enumerate(a.tokens) if any(ch.isdigit() for ch in tok)]
    else:
        figures = np.flatnonzero(a.has_digit).tolist()
    sentence_of = a.sentence_of.tolist()
    for i in figures:
        out[sentence_of[i]].add(a.tokens[i])
    return out


def similarity_matrix(s: TextAnalysis, l: TextAnalysis) -> np.ndarray:
    """IDF-weighted Dice similarity of every (suspect sentence, licensed sentence) pair: twice the weight
    of the distinct tokens the two sentences share over the weight of each one's distinct tokens.

    The shared weight is summed over (suspect sentence, licensed sentence, shared token) triples with one
    ``bincount``, not as a product of dense incidence matrices: that product went through OpenBLAS, whose
    worker threads spin on the other core — 0.2 ms of CPU became 3–7 ms of wall clock on the shared
    2-core machine, and they took CPU from the other ``--jobs`` worker."""
    shared_tokens = set(s.tokens).intersection(l.tokens)
    vocab = {t: k for k, t in enumerate(shared_tokens)}
    weight = np.zeros(len(vocab))
    for tok, k in vocab.items():
        weight[k] = _idf(tok)

    def incidence(a: TextAnalysis) -> tuple[np.ndarray, np.ndarray]:
        """``(sentence, column)`` of each distinct shared token of each sentence, by column."""
        cols = np.fromiter((vocab.get(t, -1) for t in a.tokens), dtype=np.int64, count=len(a.tokens))
        has = cols >= 0
        pairs = np.unique(cols[has] * max(1, a.n_sentences) + a.sentence_of[has])
        return pairs % max(1, a.n_sentences), pairs // max(1, a.n_sentences)

    n, m = s.n_sentences, l.n_sentences
    s_sent, s_col = incidence(s)
    l_sent, l_col = incidence(l)
    per_col = np.bincount(l_col, minlength=len(vocab))
    first_l = np.cumsum(per_col) - per_col
    partners = per_col[s_col]  # licensed sentences holding each suspect (sentence, token)'s token
    total = int(partners.sum())
    within = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    l_of = l_sent[np.repeat(first_l[s_col], partners) + within]
    shared = np.bincount(np.repeat(s_sent, partners) * m + l_of, weights=np.repeat(weight[s_col], partners),
                         minlength=n * m).reshape(n, m)
    denom = s.sentence_weights[:, None] + l.sentence_weights[None, :]
    return np.where(denom > 0, 2 * shared / np.maximum(denom, 1e-9), 0.0)


def align(sim: np.ndarray, min_similarity: float, bias: float) -> list[tuple[int, int]]:
    """The order-preserving chain of (suspect, licensed) sentence pairs with the largest total
    ``similarity - bias`` (pairs under ``min_similarity`` not allowed; skipping a sentence is free)."""
    n, m = sim.shape
    gain = np.where(sim >= min_similarity, sim - bias, -np.inf)
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):
        row_gain = gain[i - 1]
        prev = best[i - 1]
        diag = prev[:-1] + row_gain
        cur = np.maximum(prev[1:], diag)  # skip suspect sentence i, or take (i, j)
        # skip licensed sentence j: running maximum along the row
        cur = np.maximum.accumulate(np.maximum(cur, 0.0))
        best[i, 1:] = cur
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if best[i, j] == best[i - 1, j]:
            i -= 1
        elif best[i, j] == best[i, j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


def verify_rewrite(s: TextAnalysis, l: TextAnalysis,
                   t: RewriteThresholds = DEFAULT_REWRITE_THRESHOLDS) -> RewriteVerification:
    """Does suspect ``s`` rewrite licensed ``l`` sentence by sentence? See the module doc."""
    if not s.n_sentences or not l.n_sentences:
        return _NO_REWRITE
    sim = similarity_matrix(s, l)
    chain = align(sim, t.min_pair_similarity, t.pair_bias)
    if not chain:
        return _NO_REWRITE
    fs, fl = _figures(s), _figures(l)
    kept, conflicts, with_figures = [], 0, 0
    s_quoted = s.quoted if s.quoted is not None else np.zeros(s.n_sentences, dtype=bool)
    l_quoted = l.quoted if l.quoted is not None else np.zeros(l.n_sentences, dtype=bool)
    s_open = s.quoted_open if s.quoted_open is not None else s_quoted
    l_open = l.quoted_open if l.quoted_open is not None else l_quoted
    s_code = s.code if s.code is not None else np.zeros(s.n_sentences, dtype=bool)
    l_code = l.code if l.code is not None else np.zeros(l.n_sentences, dtype=bool)
    for i, j in chain:
        if s_code[i] or l_code[j]:
            continue  # page code is neither text's prose (see code_sentences)
        if t.skip_quoted and s_quoted[i] != l_quoted[j] and s_open[i] != l_open[j]:
            continue  # a post or a statement both quote is no one's prose (see RewriteThresholds.skip_quoted)
        if fs[i] and fl[j]:
            with_figures += 1
            if len(fs[i] & fl[j]) < t.min_figure_agreement * min(len(fs[i]), len(fl[j])):
                conflicts += 1
                continue
        kept.append((i, j))
    if not kept:
        return _NO_REWRITE
    covered = int(l.sentence_chars[[j for _, j in kept]].sum())
    # shares of each whole text, page code included: measured as shares of their prose instead (code out of
    # both sums), two 澎湃 versions of a speech report rose from 0.42-0.44 of the suspect aligned to 0.60-0.64
    # against 上证报's report of the speech and became rewrites (bench/sina_pairs.py seed 2) — a Sina page's
    # ad loader is a third of a short item's letters once normalised
    coverage = covered / max(1, int(l.sentence_chars.sum()))
    suspect_coverage = int(s.sentence_chars[[i for i, _ in kept]].sum()) / max(1, int(s.sentence_chars.sum()))
    mean_sim = float(np.mean([sim[i, j] for i, j in kept]))
    shared = _shared_facts(s, l, kept)
    conflict_share = conflicts / with_figures if with_figures else 0.0
    is_rewrite = (
        coverage >= t.min_coverage
        and len(kept) >= t.min_pairs
        and mean_sim >= t.min_mean_similarity
        and len(shared) >= t.min_shared_facts
        and conflict_share <= t.max_figure_conflicts
        and suspect_coverage >= t.min_suspect_coverage
    )
    so, lo = s.normalized.offsets, l.normalized.offsets
    pairs = tuple(
        AlignedPair(int(so[s.sentence_spans[i, 0]]), int(so[s.sentence_spans[i, 1] - 1]) + 1,
                    int(lo[l.sentence_spans[j, 0]]), int(lo[l.sentence_spans[j, 1] - 1]) + 1,
                    round(float(sim[i, j]), 4))
        for i, j in kept
    )
    return RewriteVerification(is_rewrite, round(coverage * mean_sim, 4), round(coverage, 4), round(mean_sim, 4),
                               conflicts, pairs, tuple(shared), round(suspect_coverage, 4))


def _shared_facts(s: TextAnalysis, l: TextAnalysis, kept: list[tuple[int, int]]) -> list[SharedFact]:
    """Facts found in both sentences of an aligned pair, in licensed order (each fact once)."""
    by_sentence_s: dict[int, dict[str, int]] = {}
    for text, a, _ in s.fact_spans:
        by_sentence_s.setdefault(int(s.sentence_of[a]), {}).setdefault(text, int(s.token_starts[a]))
    by_sentence_l: dict[int, list[tuple[str, int]]] = {}
    for text, a, _ in l.fact_spans:
        by_sentence_l.setdefault(int(l.sentence_of[a]), []).append((text, int(l.token_starts[a])))
    out, seen = [], set()
    so, lo = s.normalized.offsets, l.normalized.offsets
    for i, j in kept:
        mine = by_sentence_s.get(i, {})
        for text, l_start in by_sentence_l.get(j, ()):
            if text in mine and text not in seen:
                seen.add(text)
                out.append(SharedFact(text, int(so[mine[text]]), int(lo[l_start])))
    return out
