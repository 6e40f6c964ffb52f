"""The detection pipeline as a library: fingerprint licensed articles into an index, check suspects.

>>> from reprintwatch import Article, Detector, SQLiteIndex
>>> detector = Detector(SQLiteIndex("licensed.db"))
>>> detector.add([Article(id="a1", content="……", outlet="江南日报")])
>>> result = detector.check(Article(id="s1", content="……"))
>>> [m.to_dict() for m in result.matches]
>>> results = list(detector.check_many(articles, jobs=2))   # in input order, on two cores

Work per check is bounded: licensed articles that are *versions of one text* (a wire story carried by
several outlets, a correction, an update) form a story, known since they were indexed (``dedupe/relations.py``);
candidates come from the index's key table one representative a story (its member sharing most band keys),
most shared band keys first, at most ``max_candidates`` stories. Only the representatives are read and
verified; the other members of a story are read only when its representative is a reprint, and listed with it
(``Match.versions``). Edits of one text that are not versions of each other (two outlets each cutting other
sentences) may be different stories in the index: a check still joins them (:class:`_Stories`).
"""
from __future__ import annotations

import collections
import dataclasses
import itertools
import math
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Sequence

import numpy as np

from .articles import Article
from .dedupe.arrays import unique_sorted
from .dedupe.fingerprint import Fingerprint, fingerprint, fingerprint_many, stretch_band_keys
from .dedupe.normalize import NormalizedText, Removed, is_code, normalize
from .dedupe.rewrite import (
    DEFAULT_REWRITE_THRESHOLDS, REWRITE, RewriteThresholds, RewriteVerification, TextAnalysis, analyse,
    verify_rewrite,
)
from .dedupe.relations import (
    FAMILY_MIN_HOLDERS, INDEX_KEY_SHARE, INDEX_MIN_OTHER_STORIES, STANDS_OUT, VERSION_MIN_OVERLAP, VERSION_MIN_SIZE_RATIO, WHOLE_COVERAGE, Claim,
    common_is_moot, explain_away, facts_of_one_event, held_by_many, held_elsewhere, not_the_outlets, issued_documents, official_item, official_text, own_document, presented_as_said, reports_document, product_copy, introduced_document, release_lines, quoted_rules, reads_as_document, overlaps, own_voice, quotations, quoted_spans, relayed_lines, reworded, roster_lines, said_documents, shared_count, spoken_words, version_overlap,
)
from .dedupe.score import score
from .dedupe.templates import (
    ALIGNED_SLOT_MIN_PAIRS, aligned_title_slots, headline_figure_missing, series_siblings, template_spans,
)
from .dedupe.segment import segment
from .dedupe.verify import (
    DEFAULT_THRESHOLDS, FULL_REPRINT, NO_MATCH, PARTIAL_REPRINT, Passage, Thresholds, Verification,
    _min_shared_shingles as min_shared_shingles, bounds_many, extend_licensed_passages,
    near_partial, verify, without_code,
)
from .index.base import AddResult, IndexedArticle, LicensedIndex

VERDICTS = (FULL_REPRINT, PARTIAL_REPRINT, REWRITE, NO_MATCH)

#: The detection rules' version, kept with every finding and every checked suspect in the store. Bump it in
#: the same commit as any change to what a check reports as a finding (verify's thresholds, attribution in
#: dedupe/relations.py, the rewrite path, what is discounted): a store holding findings of another version
#: is re-judged by ``reprintwatch findings rejudge`` (reprintwatch/rejudge.py; ``ingest run`` does it on
#: open), and until then its readers refuse it rather than mix old-rule and new-rule findings.
#: 1: before issue 19 (every verified pair a finding); 2: issue 19's attribution (siblings listed, text many
#: licensed articles share and quotations discounted, articles copied whole first); 3: a template family's
#: members count only their own text, a quote in marks on one side and after a colon or verb of saying on the
#: other is a quotation (wip/partials a9af8cd); 4: stories known at index time (issue 23: one representative a
#: story verified, its other members listed as versions, not reported); 5: the rewrite path's same-event
#: guards (figures of an aligned pair agree at 80 %, aligned sentences hold 45 % of the suspect; wip/rewrites);
#: 6: a partial reprint needs a 50-character passage (or 30-character ones that are half the suspect), a pair
#: under it with a partial's copied text in 30-character passages goes to the rewrite path, and text three
#: licensed stories hold is shared text (FAMILY_MIN_HOLDERS 4 -> 3; wip/precise); 7: a partial's passage two
#: other stories of the whole index hold is shared text (Detector._held_across_index; wip/precise); 8: template
#: siblings (a passage's sentences where the two texts hold other figures are no evidence; wip/fullrw); 9: a
#: passage inside the document a licensed article reproduces after a cue (…通知如下：, 以下为演讲全文：) and a
#: passage of page code are no evidence of copying it (relations.not_the_outlets; wip/partials4); 10: a claim whose
#: copied text is in an official document's register, by a suspect whose own text is too, is no evidence of
#: copying the outlet (relations.official_text; wip/partials5); and the rewrite path aligns no page code
#: (rewrite.code_sentences; wip/rewrites5); 11: two items of a template that differ at a headline figure (a
#: figure of one's title its own text holds and the other's does not) are template siblings however many of the
#: day's common figures agree (templates.headline_figure_differs; wip/fulls6); and a partial's passage both texts
#: give as someone's words without marks — from a verb of saying, a filing's 显示 or a colon on in both, to that
#: sentence's end — is a quotation (relations.spoken_words; wip/partials6); 12: spoken words also after a bare verb
#: (曹限东认为…) and from inside a quote that closes on an attribution (…”邬贺铨指出，…), and official_text reads the
#: fragments of a licensed item that is itself in the register (relations; wip/partials7), and the
#: numbered items of a list (1。…；2。…, （1）…；) a suspect in the register gives as its own document's, when the
#: licensed item numbers them too or is in the register (relations.numbered_item; wip/official8); a partial's sentences
#: of figures (a box score, a quarter's figures) are the facts of one event when the suspect's own text reports
#: that event with figures the licensed article lacks (relations.facts_of_one_event; wip/events7); two items whose
#: sentence goes on differently in each, each text's part holding a term of its own title (新浪娱乐's casting
#: items of one film, …消息，休·格兰特加盟…; a 直击 series' lead, …为主题。在会议期间，网易创始人丁磊…) are template
#: siblings in that sentence (templates.title_slot_spans; wip/fulls7); and a pair discounted as a quotation is
#: no rewrite when the suspect is that quotation word for word (QUOTED_WASH_MAX_COVERAGE; wip/fulls7).
#: 13: two items of a template whose aligned sentences part at their titles' terms in two pairs or more (two firms'
#: earnings-date notices, …拼多多(NASDAQ:PDD)宣布，将于… / …优信(Nasdaq:UXIN)今日宣布，将于…) are no rewrite
#: (templates.aligned_title_slots; wip/fulls9); spoken words also after a verb with 了 before its comma (提到了，) or a question put (有乘客质疑，), and from
#: later in the sentence an attribution opens in both texts when nothing of either sentence before them is copied
#: (…表示，移动互联网下半场，腾讯要做好…); a post the suspect embeds and quotes is a quotation where it quotes it;
#: and a document the suspect reproduces after a cue (…的反馈：, …全文：) whose words the licensed report gives
#: after an attribution is not the report's (relations._said_earlier, _said_again, said_documents; wip/speech9);
#: and a partial of a licensed item that is itself a state organ's document, half the suspect (legal's
#: official_document_possible, via relations.official_item), is the document's, a passage of a document the licensed
#: item reproduces after a cue is no evidence where the suspect names the document in that sentence or the one before
#: (relations.presented_as_document), and officials' career lines an appointments report carries are the state's
#: record (relations.career_lines; wip/official9).
#: 14: a party's paper speaking (…声明中表示，/ 神州数码发布公告称，/ 财报显示，, a date ahead of it) is someone's words
#: even where the passage holds that whole clause in both texts; words handed over by a verb of saying and a colon
#: (她写道：…) run to the paragraph's end, not the first sentence; and spoken words met again elsewhere in the suspect
#: (a post embedded at its top) are the speaker's there too (relations._speech_region, spoken_words; wip/statements10).
#: 14: a full reprint holding nowhere the licensed title's figure of 3+ digits its own text states is a partial
#: reprint of the text around the item's news (templates.headline_figure_missing, detector._without_headline;
#: wip/rewrites10).
#: 14: a claim (partial, or full not taken whole) of a suspect that is
#: itself a document — in the register, in clauses, no reporter's voice — holding more of one than it shares is the
#: document's (relations.reads_as_document, own_document), a state organ's document's text counted out of its own
#: claim (rules 13) is counted out of the check's others, a rule the suspect quotes as such is the rule's
#: (relations.quoted_rules), and a document the suspect prints whole is read on through the licensed text's quoted
#: block (relations._said_on; wip/official10).
#: 15: page code (script lines: an ad loader, a page widget) counted out of both texts' coverage, a partial reprint
#: attribution keeps that is then a whole copy of the licensed prose and most of the suspect's a full reprint
#: (verify.without_code, detector._whole_without_code); and two items of one series — their
#: titles one series head at different issue numbers (足彩18146期 / 18145期, 时装粥Vol.6 / Vol.7, 国考报名第八日 /
#: 第七日), or the licensed item's links listing the suspect's title — share the series' text, no evidence of
#: copying (templates.series_siblings; wip/furniture11).
#: 15: someone's words past their first sentence (wip/speech11): a block both texts give under a speaker's name and a
#: colon, each with a clause of its own (汪明荃： / 汪明荃（…扮演者）：), runs to the paragraph's end; words one text
#: hands over right at the passage and the other earlier in its sentence are the speaker's (relations._cued_apart,
#: spoken_words); and a speech or letter the licensed text prints whole after a cue it introduces (以下为…全文：) is
#: no evidence where the suspect gives it after an attribution earlier in its sentence, or in the run of words that
#: follows one (relations.presented_as_said, quotes.introduced_document).
#: 15: a partial's passage the suspect credits to a third party writing in Chinese (据财新网报道，/ @财经网: / 据新华社电)
#: that the licensed text credits too or names another outlet as its own (新快报讯) is that party's, and a passage in
#: a list naming three people by post in both texts is an event's roster — not in a washed copy of the licensed text
#: (relations.relayed_lines, roster_lines, reworded; wip/source11).
#: 16: a document a state organ signs after its last sentence (教育部, 国家公务员局) is read as a document whatever its
#: rate of rule markers — a ministry's opinions are policy, not rules — both as a suspect (own_document) and as a
#: licensed item (official_item); and a partial of a licensed state document is the document's whatever share of the
#: suspect it is when the suspect is a document itself, and all of it when rules 10/12 took only part (relations.
#: signed_by_state, signed_document, official_text; wip/official12).
#: 16 also: someone's words counted out of one claim (a document the suspect gives as said, a document it prints that the
#: licensed text quotes, words both give as spoken) are counted out of a full reprint not taken whole holding that
#: suspect text, and a version of a claim attribution discounted is not aligned again by the rewrite path
#: (detector._attribution's with_words, _rewrites; wip/claims12).
#: 16 also: a product's name, price and blurb that lie in both texts' shopping cards (a beauty item's picks: 兰蔻小黑瓶
#: 发光眼霜 ￥520/15ml 这瓶眼霜…) are the brand's copy every shopping item pastes, no evidence of copying either item —
#: unless a passage runs across two of the suspect's card names, a run of the list copied as it stands
#: (relations.product_cards, product_copy; wip/release12).
#: 17: two documents an organ issues (its issuing formulae in both: 现印发给你们，请遵照执行 / 现将有关事项通知如下) share
#: the issuer's stock text, not an outlet's, when the suspect has text of its own that is not the licensed text
#: reworded; and a partial of a licensed state document is the document's whatever share of the suspect it is when
#: the suspect names the organ that issued it outside the claim — a report of it, not a page an excerpt is pasted
#: into (relations.issued_documents, reports_document; wip/official13).
#: 17 also: an event's release both reports carry — a partial claim whose passages lie in an announcement (an event's or a
#: deal's name with what is announced there: 首届…博览会开幕, 签署战略合作协议) in both texts, not mostly quoted words, while
#: both texts tell the event around it in their own words (relations.release_lines; wip/release13).
#: 17 also: a party's own document in its own voice — an open letter, a statement, a notice, a post, a speech given as a
#: block — handed over by a cue of its own (…全文：/ 附：/ 声明：, a salutation 各位合作伙伴：, a speaker's name and a
#: colon, a post's @account at a page's top) and carrying its first person (我们 / 我司 / 我局), that the other text gives
#: so too or as said, the outlet's report around it not copied, is the party's, no evidence of copying either report
#: (relations.own_voice; wip/statement13).
RULES_VERSION = 17

#: A pair discounted as a quotation is a rewrite (its sentences aligned: a 洗稿 copy's surviving exact passages
#: are its quotes, washing leaves them alone) only while the suspect is not the quotation word for word: less
#: than this share of it copied exactly. 洗稿 copies (bench/disguise.py rewrite at 30/40/50 %, 120 articles each,
#: 8f4e99f) hold 0.17-0.39 of themselves exactly when rescued that way, 0.72 at most of any; the one such pair
#: of Sina seeds 1-8 over 0.8 is 0.98: a speech's full text (习近平's 进博会 address) that a 投资界 report quotes
#: whole — the speech, not a wash of the report (rules 12).
QUOTED_WASH_MAX_COVERAGE = 0.8

_VERDICT_RANK = {v: i for i, v in enumerate(VERDICTS)}

#: Under a story that explains it (its reported version is a reprint, or the candidate shares too few shingles
#: with the suspect for any verdict), an edit of the same text sharing this much is listed too: two outlets
#: cutting one wire story each drop other sentences (bench/speed.py's copies, ~15 % of the tokens dropped
#: each: 0.65–0.79 between two copies, 0.85–0.99 against the original, 0.0–0.45 between different stories).
EDIT_MIN_OVERLAP = 0.65


@dataclass(frozen=True)
class Version:
    """A licensed article that is a version of a reported match's text; not verified on its own."""

    licensed: Article
    overlap: float  # share of the smaller one's distinct shingles found in the other

    def to_dict(self) -> dict:
        return {"licensed_id": self.licensed.id, "outlet": self.licensed.outlet, "title": self.licensed.title,
                "url": self.licensed.url, "overlap": round(self.overlap, 4)}


class _Candidate:
    """A candidate of one check: its record, its distinct shingles and how many of them the suspect has."""

    __slots__ = ("record", "shingles", "in_suspect", "held", "index", "_can_match", "_bound")

    def __init__(self, record: IndexedArticle, in_suspect: int, bound, index: int = -1):
        self.record = record
        self.index = index  # its place among the check's records
        self.shingles = record.signature.unique_shingles
        self.in_suspect = in_suspect
        self.held = None  # verify.held_positions of the pair, once the bound has looked (verify() reads it too)
        self._bound = bound
        self._can_match: bool | None = None

    @property
    def can_match(self) -> bool:
        """False when no verdict is possible (verify.py's bounds): worked out when first asked."""
        if self._can_match is None:
            self._can_match = self._bound(self)
        return self._can_match


class _Story:
    """One text met by a check: the version verified and reported, and the versions listed with it.

    A candidate joins when it is a version of the reported one (:func:`version_overlap` at least
    ``VERSION_MIN_OVERLAP``: as before stories, the only test) or, sizes within ``VERSION_MIN_SIZE_RATIO``,
    when it is an edit of the same text: ``EDIT_MIN_OVERLAP`` of it in the reported one, or
    ``VERSION_MIN_OVERLAP`` of it in the versions joined so far (their union) — but only when the story
    explains it: the reported version is a reprint (the edit is listed with it, not lost), or the candidate
    shares too few shingles with the suspect for any verdict. (A story whose reported version is no reprint
    does not take an edit that may match: at 100k licensed, taking those whose shingles in the suspect were
    the reported version's too hid partial reprints in 2 of 1,060 checks — a swapped word in the copied
    passage of the reported copy was the difference.) Why: two outlets cutting one wire story each drop other
    sentences, so two edits can share less than 80 % while each holds more than 80 % of the wire text. In
    bench/speed.py's 100k archive (each story with ~7 copies that each drop ~15 % of the tokens) copy-to-copy
    overlaps are 0.65–0.79: the first test alone verified a story's copies one by one and reported up to 7 of
    them apart. ``overlap`` stays the share against the reported version."""

    __slots__ = ("reported", "verification", "versions", "_shingles", "_union", "_union_of")

    def __init__(self, reported: _Candidate):
        self.reported = reported
        self.verification: Verification | None = None  # verified when needed: a story may still merge
        self.versions: list[Version] = []
        self._shingles: list[np.ndarray] = [reported.shingles]
        self._union = reported.shingles  # of the first _union_of arrays of _shingles
        self._union_of = 1

    def admits(self, c: _Candidate, verify_story) -> float | None:
        """The overlap to list ``c`` with (a :class:`Version`), or None when it is not a version of this text.
        ``verify_story(story)`` verifies this story's reported version when the answer depends on its verdict."""
        u_c, u_r = c.shingles, self._shingles[0]
        if min(len(u_c), len(u_r)) < VERSION_MIN_SIZE_RATIO * max(len(u_c), len(u_r)):
            return None
        overlap = version_overlap(u_c, u_r)
        if overlap >= VERSION_MIN_OVERLAP:
            return overlap
        if overlap < EDIT_MIN_OVERLAP:
            if len(self._shingles) == 1:
                return None
            if self._union_of != len(self._shingles):
                # grown by the versions joined since: versions share most shingles, so this stays ~1.5× a
                # version (rebuilding it from all of them was most of a check meeting 40 copies of one story)
                self._union = unique_sorted(np.concatenate([self._union, *self._shingles[self._union_of:]]))
                self._union_of = len(self._shingles)
            if shared_count(u_c, self._union) < VERSION_MIN_OVERLAP * len(u_c):
                return None
        if not c.can_match or verify_story(self).is_reprint:
            return overlap
        return None

    def join(self, version: Version, u_c: np.ndarray) -> None:
        self.versions.append(version)
        self._shingles.append(u_c)


#: Each version's ``SKETCH`` smallest shingle hashes are looked up to find the stories a candidate may be a
#: version of; ``SKETCH_MIN_SHARED`` of them in common make it worth the exact test (:class:`_Stories`).
SKETCH = 32
SKETCH_MIN_SHARED = 6


class _Stories:
    """The stories of one check, and which of them a candidate may be a version of.

    Testing a candidate against every story was the slowest checks' largest cost (at 100k licensed, ~20
    stories a check among 50 candidates: ~500 intersections). Instead a candidate is tested only against
    stories holding ``SKETCH_MIN_SHARED`` of its ``SKETCH`` smallest shingle hashes among their versions'
    smallest: two versions (≥ 80 % of the smaller in the larger, sizes within 2×: Jaccard ≥ 0.36) have fewer
    in common with probability < 2·10⁻⁴ (binomial, 32 draws at 0.36), and a version missed this way is only
    verified on its own, not lost (one stock phrase among the smallest hashes made most pairs look alike).

    Stories are verified only once every candidate is placed, or when a placement needs the verdict: copies
    arrive in the order of how much of them is in the suspect, so two edits that are not versions of each
    other can each start a story before the wire text that joins them arrives; :meth:`merge` then joins
    the later story to the earlier, unverified."""

    def __init__(self, verify_story) -> None:
        self.stories: list[_Story] = []
        self._holders: dict[int, list[int]] = {}
        self._verify_story = verify_story

    def _index(self, n: int, u: np.ndarray) -> None:
        for v in u[:SKETCH].tolist():
            holders = self._holders.setdefault(v, [])
            if not holders or holders[-1] != n:
                holders.append(n)

    def _near(self, u: np.ndarray, before: int) -> list[int]:
        if not before:  # the first story, and merge()'s first: nothing before it to be near
            return []
        # only the sketch values some story holds are counted: the dict view's intersection runs in C, where
        # walking all 32 values in a generator was ~2 % of a scan's CPU at 10k (py-spy, 1,060 bench texts,
        # `e92451c`) though most of them are held by no story (a check meets ~4 stories at 10k)
        held = self._holders.keys() & u[:SKETCH].tolist()
        if not held:
            return []
        # counted in C (Counter over the holders' lists chained), stories from ``before`` on dropped after: a
        # check meeting many stories whose smallest hashes are one stock phrase's walked ~30 holders a value in
        # a Python generator (at 100k licensed, 50 candidates: ~7,300 steps; its 50 placements 0.49-0.55 ->
        # 0.36-0.39 ms, the two forms alternating in one process, same answers)
        hits = collections.Counter(itertools.chain.from_iterable(map(self._holders.__getitem__, held)))
        return sorted(n for n, k in hits.items() if k >= SKETCH_MIN_SHARED and n < before)

    def place(self, c: _Candidate) -> None:
        """Join ``c`` to the first story that admits it, or start a story."""
        for n in self._near(c.shingles, len(self.stories)):
            story = self.stories[n]
            overlap = story.admits(c, self._verify_story)
            if overlap is not None:
                story.join(Version(c.record.article, overlap), c.shingles)
                self._index(n, c.shingles)
                return
        self._index(len(self.stories), c.shingles)
        self.stories.append(_Story(c))

    def merge(self) -> list[_Story]:
        """The stories left once each unverified one that an earlier story admits (its reported version, as
        a candidate) has joined it with its versions, in order."""
        alive = [True] * len(self.stories)
        for t, later in enumerate(self.stories):
            if later.verification is not None:
                continue
            for n in self._near(later.reported.shingles, t):
                story = self.stories[n]
                if not alive[n] or story.admits(later.reported, self._verify_story) is None:
                    continue
                for version, u in zip([Version(later.reported.record.article, 0.0), *later.versions], later._shingles):
                    story.join(Version(version.licensed, version_overlap(u, story._shingles[0])), u)
                    self._index(n, u)
                alive[t] = False
                break
        return [s for s, keep in zip(self.stories, alive) if keep]


@dataclass(frozen=True)
class Sibling:
    """A licensed article that shares copied text with the suspect, all of it explained by the reported match
    it is listed under (``dedupe/relations.py``): a template sibling, a series member, an article carrying the
    same boilerplate. Not a finding; ``passages`` say what it shares."""

    licensed: Article
    shared_chars: int  # normalised characters of the suspect its passages cover
    passages: tuple = ()

    def to_dict(self) -> dict:
        return {"licensed_id": self.licensed.id, "outlet": self.licensed.outlet, "title": self.licensed.title,
                "url": self.licensed.url, "shared_chars": self.shared_chars,
                "passages": [p.to_dict() for p in self.passages]}


@dataclass(frozen=True)
class Match:
    licensed: Article
    verification: Verification
    shared_keys: int = 0
    versions: tuple[Version, ...] = ()
    rewrite: RewriteVerification | None = None  # the rewrite path's evidence, when it looked at the pair
    siblings: tuple[Sibling, ...] = ()  # articles whose copied text this match explains (not findings)
    #: why a pair verify() calls a reprint is no finding: its copied text is "shared_text" (held by many
    #: licensed articles) or a "quotation" (dedupe/relations.py)
    discounted: str = ""

    @property
    def verdict(self) -> str:
        quoted = self.discounted == "quotation" and self.verification.suspect_coverage < QUOTED_WASH_MAX_COVERAGE
        if (quoted or self.verification.verdict == NO_MATCH) and self.rewrite is not None \
                and self.rewrite.is_rewrite:
            # the sentence-by-sentence alignment is evidence of its own — but not over text many licensed
            # articles share: on the Sina crawl (f981b09) it aligned a tech channel's boilerplate block and
            # called 9 unrelated pairs rewrites
            return REWRITE
        if self.discounted:
            return NO_MATCH
        return self.verification.verdict

    @property
    def score(self) -> float:
        """Calibrated probability that the pair shares copied text (``dedupe/score.py``, fitted on the
        benchmark's disguised copies). It ranks; the verdict applies the policy (a quoted sentence is copied
        text, and may score high, but is not a reprint)."""
        return score(self.verification)

    def to_dict(self) -> dict:
        v = self.verification
        out = {
            "licensed_id": self.licensed.id,
            "outlet": self.licensed.outlet,
            "title": self.licensed.title,
            "url": self.licensed.url,
            "verdict": self.verdict,
            "similarity": v.similarity,
            "licensed_coverage": v.licensed_coverage,
            "suspect_coverage": v.suspect_coverage,
            "passages": [p.to_dict() for p in v.passages],
            **({"versions": [x.to_dict() for x in self.versions]} if self.versions else {}),
            **({"siblings": [x.to_dict() for x in self.siblings]} if self.siblings else {}),
            **({"discounted": self.discounted} if self.discounted else {}),
        }
        if self.verdict == REWRITE:
            out["rewrite"] = self.rewrite.to_dict()
        return out


@dataclass(frozen=True)
class CheckResult:
    article: Article
    matches: list[Match]
    removed: tuple[Removed, ...] = field(default_factory=tuple)
    candidates: int = 0

    @property
    def reprints(self) -> list[Match]:
        return [m for m in self.matches if m.verdict != NO_MATCH]

    def to_dict(self, include_all: bool = False) -> dict:
        matches = self.matches if include_all else self.reprints
        return {"id": self.article.id, "matches": [m.to_dict() for m in matches]}


#: Articles :meth:`Detector.scan` reads ahead and fingerprints together on a remote index (Elasticsearch: its
#: ``_msearch`` sizes and SCAN_IN_FLIGHT were measured with it).
SCAN_BATCH = 32
#: The same on a local index (SQLite). A batch pays its lookups' fixed costs once (the key runs, one ``get`` and
#: one ``members`` query, the fact-key lookup, attribution's rounds of index questions) and a record several of
#: its checks meet is read and decoded once; the results are the same in any batch (tests/test_contract.py,
#: test_detector_scale.py). bench/speed.py's 1,060 texts, CPU of a scan, one process alternating the sizes after
#: a warm pass (loaded machine, 404adfb, medians of 3): 10k licensed 32 → 64 / 128 / 256: 3.64 → 3.48 / 3.35 /
#: 3.28 s; 100k: 5.44 → 5.20 (128) / 5.23 (256); idle, less (a cold pass at 100k 5.33 → 4.89 s, at 10k the same;
#: docs/benchmarks.md "Scan, round 9"). 128 takes most of it; the batch's records (~30 KB each, ~5 a check) grow with it.
LOCAL_SCAN_BATCH = 128
#: Batches :meth:`Detector.scan` has in flight on a remote index (each waiting on the node or verified), so the
#: node has batches queued while the process verifies another. On a quiet machine (load 2-4, bench/es_scan.py,
#: alternating, same output) 4 against 2: 4,000 licensed 288 against 212-256 articles/s (median of 6 and 3-6
#: rounds), 20,000: 264 against 223-251; 3 was no better than 2 (docs/elasticsearch.md, round 8). Under heavy
#: load (8-12) the settings had not differed measurably.
SCAN_IN_FLIGHT = 4


class Detector:
    """Index licensed articles and check suspects against them, with any :class:`LicensedIndex`."""

    def __init__(
        self,
        index: LicensedIndex,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        max_candidates: int = 50,
        min_shared_keys: int = 2,
        rewrite_thresholds: RewriteThresholds | None = DEFAULT_REWRITE_THRESHOLDS,
        max_rewrite_candidates: int = 2,
        min_shared_facts: int = 8,
        min_shared_fact_share: float = 0.2,
    ):
        self.index = index
        self.params = index.params
        self.thresholds = thresholds
        self.max_candidates = max_candidates
        # a lone shared band key (one band of one window, or of the whole article) is chance agreement on a
        # stock phrase; a copied window shares all its window_bands keys. Measured in bench/quality.py:
        # no recall lost, fewer verifications.
        self.min_shared_keys = min_shared_keys
        # the rewrite path (None: off). Only articles sharing at least max(min_shared_facts,
        # min_shared_fact_share × the suspect's key facts) key facts are aligned, at most
        # max_rewrite_candidates of them: aligning needs the licensed text re-segmented and analysed, so it
        # must stay rare. Measured on 6,000 real articles: a 40–50% rewrite shares ≥ 18% of its key facts
        # with its source (p1) — 0.2 keeps 98% of them and aligns for a quarter of unrelated suspects.
        self.rewrite_thresholds = rewrite_thresholds
        self.max_rewrite_candidates = max_rewrite_candidates
        self.min_shared_facts = min_shared_facts
        self.min_shared_fact_share = min_shared_fact_share

    def fingerprint(self, text: str) -> Fingerprint:
        return fingerprint(text, self.params)

    def prepare(self, article: Article) -> IndexedArticle:
        fp = self.fingerprint(article.content)
        return IndexedArticle(article, fp.signature, fp.index_keys)

    def prepare_many(self, articles: Sequence[Article]) -> list[IndexedArticle]:
        """:meth:`prepare` of each article, fingerprinted as a batch (``fingerprint_many``: faster)."""
        fps = fingerprint_many([a.content for a in articles], self.params)
        return [IndexedArticle(a, fp.signature, fp.index_keys) for a, fp in zip(articles, fps)]

    def add(self, articles: Iterable[Article], batch_size: int = 500, jobs: int = 1) -> AddResult:
        """Fingerprint and store ``articles``; one transaction (or bulk request) per batch. ``jobs`` > 1: the
        batches are fingerprinted on that many worker processes (:class:`CheckPool`) while this process
        stores them, in input order — the same index as ``jobs=1`` (fingerprints are pure; the batches are
        stored one after the other as they came). Why: after the story search on a sketch, storing an
        article costs ~0.8 ms of CPU and fingerprinting it ~0.9 ms (bench/index_add.py, docs/benchmarks.md),
        so one process is bound by the sum and two cores can overlap the two."""
        batches = iter(lambda it=iter(articles): list(itertools.islice(it, batch_size)), [])
        total = AddResult()
        if jobs > 1 and CheckPool.possible(self, jobs):
            with CheckPool(self, jobs) as pool:
                pending: deque = deque()
                for batch in batches:
                    pending.append(pool.prepare(batch))
                    if len(pending) > jobs:  # the workers keep fingerprinting while the oldest batch is stored
                        total += self.index.add(pending.popleft().result())
                while pending:
                    total += self.index.add(pending.popleft().result())
            return total
        for batch in batches:
            total += self.index.add(self.prepare_many(batch))
        return total

    def check(self, article: Article | str, fp: Fingerprint | None = None) -> CheckResult:
        """Check one article (``fp``: its fingerprint, when made already)."""
        if isinstance(article, str):
            article = Article(id="-", content=article)
        return self._check_prepared([article], [fp if fp is not None else self.fingerprint(article.content)])[0]

    def _check_prepared(self, articles: Sequence[Article], fps: Sequence[Fingerprint]) -> list[CheckResult]:
        """Check fingerprinted articles together: the index is asked once for all their candidates
        (``candidates_many``: one ``_msearch`` on Elasticsearch) and once for the records of all of them
        (a story met by several checks of the batch is read and decoded once), then each is verified on its
        own, as one check alone would be — the same results in any batch. On Elasticsearch, one request a
        check for each step had made ``scan`` 0.12× the SQLite rate at 4,000 licensed (bench/es_scan.py)."""
        code = [is_code(a.content) for a in articles]  # a page of program code is not an article
        candidates = self.index.candidates_many([(fp.keys, 0 if c else self.max_candidates, self.min_shared_keys)
                                                 for fp, c in zip(fps, code)])
        records = self._records({i for c in candidates for i, _ in c}, {})
        matches = [self._verify(fp, [records[i] for i, _ in c if i in records], dict(c))
                   for fp, c in zip(fps, candidates)]
        matches = self._with_members(matches, candidates, records)
        # rules 15: the partials that are whole copies with page code counted out, promoted once attribution keeps them
        whole = [_without_code(a, fp, m, self.thresholds) for a, fp, m in zip(articles, fps, matches)]
        matches = [_without_headline(a, m) for a, m in zip(articles, matches)]  # rules 14
        # attribution before the rewrite path: a 洗稿 copy whose surviving exact passages are quotations (washing
        # leaves quotes alone) is discounted, then aligned sentence by sentence like any pair that is no reprint
        # (bench/quality.py on fc6c4ba, attribution last: 3 of 600 洗稿 copies lost that way)
        matches = self._attribute_many(articles, fps, matches)
        matches = [_whole_without_code(a, m, w) if w else m for a, m, w in zip(articles, matches, whole)]  # rules 15
        if self.rewrite_thresholds is not None:
            matches = self._rewrites(articles, fps, matches, records, code)
        results = []
        for article, fp, c, found_matches in zip(articles, fps, candidates, matches):
            found_matches.sort(
                key=lambda m: (
                    _VERDICT_RANK[m.verdict],
                    -m.verification.licensed_coverage,
                    -m.verification.similarity,
                    m.licensed.id,
                )
            )
            results.append(CheckResult(article, found_matches, fp.removed, len(c)))
        return results

    def _with_members(self, matches: list[list[Match]], candidates: list[list], records: dict[str, IndexedArticle]
                      ) -> list[list[Match]]:
        """Each reprint match with the other members of its stories listed as versions (``Match.versions``):
        candidates are one representative a story (``LicensedIndex.candidates``), so the other versions of a
        text the suspect copied are read here — for the stories of reprint matches only, one ``members`` and one
        ``unique_shingles`` for the whole batch (a listed version is not verified: its article and its distinct
        shingles are all it needs). A version's ``overlap`` is against the reported article, as before."""
        # a plain (id, count) pair (an index of another program) is a story of its own
        story_of = {c[0]: getattr(c, "story", c[0]) for cs in candidates for c in cs}
        wanted: dict[int, set[str]] = {}
        for n, found in enumerate(matches):
            for m in found:
                if m.verification.is_reprint:
                    wanted[id(m)] = {story_of.get(a.id, a.id) for a in (m.licensed, *(v.licensed for v in m.versions))}
        if not wanted:
            return matches
        members = self.index.members(set().union(*wanted.values()))
        listed = {id(m): {m.licensed.id, *(v.licensed.id for v in m.versions)} for found in matches for m in found
                  if id(m) in wanted}
        extra = {i for k, stories in wanted.items() for st in stories for i in members.get(st, ()) if i not in listed[k]}
        if not extra:
            return matches
        # the members not read as candidates: their articles and distinct shingles only (no whole records)
        listed_shingles = {i: (records[i].article, records[i].signature.unique_shingles) for i in extra if i in records}
        listed_shingles.update((a.id, (a, u)) for a, u in self.index.unique_shingles(sorted(extra - listed_shingles.keys())))
        out = []
        for found in matches:
            row = []
            for m in found:
                more = sorted({i for st in wanted.get(id(m), ()) for i in members.get(st, ())} - listed.get(id(m), set()))
                if more:
                    u = records[m.licensed.id].signature.unique_shingles
                    versions = [*m.versions, *(Version(listed_shingles[i][0], version_overlap(listed_shingles[i][1], u))
                                               for i in more if i in listed_shingles)]
                    m = dataclasses.replace(m, versions=tuple(sorted(versions, key=lambda v: (-v.overlap, v.licensed.id))))
                row.append(m)
            out.append(row)
        return out

    def _records(self, ids: set[str], known: dict[str, IndexedArticle]) -> dict[str, IndexedArticle]:
        """``known`` and the stored records of those ``ids`` it lacks, by id (one ``get``, ids in sorted order)."""
        missing = sorted(ids - known.keys())
        return {**known, **{r.article.id: r for r in self.index.get(missing)}} if missing else known

    def _attribute_many(self, articles: Sequence[Article], fps: Sequence[Fingerprint],
                        matches: list[list[Match]]) -> list[list[Match]]:
        """:meth:`_attribute` of each check, their questions to the index (rules 7) asked together: one
        ``candidates_many`` a round for all the checks still asking, not one a check — the same answers (each
        query's are its own), for fewer calls: the 222 questions of the 1,060 checks at 10k (102 checks) cost
        ~46 ms a round asked a check at a time and ~18 ms 64 at a time (SQLite, one process, CPU)."""
        out: list[list[Match] | None] = [None] * len(articles)
        asking: dict[int, tuple[Iterator, list]] = {}

        def advance(k: int, run: Iterator, answers) -> None:
            try:
                asking[k] = (run, run.send(answers))
            except StopIteration as done:
                asking.pop(k, None)
                out[k] = done.value

        for k, (article, fp, m) in enumerate(zip(articles, fps, matches)):
            advance(k, self._attribution(article, fp, m), None)
        while asking:
            waiting = list(asking.items())
            answers = self.index.candidates_many([q for _, (_, queries) in waiting for q in queries])
            at = 0
            for k, (run, queries) in waiting:
                advance(k, run, answers[at:at + len(queries)])
                at += len(queries)
        return out  # type: ignore[return-value]

    def _attribute(self, article: Article, fp: Fingerprint, matches: list[Match]) -> list[Match]:
        """One check's attribution (:meth:`_attribution`), its questions to the index asked as they come."""
        return self._attribute_many([article], [fp], [matches])[0]

    def _attribution(self, article: Article, fp: Fingerprint, matches: list[Match]):
        """Each copied passage credited to the licensed article that best explains it (``dedupe/relations.py``):
        reprint matches taken whole first, then by most copied text; one whose copied text the matches before
        it already explain is no finding and is listed under the match explaining most of it (:class:`Sibling`,
        with its versions); one whose copied text is only text many licensed articles of this check hold, or
        quotations, is no finding either (``Match.discounted``)."""
        reprints = [m for m in matches if m.verification.is_reprint]
        if not reprints:
            return matches
        offsets = fp.normalized.offsets

        def normalised(ranges) -> tuple[tuple[int, int], ...]:
            if not ranges:
                return ()  # most claims' quotations, templates and common text: no NumPy call for none
            # starts and ends in one searchsorted (4,170 calls a round of the 1,060 checks at 10k: NumPy's
            # per-call overhead, not the search, is the cost)
            found = np.searchsorted(offsets, [x for r in ranges for x in r]).tolist()
            return tuple((a, b) for a, b in zip(found[::2], found[1::2]) if b > a)

        def licensed_chars(v: Verification) -> int:
            return round(v.copied_chars / v.licensed_coverage) if v.licensed_coverage else v.copied_chars

        # articles taken whole first: a short article copied entire is what explains its text, not a longer
        # one that holds it among more (on the Sina crawl, a 100 % copy of a short report was listed under a
        # digest sharing 6.7 % of itself with the suspect); then the most copied text
        reprints.sort(key=lambda m: (m.verification.licensed_coverage < WHOLE_COVERAGE, -m.verification.copied_chars,
                                     -m.verification.licensed_coverage, -m.verification.similarity, m.licensed.id))
        # every match's spans from one searchsorted (as ``spans`` a match at a time: 5,779 NumPy calls a round of
        # the 1,060 checks at 10k, their overhead the cost)
        with_passages = [m for m in matches if m.verification.passages]
        edges = np.searchsorted(offsets, [x for m in with_passages for p in m.verification.passages
                                          for x in (p.suspect_start, p.suspect_end)]).tolist()
        held, at = [], 0
        bounds: dict[int, list[int]] = {}  # each match's passages' starts and ends in the normalised text, as found
        for m in with_passages:
            ends, at = edges[at:at + 2 * len(m.verification.passages)], at + 2 * len(m.verification.passages)
            held.append((m, tuple((a, b) for a, b in zip(ends[::2], ends[1::2]) if b > a)))
            bounds[id(m)] = ends
        span_of = {id(m): h for m, h in held}
        shared_text = held_by_many([h for _, h in held]) if len(held) >= FAMILY_MIN_HOLDERS else []
        # the suspect's quotations, made when first read: a claim taken whole never reads them (explain_away), and
        # most checks' claims are (593 of the 1,060 checks at 10k have one reprint claim, taken whole)
        s_quotes = _Later(lambda: quoted_spans(article.content))
        common: dict[int, list[tuple[int, int]]] = {}  # rules 9's spans now, rules 7's (the index's) below
        spoken: dict[int, list[tuple[int, int]]] = {}  # rules 11: a partial's passages both give as someone's words
        terms = _Later(lambda: _fact_starts(fp))  # rules 12: the suspect's rare terms, made when first read
        read_as_document: list[bool] = []  # rules 14: whether the suspect is a document, read once a check when asked

        def is_document() -> bool:
            if not read_as_document:
                read_as_document.append(reads_as_document(article.content))
            return read_as_document[0]

        state: list[tuple[int, int]] = []  # rules 14: the passages counted out as a state organ's document's
        state_documents: set[int] = set()  # the claims whose licensed item is one (rules 13), half the suspect

        state_items: dict[int, bool] = {}  # whether a claim's licensed item is such a document, read once a claim

        def state_item(m: Match) -> bool:
            # rules 13: the licensed item is a state organ's document and half the suspect is it (an excerpt pasted
            # into a page mostly of other text may be the outlet's copy: bench/quality.py)
            # rules 16 (wip/official12): or the suspect is a document itself (relations.reads_as_document) — two
            # documents, the state's and another carrying its text (an exam authority's notice and its Q&A, a
            # province's sign-up notice and its rules for migrants' children) share the state's text, not an
            # outlet's, whatever share of the suspect it is; the half guards pages of other text an excerpt is
            # pasted into, which read as no document (bench/sina_pairs.py: 8 partial rows at seeds 1, 4, 18, 28,
            # every one read wrong, none right among the partials that fit)
            # rules 17 (wip/official13): or the suspect reports on the document — it names the organ that issued it
            # outside the claim (relations.reports_document): the pages an excerpt is pasted into name none
            if id(m) not in state_items:
                if m.verification.suspect_coverage >= self.thresholds.partial_suspect_coverage or is_document():
                    state_items[id(m)] = official_item(m.licensed.title, m.licensed.content)
                else:
                    state_items[id(m)] = reports_document(m.verification.passages, article.content, m.licensed.title,
                                                          m.licensed.content)
            return state_items[id(m)]

        def is_state_document(m: Match) -> bool:
            if state_item(m):
                state_documents.add(id(m))
            return id(m) in state_documents

        tested: set[int] = set()  # the claims whose own tests below have run
        words: dict[int, list[tuple[int, int]]] = {}  # rules 16: what a claim's tests counted out as someone's words

        def own_tests(m: Match) -> None:  # nor page code, nor a document the licensed article reproduces that another holds too
            nonlocal state
            if id(m) in tested:
                return
            tested.add(id(m))
            if m.verification.licensed_coverage >= WHOLE_COVERAGE:
                return  # an article taken whole is a copy whatever it holds (explain_away never subtracts)
            documents, code = not_the_outlets(m.verification.passages, article.content, m.licensed.content)
            if series_siblings((article.title or "", m.licensed.title or ""), m.licensed.content):
                # rules 15: two items of one series (its issue numbers, or the licensed item's links naming the
                # suspect) share the series' text — intro, footer, byline, links, a tally's stock sentences
                code += [(p.suspect_start, p.suspect_end) for p in m.verification.passages]
            others = [(p.suspect_start, p.suspect_end) for o in reprints if o is not m for p in o.verification.passages]
            # rules 14: the suspect is itself a document holding more of one than it shares (a full reprint too)
            official = own_document(m.verification.passages, article.content, m.licensed.content, others, is_document)
            said_there = said_documents(m.verification.passages, article.content, m.licensed.content)  # rules 13
            # rules 17: a party's own document in its own voice, printed or quoted by both (relations.own_voice)
            said_there += own_voice(m.verification.passages, article.content, m.licensed.content)
            code += said_there
            if m.verification.verdict == PARTIAL_REPRINT:
                said = spoken_words(m.verification.passages, article.content, m.licensed.content)
                if said:
                    spoken[id(m)] = said
                    said_there = [*said_there, *said]
                # rules 10: an official document the suspect has itself (rules 13: or the licensed item is one)
                document = official_text(m.verification.passages, article.content, m.licensed.content, others,
                                         lambda m=m: is_state_document(m)) if not official else []
                if document and id(m) in state_documents:
                    state += document  # rules 14: the text of a state organ's document, for the other claims too
                official = official or document
                # rules 14: a rule's text the suspect quotes as such
                official = [*official, *quoted_rules(m.verification.passages, article.content, s_quotes)]
                # rules 17 (wip/official13): two documents an organ issues (its issuing formulae in both: 现印发给你们，
                # 请遵照执行) share the issuer's stock text — an exam authority's notices of one form
                # (with what the register tests took: they take a notice's clauses and leave its stock phrases)
                official = [*official, *issued_documents(m.verification.passages, article.content, m.licensed.content,
                                                         others)]
                # rules 12: the facts of one event the suspect reports itself (its rare terms read only when asked)
                code += facts_of_one_event(m.verification.passages, article.content, m.licensed.content, others, terms)
                # rules 15: a third party's lines both relay, credited so (财新网's line, 新华社's lede), and an
                # event's roster of speakers both carry: the outlet did not write them
                relayed = relayed_lines(m.verification.passages, article.content, m.licensed.content) \
                    + roster_lines(m.verification.passages, article.content, m.licensed.content)
                # rules 16: a product's name, price and blurb in both texts' shopping cards: the brand's copy (Sina
                # seeds 1-32: 35 removals of 17 blurb pairs, all read wrong; no right pair lost)
                relayed += product_copy(m.verification.passages, article.content, m.licensed.content)
                # rules 17: an event's release — the organiser's announcement both reports carry, each telling the
                # event around it in its own words (relations.release_lines; wip/release13). Sina seeds 29, 33 and fresh 37
                # on fb2a9b2: 43 partials removed, 36 read wrong and 7 unsure, 3 wrong surfaced, no right pair lost
                relayed += release_lines(m.verification.passages, article.content, m.licensed.content, others, terms)
                if relayed and not reworded(m.verification.passages, article.content, m.licensed.content):
                    code += relayed  # not in a washed copy of the licensed text, which keeps its credits
            code += official
            if documents:
                elsewhere = [h for o, h in held if o is not m]
                # both reproduce it: another licensed text holds it, or the suspect quotes it too (its own
                # marks, a colon or verb of saying before it); pasted bare, it may be the paper's copy
                # (rules 15: or after an attribution earlier in its sentence, or in the run of words after one)
                said_here = presented_as_said(documents, article.content, s_quotes,
                                              introduced_document(m.licensed.content))
                code += [d for d in documents if any(held_elsewhere(n, elsewhere) for n in normalised([d]))
                         or d in said_here]
                said_there = [*said_there, *(d for d in documents if d in said_here)]
            if said_there:
                words[id(m)] = said_there
            if code:
                common[id(m)] = [*common.get(id(m), ()), *code]

        # A claim's own tests (rules 9-14 above: its common text and spoken words) run when explain_away first reads
        # its common text or quotations, not for every claim first: it reads neither of a claim the kept claims before
        # it cover whole (nor of one whose copied text is all template text), and such a claim is explained the same
        # whatever they hold — which claim explains it reads only the spans. Exact but for one reach across claims:
        # a state organ's document's text counted out of one claim is counted out of the others too (``state``
        # below), so when any claim may be one (is_state_document's test, without its record) every claim is
        # tested first, as before; and a lone claim is, for ``lone``'s test. bench/attribution_cost.py's 1,060
        # checks at 10k, replayed (f8571e8): 157 of the 450 partial claims tested end not kept, ~0.28 s of the ~0.49 s
        # a round these tests cost (siblings of a copied article, covered by it); tested when read, 317 are tested
        # and the tests take ~0.26 s, the same results (docs/findings.md, cost11).
        if not TESTS_WHEN_READ or len(reprints) == 1 or any(
                m.verification.verdict == PARTIAL_REPRINT and m.verification.licensed_coverage < WHOLE_COVERAGE
                and state_item(m) for m in reprints):
            for m in reprints:
                own_tests(m)
        reached: set[int] = set()  # the claims given the other claims' words (with_words)

        def with_words(m: Match) -> None:
            # rules 16 (wip/claims12): someone's words — a speech, a statement, a post, a letter — counted out of one
            # claim (a document the licensed text prints that the suspect gives as said, rules 9/15; a document the
            # suspect prints that the licensed text quotes, rules 13; words both give as spoken, rules 11/15) are the
            # same words in a full reprint not taken whole that holds that suspect text: no evidence for it either
            # (only the overlap is subtracted: explain_away). Rules 15 counted the first claim out and the next one,
            # another text of the same words, was reported instead: DoNews printing Ren Zhengfei's speech whole, now
            # a full reprint of 新京报's summary of it; a 金庸 obituary feature, now a full reprint of 刘德华's
            # 181-character reply item (bench/sina_pairs.py seed 24; seed 20 on rules 15). Fulls only: reaching
            # partials too (d94b938, seed 24) also took a real copy of Sina's paragraph on Alipay's users (another
            # claim's words there were a 显示， attribution earlier in the sentence, rules 13's reading) and an exam
            # Q&A's conditions. Exact when tested as read: a full claim's common text is given, when first read, the
            # words of every claim it shares suspect text with, each tested then (their words are their own tests').
            own_tests(m)
            if id(m) in reached or m.verification.verdict != FULL_REPRINT \
                    or m.verification.licensed_coverage >= WHOLE_COVERAGE:
                return
            reached.add(id(m))
            mine = span_of.get(id(m), ())
            for o in reprints:
                if o is not m and o.verification.licensed_coverage < WHOLE_COVERAGE and overlaps(mine, span_of.get(id(o), ())):
                    own_tests(o)
                    if words.get(id(o)):
                        common[id(m)] = [*common.get(id(m), ()), *words[id(o)]]

        if not TESTS_WHEN_READ:
            for m in reprints:
                with_words(m)
        if state:
            # rules 14: a state organ's document's text counted out of its own claim is no evidence for the others
            # either (a report 0.61 of which is the 财政部 notice's clause was a full reprint once the notice's own
            # claim was counted out: bench/sina_pairs.py seed 4, wip/official9); only the overlap is subtracted
            # (explain_away). Not the text own_document counts out: each claim is judged by it against its own
            # licensed text, and a 洗稿 copy of a 江苏 notice (bench/quality.py --archive xigao-00065) reads as a
            # document whose other claims' text would have counted out its source's.
            for m in reprints:
                if m.verification.licensed_coverage < WHOLE_COVERAGE:
                    common[id(m)] = [*common.get(id(m), ()), *state]
        # made when first read (as a claim's quotations): explain_away never reads that of a claim the kept claims
        # before it cover whole, nor the quotations of a claim taken whole it keeps. Its passages' bounds in the
        # normalised suspect are those found above (the same searchsorted: one NumPy call a claim fewer, ~50 ms of
        # the ~500 ms the template test takes a round of the 1,060 checks at 10k, replayed; docs/findings.md, cost12)
        template = {id(m): _Later(lambda m=m: normalised(template_spans(
            m.verification.passages, fp.normalized, article.content, m.licensed.content, _licensed_text,
            (article.title, m.licensed.title), bounds.get(id(m)))))
            for m in reprints}
        asked: set[int] = set()  # the claims whose text held across the index was asked for

        def claim(m: Match) -> Claim:
            mine = span_of[id(m)]
            others = [(o.verification.copied_chars, h) for o, h in held if o is not m and overlaps(mine, h)]
            v = m.verification
            return Claim(mine, licensed_chars(v), v.licensed_coverage >= WHOLE_COVERAGE,
                         v.copied_chars >= STANDS_OUT * max((c for c, _ in others), default=0),
                         _Later(lambda: own_tests(m) or normalised(
                             [*quotations(v.passages, s_quotes, m.licensed.content, article.content),
                              *spoken.get(id(m), ())])),
                         tuple(s for _, h in others for s in h) if shared_text else (),
                         _Later(lambda: with_words(m) or normalised(common.get(id(m), ()))), template[id(m)])

        # one claim taken whole is kept whatever either text quotes: explain_away reads neither its quotations nor
        # its common text (none: rules 9-13 test only claims not taken whole), nor the index's (nothing askable)
        lone = len(reprints) == 1 and not shared_text and not common and not spoken \
            and not template[id(reprints[0])] and (reprints[0].verification.licensed_coverage >= WHOLE_COVERAGE
                                                  or (not s_quotes and not quoted_spans(reprints[0].licensed.content)))
        if lone and not self._askable_passages(reprints, reprints[0]):
            return matches  # a lone claim with nothing taken away and nothing to ask the index about: kept
        claims = [claim(m) for m in reprints]
        credits = explain_away(claims, self.thresholds, shared_text)
        # Text held across the index (rules 7) only takes evidence away from the claim holding it: a claim not
        # kept without it is not kept with it, and is explained or discounted the same way (neither reads
        # Claim.common). So the index is asked only for the claims kept so far, and explain_away run again
        # when it answers — until no claim newly kept is left unasked: the same credits as asking for every
        # claim first, for fewer questions (bench/attribution_cost.py at 10k: see docs/findings.md).
        while not any(m.verification.verdict == FULL_REPRINT for m in reprints):
            new = [m for m, c in zip(reprints, credits) if c.kept and id(m) not in asked]
            if not new:
                break
            asked.update(id(m) for m in new)
            # a passage whose answer can change no credit, whatever the answers for the others not held, is
            # not asked about (shortest first: a long passage is the one a claim stands on); when an answer
            # says held, the passages left are asked about too, so the credits are those of asking for all
            wanted = [(m, p) for m in new for p in self._askable_passages(reprints, m)]
            moot: list[tuple[Match, Passage]] = []
            for m, p in sorted(wanted, key=lambda w: w[1].chars):
                trial = moot + [(m, p)]
                if common_is_moot(claims, credits, [normalised([(q.suspect_start, q.suspect_end)
                                                                for o, q in trial if o is m2]) for m2 in reprints],
                                  self.thresholds, shared_text):
                    moot = trial
            unasked = {(id(m), id(p)) for m, p in moot}
            found = yield from self._held_across_index(fp, [(m, p) for m, p in wanted if (id(m), id(p)) not in unasked])
            if found and moot:
                for k, more in (yield from self._held_across_index(fp, moot)).items():
                    found[k] = [*found.get(k, ()), *more]
            if not found:
                break
            for m in reprints:
                if id(m) in found:
                    with_words(m)  # (run already: a claim asked about was kept, its common text read)
            for k, held_spans in found.items():
                common[k] = [*common.get(k, ()), *held_spans]
            claims = [dataclasses.replace(c, common=normalised(common[id(m)])) if id(m) in found else c
                      for m, c in zip(reprints, claims)]
            credits = explain_away(claims, self.thresholds, shared_text)
        changed: dict[int, Match] = {}
        for m, c in zip(reprints, credits):
            v = m.verification
            if c.kept and template[id(m)] and v.verdict == FULL_REPRINT \
                    and c.own < self.thresholds.full_coverage * licensed_chars(v):
                # another issue of a template that also copies prose of this one: a partial reprint of that prose
                changed[id(m)] = dataclasses.replace(m, verification=dataclasses.replace(v, verdict=PARTIAL_REPRINT))
        if all(c.kept for c in credits):
            return [changed.get(id(m), m) for m in matches]
        siblings: dict[int, list[Sibling]] = collections.defaultdict(list)
        for m, c in zip(reprints, credits):
            if c.explained_by is not None:
                siblings[c.explained_by].extend(
                    Sibling(a, c.shared, m.verification.passages) for a in (m.licensed, *(v.licensed for v in m.versions)))
                changed[id(m)] = None
            elif not c.kept:
                changed[id(m)] = dataclasses.replace(m, discounted=c.discounted)
        for n, sibs in siblings.items():
            m = reprints[n]
            changed[id(m)] = dataclasses.replace(
                changed.get(id(m)) or m, siblings=tuple(sorted(sibs, key=lambda x: (-x.shared_chars, x.licensed.id))))
        out = [changed.get(id(m), m) if id(m) in changed else m for m in matches]
        return [m for m in out if m is not None]

    def _held_across_index(self, fp: Fingerprint,
                           wanted: list[tuple[Match, Passage]]) -> dict[int, list[tuple[int, int]]]:
        """For each claim of ``wanted`` (``id(match)``; its passages asked about: :meth:`_askable_passages`), the
        suspect-side ``[start, end)`` of those passages that ``INDEX_MIN_OTHER_STORIES`` other stories of the whole
        index hold: the passage's band keys (``stretch_band_keys``: from the suspect's own shingles) asked of the
        index (windows are content-defined, so a paragraph pasted elsewhere has the same window keys), a story
        holding ``INDEX_KEY_SHARE`` of its window keys. A generator: it yields its queries (``candidates_many``'s)
        and is sent their answers (:meth:`_attribute_many` asks those of several checks at once); none when
        there is nothing to ask. Only partial claims of a check without a full reprint pay for it."""
        if not wanted:
            return {}  # every passage moot: no band keys made (19 of the 121 checks at 10k that ask)
        asks: list[tuple[int, Passage, set[str]]] = []
        queries = []
        wanted = [(m, {m.licensed.id, *(x.licensed.id for x in m.versions)}, p) for m, p in wanted]
        # each suspect stretch's keys made once, as a batch: claims of one check often share their passages
        spans = list(dict.fromkeys((p.suspect_start, p.suspect_end) for _, _, p in wanted))
        keys_of = dict(zip(spans, stretch_band_keys(fp.signature, spans, self.params)))
        for m, own, p in wanted:
            keys = keys_of[(p.suspect_start, p.suspect_end)]
            windows = len(keys) - self.params.article_bands  # a passage's own article keys match no article
            if windows <= 0:
                continue
            asks.append((id(m), p, own))
            queries.append((keys, INDEX_MIN_OTHER_STORIES + len(own), math.ceil(INDEX_KEY_SHARE * windows)))
        out: dict[int, list[tuple[int, int]]] = collections.defaultdict(list)
        if not queries:
            return out
        for (k, p, own), answer in zip(asks, (yield queries)):
            if sum(1 for c in answer if c[0] not in own) >= INDEX_MIN_OTHER_STORIES:
                out[k].append((p.suspect_start, p.suspect_end))
        return out

    def _askable_passages(self, reprints: list[Match], m: Match) -> list[Passage]:
        """The passages of ``m`` that :meth:`_held_across_index` asks the index about: those of
        ``partial_min_longest`` characters or more of a partial reprint (not taken whole) in a check
        without a full reprint."""
        v = m.verification
        if v.verdict != PARTIAL_REPRINT or v.licensed_coverage >= WHOLE_COVERAGE \
                or any(o.verification.verdict == FULL_REPRINT for o in reprints):
            # a copy of a whole article: its partial claims are mostly versions and edits of it, explained by it
            # (bench/attribution_cost.py at 10k: asking for them too made attribution 1.30x a check in total)
            return []
        return [p for p in v.passages if p.chars >= self.thresholds.partial_min_longest]

    def _rewrites(self, articles: Sequence[Article], fps: Sequence[Fingerprint], matches: list[list[Match]],
                  records: dict[str, IndexedArticle], code: list[bool]) -> list[list[Match]]:
        """The rewrite path: licensed articles sharing many facts with the suspect, not already found as
        reprints, aligned sentence by sentence (``dedupe/rewrite.py``). The fact-key lookups of the checks that
        need one are made together, as their band-key lookups were."""
        asks: list[tuple[int, set[str], float]] = []
        for n, (fp, found_matches) in enumerate(zip(fps, matches)):
            if code[n] or len(fp.rewrite_keys) == 0 or any(m.verdict == FULL_REPRINT for m in found_matches):
                continue  # a whole copy of one article is not also a rewrite of another
            # a version listed with a reported match is found too: aligned again here, it was reported a second
            # time, as a match of its own (at 100k licensed, in 1 of the 1,060 checks of bench/speed.py)
            # (nor is an article whose copied text a reported match explains: a sibling aligned again undid that)
            found = {a.id for m in found_matches if m.verdict != NO_MATCH
                     for a in (m.licensed, *(v.licensed for v in m.versions), *(x.licensed for x in m.siblings))}
            # rules 16 (wip/claims12): nor a version of a claim attribution discounted — the same text, whose copied part
            # is the quotations or shared text the claim's was; aligned here it came back verified afresh, never judged
            # by attribution (a third printing of Ren Zhengfei's speech, 钛媒体's, a full reprint once the DoNews
            # suspect's other claims were counted out: bench/sina_pairs.py seed 24). The claim itself is aligned as before.
            found |= {v.licensed.id for m in found_matches if m.discounted for v in m.versions}
            asks.append((n, found, max(self.min_shared_facts, self.min_shared_fact_share * len(fps[n].rewrite_keys))))
        answers = self.index.candidates_many([(fps[n].rewrite_keys, self.max_rewrite_candidates + len(found),
                                               math.ceil(need)) for n, found, need in asks])
        picks = {n: [lid for lid, k in answer if k >= need and lid not in found][: self.max_rewrite_candidates]
                 for (n, found, need), answer in zip(asks, answers)}
        for n, found, _ in asks:  # pairs the shingle path saw a wash in: aligned whatever their facts share
            near = [m.licensed.id for m in matches[n] if m.licensed.id not in found and near_partial(m.verification, self.thresholds)]
            picks[n] = list(dict.fromkeys(near[: self.max_rewrite_candidates] + picks[n]))
        records = self._records({lid for picked in picks.values() for lid in picked}, records)
        out = list(matches)
        for n, picked in picks.items():
            if picked:
                out[n] = self._rewrites_of(articles[n], fps[n], matches[n], [records[i] for i in picked if i in records])
        return out

    def _rewrites_of(self, article: Article, fp: Fingerprint, matches: list[Match],
                     picked: list[IndexedArticle]) -> list[Match]:
        """One check's rewrite path, over the licensed articles ``picked`` for it."""
        p = self.params
        suspect: TextAnalysis = analyse(fp.normalized, article.content, fp.tokens, p.rewrite_rare_freq,
                                        p.rewrite_common_char_freq, fp.facts)
        by_id = {m.licensed.id: i for i, m in enumerate(matches)}
        out = list(matches)
        for record in picked:
            lic = record.article
            licensed = _licensed_analysis(lic.content, p.rewrite_rare_freq, p.rewrite_common_char_freq)
            found_rewrite = verify_rewrite(suspect, licensed, self.rewrite_thresholds)
            if found_rewrite.is_rewrite and len(aligned_title_slots(found_rewrite.pairs, article.content, lic.content, (
                    article.title, lic.title), _licensed_text)) >= ALIGNED_SLOT_MIN_PAIRS:
                found_rewrite = dataclasses.replace(found_rewrite, is_rewrite=False)  # rules 13: template siblings
            if lic.id in by_id:
                match = out[by_id[lic.id]]
                if found_rewrite.is_rewrite and not match.verification.is_reprint:
                    # a rewrite shows its pair's coverage and passages: aligned in full if _verify skipped it
                    match = dataclasses.replace(match, verification=verify(fp.signature, record.signature,
                                                                           p.shingle_size, self.thresholds))
                out[by_id[lic.id]] = dataclasses.replace(match, rewrite=found_rewrite)
            elif found_rewrite.is_rewrite:
                verification = verify(fp.signature, record.signature, p.shingle_size, self.thresholds)
                out.append(Match(lic, verification, 0, rewrite=found_rewrite))
        return out

    def _verify(self, fp: Fingerprint, records: list[IndexedArticle], shared: dict[str, int]) -> list[Match]:
        """Verify each distinct text once: candidates in order of how much of their own text is in the suspect
        (a shingle-set intersection); a candidate that is a version of a text already verified joins its list
        (:class:`_Story`)."""
        u_s = fp.signature.unique_shingles
        in_suspect = [shared_count(u_s, r.signature.unique_shingles) for r in records]
        order = sorted(
            (i for i, n in enumerate(in_suspect) if n),  # nothing shared: verify() would find nothing either
            key=lambda i: (-in_suspect[i] / len(records[i].signature.unique_shingles),
                           -shared.get(records[i].article.id, 0), records[i].article.id),
        )

        # the bound of every candidate with shingles enough, in one pass (verify.bounds_many: the same answers
        # as held_positions + may_reach_verdict one candidate at a time, ~15 NumPy calls each)
        bounded = [i for i in order if in_suspect[i] >= min_shared_shingles(records[i].signature, self.thresholds)]
        helds, oks = bounds_many(fp.signature, [records[i].signature for i in bounded], self.params.shingle_size,
                                 self.thresholds)
        bounds = dict(zip(bounded, zip(helds, oks.tolist())))

        def bound(c: _Candidate) -> bool:
            if c.index not in bounds:
                return False
            c.held, ok = bounds[c.index]
            return ok

        def verify_story(story: _Story) -> Verification:
            if story.verification is None:
                c = story.reported
                story.verification = self._verification(fp, c.record, c.in_suspect, c.can_match, c.held)
            return story.verification

        stories = _Stories(verify_story)
        for i in order:
            stories.place(_Candidate(records[i], in_suspect[i], bound, i))
        matches = []
        for story in stories.merge():
            record, verification = story.reported.record, verify_story(story)
            if verification.is_reprint:
                passages = extend_licensed_passages(verification.passages, fp.normalized, record.article.content,
                                                    record.signature, _licensed_text)
                verification = dataclasses.replace(verification, passages=passages)
            if verification.passages or verification.similarity > 0:
                matches.append(Match(record.article, verification, shared.get(record.article.id, 0),
                                     tuple(sorted(story.versions, key=lambda v: (-v.overlap, v.licensed.id)))))
        return matches

    def _verification(self, fp: Fingerprint, record: IndexedArticle, in_suspect: int, can_match: bool,
                      held=None) -> Verification:
        """``verify(suspect, record)``, without the call when the shingles the two share (``in_suspect``,
        counted for the candidate order) are too few for any verdict (``can_match`` False): what verify()
        returns then, computed here. ``held``: the pair's ``held_positions``, read by the bound already."""
        if not can_match:
            similarity = in_suspect / (len(fp.signature.unique_shingles) + len(record.signature.unique_shingles) - in_suspect)
            return Verification(NO_MATCH, round(float(similarity), 4), 0.0, 0.0, 0, 0)
        return verify(fp.signature, record.signature, self.params.shingle_size, self.thresholds, held)

    def check_batch(self, articles: Sequence[Article]) -> list[CheckResult]:
        """:meth:`check` of each article, the fingerprints made as a batch (``fingerprint_many``: 1.1–1.4×
        the scan rate at 10k with batches of 32, CPU time, 1,060 benchmark texts, busy machine), and the index
        asked for the whole batch at once (:meth:`_check_prepared`)."""
        articles = list(articles)
        if not articles:
            return []
        return self._check_prepared(articles, fingerprint_many([a.content for a in articles], self.params))

    def scan(self, articles: Iterable[Article], batch: int | None = None) -> Iterator[CheckResult]:
        """:meth:`check` of every article, in order, ``batch`` at a time (:meth:`check_batch`; default
        :data:`LOCAL_SCAN_BATCH`, or :data:`SCAN_BATCH` on a remote index); on a
        :attr:`~reprintwatch.index.base.LicensedIndex.remote` index, a batch is fingerprinted while the
        previous one is looked up and verified (a thread)."""
        it = iter(articles)
        if not self.index.remote:
            batch = batch or LOCAL_SCAN_BATCH
            while chunk := list(itertools.islice(it, batch)):
                yield from self.check_batch(chunk)
            return
        # an index across the network: the next batch is fingerprinted while the node answers for this one
        # (the lookups of a batch wait on the node for most of their time, and fingerprinting is most of the
        # checking process's CPU)
        batch = batch or SCAN_BATCH
        with ThreadPoolExecutor(SCAN_IN_FLIGHT, thread_name_prefix="reprintwatch-check") as lookups:
            pending: deque[Future] = deque()
            while chunk := list(itertools.islice(it, batch)):
                fps = fingerprint_many([a.content for a in chunk], self.params)
                pending.append(lookups.submit(self._check_prepared, chunk, fps))
                if len(pending) > SCAN_IN_FLIGHT:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()

    def check_many(self, articles: Iterable[Article], jobs: int | None = None, chunksize: int = 16) -> Iterator[CheckResult]:
        """``check`` every article, on ``jobs`` processes (default: every core), results in input order.

        The output is the same as with one job. Where ``fork`` is not available, or the index cannot be
        reopened in a worker, this checks in one process. For many batches over time (``ingest run``), keep
        one :class:`CheckPool` instead: its workers are started once."""
        jobs = default_jobs() if jobs is None else jobs
        if not CheckPool.possible(self, jobs):
            yield from self.scan(articles)
            return
        with CheckPool(self, jobs) as pool:
            yield from pool.check_many(articles, chunksize)


#: Whether :meth:`Detector._attribution` runs a claim's own tests (rules 9-14) when its common text or quotations are
#: first read (True), or every claim's first, as before round 11 (False: tests/test_attribution_cost.py's reference).
TESTS_WHEN_READ = True


class _Later(Sequence):
    """A sequence made by ``make()`` when first read (its length, an item, an iteration), then kept."""

    __slots__ = ("_make", "_made")

    def __init__(self, make) -> None:
        self._make, self._made = make, None

    def _value(self) -> Sequence:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __len__(self) -> int:
        return len(self._value())

    def __getitem__(self, i):
        return self._value()[i]

    def __iter__(self):
        return iter(self._value())


# The licensed side of a match, normalised (``extend_licensed_passages``, when its tokens cannot be read from
# the text alone) or cut into sentences (the rewrite path), is kept for the last texts seen: a story copied by
# many accounts is matched again and again (in the speed benchmark's 1,060 checks, 8 % of the reprint matches
# repeat a licensed text). Keyed by the text itself, so an article replaced in the index is never served
# stale; bounded (~10 KB a text).
@lru_cache(maxsize=256)
def _licensed_text(content: str) -> NormalizedText:
    return normalize(content)


@lru_cache(maxsize=64)
def _fact_starts(fp: Fingerprint) -> list[tuple[str, int]]:
    """The suspect's facts (``rewrite.facts``: figures, names, rare terms) as ``(text, original start)``: where
    each lies, for :func:`relations.facts_of_one_event` (its tokens are the normalised text cut, in order)."""
    if not fp.facts:
        return []
    starts = fp.signature.chars_before  # the suspect's, kept: verify() reads the same sums
    return [(t, int(fp.normalized.offsets[starts[a]])) for t, a, _ in fp.facts]


def _without_code(article: Article, fp: Fingerprint, matches: list[Match], thresholds: Thresholds
                  ) -> dict[str, Verification]:
    """Rules 15: the partial reprints that are whole copies once page code is counted out of both texts
    (``verify.without_code``), by licensed id, with that verification (promoted to a full reprint once attribution
    keeps them: :func:`_whole_without_code`). Attribution reads every claim as verify() made it: with the code-out
    coverage, two licensed items quoting Ren Zhengfei's speech crossed ``WHOLE_COVERAGE`` (0.6 -> 0.88 of 新京报's
    item in a transcript) and were kept whole as full reprints (bench/sina_pairs.py seed 19, 07f4a66: 2 wrong fulls
    added)."""
    whole: dict[str, Verification] = {}
    for m in matches:
        if m.verification.verdict != PARTIAL_REPRINT:
            continue
        v, full = without_code(m.verification, article.content, fp.normalized, m.licensed.content, _licensed_text,
                               thresholds)
        if full and v.suspect_coverage >= WHOLE_COVERAGE:
            whole[m.licensed.id] = v
    return whole


def _whole_without_code(article: Article, matches: list[Match], whole: dict[str, Verification]) -> list[Match]:
    """Rules 15: the partial reprints attribution kept that are whole copies once page code is counted out
    (:func:`_without_code`) and most of the suspect (``WHOLE_COVERAGE`` of its prose) are full reprints, shown with
    the coverages of the texts' prose — unless they miss the licensed title's headline figure (rules 14,
    :func:`_without_headline`). A whole copy of TechWeb's Musk item whose licensed page carries Sina's ad loader
    was a partial (read12, seed 20). Most of the suspect: at seed 20 (393d761, without this condition) the kept
    partials made whole this way were 15 copies, the suspect all in the licensed prose, and 6 that are no copy of
    the item, at most 0.70 of the suspect: two papers' reports of one police release, two reports of one foreign
    story, a round-up quoting a speech the item reports, two reports of one 9to5Mac story."""
    out = matches
    for k, m in enumerate(matches):
        if m.licensed.id in whole and m.verdict == PARTIAL_REPRINT and not headline_figure_missing(
                article.title or "", article.content, m.licensed.title or "", m.licensed.content):
            if out is matches:
                out = list(matches)
            out[k] = dataclasses.replace(m, verification=dataclasses.replace(whole[m.licensed.id], verdict=FULL_REPRINT))
    return out


def _without_headline(article: Article, matches: list[Match]) -> list[Match]:
    """Rules 14: a full reprint that holds nowhere the licensed title's headline figure its text states
    (:func:`templates.headline_figure_missing`) took the text around the item's news, not the item: it is judged
    as a partial reprint of that text (attribution then reads it as any partial: a release's paragraph, a draw's
    results)."""
    out = matches
    for k, m in enumerate(matches):
        v = m.verification
        if v.verdict == FULL_REPRINT and headline_figure_missing(article.title or "", article.content,
                                                                 m.licensed.title or "", m.licensed.content):
            if out is matches:
                out = list(matches)
            out[k] = dataclasses.replace(m, verification=dataclasses.replace(v, verdict=PARTIAL_REPRINT))
    return out


def _licensed_analysis(content: str, rare_freq: int, common_char_freq: int) -> TextAnalysis:
    normalized = _licensed_text(content)
    return analyse(normalized, content, segment(normalized.text), rare_freq, common_char_freq)


def default_jobs() -> int:
    """Every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


#: A text that gives band keys: checked once before the workers fork, so the segmenter's dictionary, the token
#: table, the index's key table and its bucket tables are loaded once and shared with them (copy-on-write).
_WARM_UP = Article(id="-", content="预热：新华社记者从国家统计局获悉，2018年全国粮食总产量再创新高。")


class CheckPool:
    """Worker processes that ``check`` articles for one :class:`Detector`, started (forked) once; they also
    fingerprint batches for ``index add --jobs`` (:meth:`prepare`).

    Each worker opens its own connection to the index (``LicensedIndex.reopen``) and ignores Ctrl-C (the
    parent decides when to stop). A worker that dies (killed, out of memory) does not hang the caller:
    :meth:`check_many` raises ``concurrent.futures.process.BrokenProcessPool``.

    >>> with CheckPool(detector, jobs=2) as pool:
    ...     results = list(pool.check_many(articles))     # input order, as Detector.scan gives them
    """

    def __init__(self, detector: Detector, jobs: int):
        self.detector = detector
        self.jobs = jobs
        detector.check(_WARM_UP)
        self._executor = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_start_worker, initargs=(detector, os.getpid()))

    @staticmethod
    def possible(detector: Detector, jobs: int) -> bool:
        return jobs > 1 and detector.index.forkable and "fork" in multiprocessing.get_all_start_methods()

    def check_many(self, articles: Iterable[Article], chunksize: int = 4) -> Iterator[CheckResult]:
        """Results in input order; at most ``4 × jobs`` chunks are in flight, so a long input is streamed."""
        pending: deque = deque()
        it = iter(articles)
        while True:
            while len(pending) < 4 * self.jobs:
                chunk = list(itertools.islice(it, chunksize))
                if not chunk:
                    break
                pending.append(self.submit(chunk))
            if not pending:
                return
            yield from pending.popleft().result()

    def submit(self, articles: list[Article]) -> Future:
        """Check ``articles`` on a worker; the future's result is the list of their results."""
        return self._executor.submit(_check_in_worker, articles)

    def prepare(self, articles: list[Article]) -> Future:
        """Fingerprint ``articles`` for storing (:meth:`Detector.prepare_many`) on a worker."""
        return self._executor.submit(_prepare_in_worker, articles)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "CheckPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_WORKER_DETECTOR: Detector | None = None


def _start_worker(detector: Detector, parent: int) -> None:
    # fork: ``detector`` is the parent's object, inherited, not pickled
    global _WORKER_DETECTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="exit-with-parent", daemon=True).start()
    _WORKER_DETECTOR = detector
    detector.index.reopen()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """Leave when the parent is gone. A parent killed with SIGKILL (``ingest run`` under a supervisor, the OOM
    killer) leaves its workers waiting for work for ever: the sibling workers inherited the task pipe's write
    end, so no worker ever reads end-of-file (seen: ``ingest run`` workers re-parented to init, 40 minutes on)."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(0)


def _check_in_worker(articles: list[Article]) -> list[CheckResult]:
    return _WORKER_DETECTOR.check_batch(articles)


def _prepare_in_worker(articles: list[Article]) -> list[IndexedArticle]:
    return _WORKER_DETECTOR.prepare_many(articles)
