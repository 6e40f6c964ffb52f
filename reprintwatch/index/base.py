"""The licensed-index interface every backend implements.

A backend stores licensed articles with their :class:`Signature` and band keys, returns candidates for a
set of band keys, and hands back stored records. It never decides whether something is a reprint: the
one verifier (``reprintwatch.dedupe.verify``) does, for every backend alike.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from ..articles import Article
from ..dedupe.arrays import unique_sorted
from ..dedupe.fingerprint import FingerprintParams, Signature
from ..dedupe.lsh import batch_shared_key_counts, make_run
from ..dedupe.relations import story_for
from ..errors import LicensedIndexError

# 4: each article's distinct shingles stored (SQLite); 3: a story per article; 2: band keys as sorted runs
# (index/sqlite.py); 1 had one row per key
SCHEMA_VERSION = 4


def stored_fingerprint_params(raw, where: str) -> FingerprintParams:
    """The :class:`FingerprintParams` an index stored (a dict, or its JSON text); damaged or incomplete
    metadata is a :class:`LicensedIndexError`, never silently replaced by defaults."""
    try:
        data = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
        # the rewrite sketch's fields and key_bits are missing from indexes made before them: they read as
        # sketch 'none' and 64-bit keys (FingerprintParams.from_dict) and are refused with the way to migrate,
        # not as damage
        known = {f.name for f in dataclasses.fields(FingerprintParams)
                 if not f.name.startswith("rewrite_") and f.name != "key_bits"}
        if not isinstance(data, dict) or not known <= data.keys():
            missing = sorted(known - data.keys()) if isinstance(data, dict) else []
            raise ValueError(f"missing {', '.join(missing)}" if missing else f"not an object: {raw!r:.60}")
        return FingerprintParams.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise LicensedIndexError(
            f"{where}: its stored fingerprint parameters are damaged ({exc}); re-create the index"
        ) from None


def check_fingerprint_params(
    stored, requested: FingerprintParams, where: str, remedy: str
) -> FingerprintParams:
    """``stored`` (as kept by the index: see :func:`stored_fingerprint_params`) if it equals ``requested``;
    otherwise a :class:`LicensedIndexError` listing the differences."""
    stored = stored_fingerprint_params(stored, where) if not isinstance(stored, FingerprintParams) else stored
    diff = stored.differences(requested)
    if diff:
        details = ", ".join(f"{k}: index {a!r} vs now {b!r}" for k, (a, b) in diff.items())
        if migration_target(stored) == requested:
            remedy = ("Only its keys are of an older kind (the rewrite (洗稿) keys missing, or longer keys), and "
                      "`reprintwatch index migrate` rebuilds them from its stored signatures and texts; or: "
                      + remedy[0].lower() + remedy[1:])
        raise LicensedIndexError(
            f"{where} was built with other fingerprint parameters ({details}); its signatures "
            f"cannot be compared with new ones. {remedy}"
        )
    return stored


def migration_target(stored: FingerprintParams) -> FingerprintParams:
    """The parameters ``index migrate`` gives an index made with ``stored``: its own, plus today's rewrite
    sketch if it has none, and today's ``key_bits``. Both only change keys, which are rebuilt from what
    every index stores (band keys from the signatures, fact keys from the texts): nothing else has to change."""
    fresh = FingerprintParams()
    target = dataclasses.replace(stored, key_bits=fresh.key_bits)
    if stored.rewrite_sketch != "none":
        return target
    return dataclasses.replace(target, rewrite_sketch=fresh.rewrite_sketch, rewrite_rare_freq=fresh.rewrite_rare_freq,
                               rewrite_common_char_freq=fresh.rewrite_common_char_freq)


def max_key_frequency(articles: int) -> int:
    """Band keys found in more articles than this are boilerplate that survived normalisation (a site's
    standard footer, a recurring disclaimer) and are ignored by ``candidates``: they would make every
    article that carries them a candidate of every other. Genuine reprint families stay far below it."""
    return max(100, articles // 100)


class Candidate(tuple):
    """A candidate: the pair ``(article id, shared band keys)`` — it unpacks and compares as that pair — with
    the article's ``story`` (``dedupe/relations.py``) as an attribute."""

    def __new__(cls, article_id: str, shared: int, story: str = ""):
        self = tuple.__new__(cls, (article_id, shared))
        self.story = story or article_id
        return self

    def __reduce__(self):
        return (Candidate, (self[0], self[1], self.story))


def top_candidates(counts: Mapping, limit: int, names: Callable[[list], dict] | None = None,
                   stories: Mapping | None = None) -> list[Candidate]:
    """The candidate order every backend promises: one representative a story — its member sharing most band
    keys, ties by article id — most shared band keys first, ties by article id, at most ``limit`` (the cap
    counts stories). ``counts`` maps a backend's article key to its count; ``names`` turns keys into article
    ids (only the keys that can make the cut are looked up; identity when the keys are ids); ``stories`` maps
    an article id to its story (an article missing from it is a story of its own)."""
    if not counts or limit <= 0:
        return []
    stories = stories or {}
    ranked = sorted(counts.values(), reverse=True)
    if not stories:
        # every article a story of its own: only the keys at or above the limit-th count can make the cut
        cut = ranked[min(limit, len(ranked)) - 1]
        counts = {k: n for k, n in counts.items() if n >= cut}
    ids = names(list(counts)) if names is not None else {k: k for k in counts}
    best: dict[str, Candidate] = {}
    for c in sorted((Candidate(ids[k], n, stories.get(ids[k], "")) for k, n in counts.items() if k in ids),
                    key=lambda c: (-c[1], c[0])):
        if c.story not in best:
            best[c.story] = c
            if len(best) == limit:
                break
    return list(best.values())


def content_hash(article: Article) -> str:
    """SHA-256 over everything stored for an article, so re-adding an unchanged article is a no-op."""
    h = hashlib.sha256()
    for part in (article.content, article.title, article.outlet, article.url, article.published_at or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True, eq=False)
class IndexedArticle:
    """A licensed article ready to store: the article, its signature and its band keys."""

    article: Article
    signature: Signature
    keys: np.ndarray  # int64
    #: the story the article is in (``dedupe/relations.py``): the id of its label article; "" until assigned
    story: str = ""

    @property
    def content_hash(self) -> str:
        return content_hash(self.article)


@dataclass
class AddResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "AddResult") -> "AddResult":
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass
class OptimizeResult:
    """What ``optimize`` did: the pieces a lookup searches (``unit``: Elasticsearch's segment, SQLite's key
    run) before and after, and how long it took."""

    unit: str
    before: int
    after: int
    seconds: float

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class IndexStats:
    backend: str
    location: str
    articles: int
    band_keys: int
    outlets: dict[str, int] = field(default_factory=dict)
    size_bytes: int | None = None
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "backend": self.backend,
            "location": self.location,
            "articles": self.articles,
            "band_keys": self.band_keys,
            "outlets": self.outlets,
            "size_bytes": self.size_bytes,
            "params": self.params,
        }


#: ``index add`` tests a new article against the representatives of this many stories, those sharing most
#: of its sketch keys (and at least ``STORY_MIN_SHARED_KEYS``): a version shares most of its text, so the
#: story it belongs to is among the first few; each one tested is a record read.
STORY_CANDIDATES = 5
#: The story search asks for a **bottom-k sketch** of the article's keys: its ``STORY_SKETCH`` smallest distinct
#: keys (band, window and fact keys are fmix64 mixes cut to 40 bits: uniform, so the smallest are a random
#: sample that two articles draw alike), not all of them (real articles: mean 327, p90 561). Why: on
#: Elasticsearch each key is a term lookup in every segment, and a story search an article made ``index add``
#: cost the node ~11 ms of CPU an article (91 articles per node CPU-second, ~3 h of a core for 1M).
#: Why 32 and 2: a stored version holds each sketch key with probability c, the share of the new article's keys
#: it holds (its containment), so the sketch keys it shares are Binomial(32, c), and it is missed when fewer than
#: 2: P = (1-c)^32 + 32·c·(1-c)^31 = 8·10⁻⁴ at c = 0.26, 1.6·10⁻⁴ at 0.3, 8·10⁻⁹ at 0.5. Versions (≥ 80 % of
#: the smaller's shingles in the larger, sizes within 2×) keep most of their windows intact: over 2,841 real
#: version pairs (bench/story_labels.py's set, both directions) c was 0.26 at least, 0.42 at p1, and the sketch
#: keys shared 6 at least, 12 at p1 — none near 2. What the sketch changed on real articles and versions is
#: in docs/stories.md. An article with at most 32 keys is searched with all of them, as before.
STORY_SKETCH = 32
STORY_MIN_SHARED_KEYS = 2


def story_sketch(distinct_keys: np.ndarray) -> np.ndarray:
    """The keys a story search asks for: the ``STORY_SKETCH`` smallest of an article's sorted distinct keys."""
    return distinct_keys[:STORY_SKETCH]


class LicensedIndex(ABC):
    """Storage of licensed articles for candidate search. Use as a context manager."""

    backend_name: str = ""
    params: FingerprintParams

    @abstractmethod
    def add(self, items: Sequence[IndexedArticle]) -> AddResult:
        """Store a batch. Idempotent by id: an unchanged article is skipped, a changed one replaced.
        Each article is written whole or not at all."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> list[str]:
        """Remove articles; returns the ids that were there."""

    @abstractmethod
    def candidates(self, keys: np.ndarray, limit: int) -> list[tuple[str, int]]:
        """Up to ``limit`` ``(id, shared band keys)`` pairs, most shared first (ties by id: use
        :func:`top_candidates`). Keys held by more than :func:`max_key_frequency` articles are not counted."""

    def candidates_many(self, queries: Sequence[tuple[np.ndarray, int, int]]) -> list[list[tuple[str, int]]]:
        """For each ``(keys, limit, least)``: :meth:`candidates` ``(keys, limit)`` without those sharing fewer
        than ``least`` keys, in order. A backend behind a network answers them in one request
        (Elasticsearch's ``_msearch``) and may skip work ``least`` makes needless; this default asks one at a
        time."""
        return [[c for c in self.candidates(keys, limit) if c[1] >= least] for keys, limit, least in queries]

    @abstractmethod
    def get(self, ids: Sequence[str]) -> list[IndexedArticle]:
        """Stored records for ``ids`` (missing ids are left out), in the order asked, with their story."""

    def unique_shingles(self, ids: Sequence[str]) -> list[tuple[Article, np.ndarray]]:
        """For ``ids`` (missing ids are left out, in the order asked): each stored article and its distinct
        shingles (``Signature.unique_shingles`` of its record) — what listing a version of a reported story
        needs (its overlap with the reported version), not a whole record. This default reads the records
        (:meth:`get`); a backend that can decode less overrides it with the same answers."""
        return [(r.article, r.signature.unique_shingles) for r in self.get(ids)]

    # --- stories (versions of one text, dedupe/relations.py): the backend stores and returns them ---------
    @abstractmethod
    def members(self, stories: Iterable[str]) -> dict[str, list[str]]:
        """The article ids of each story (sorted), for the stories asked that have any."""

    @abstractmethod
    def _stored_stories(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """``id → (content hash, story)`` of those ``ids`` stored."""

    def assign_stories(self, items: Sequence[IndexedArticle], again: bool = False,
                       unseen: Sequence[IndexedArticle] = (),
                       stored: Mapping[str, tuple[str, str]] | None = None) -> list[IndexedArticle]:
        """``items`` with their stories (``IndexedArticle.story``), before a backend writes them: an unchanged
        article keeps its story; a new or changed one joins the story it is a version of
        (:func:`~reprintwatch.dedupe.relations.story_for`: among the representatives of the
        ``STORY_CANDIDATES`` stories sharing most band keys with it, and the articles of the batch before it), or
        starts one labelled by its id (or, when it changed and its old story still has other members, by its id
        and its content hash: a label is never reused for another story). Labels never change: a story's
        representative in a check is its member sharing most band keys, so deleting one promotes another.
        ``again``: stored articles being given stories (``index migrate``, in the order they were added): the
        stories stored are ignored, and only articles with a story already are tested. ``unseen``: articles written
        (with their stories) that searches do not see yet (Elasticsearch between refreshes), tested like the
        batch's. ``stored``: :meth:`_stored_stories` of the batch's ids, when the caller read it already."""
        if not items:
            return []
        if again:
            stored = {}
        elif stored is None:
            stored = self._stored_stories(list(dict.fromkeys(i.article.id for i in items)))
        changed = {i.article.id for i in items if i.article.id in stored and stored[i.article.id][0] != i.content_hash}
        in_use = {story for story, ids in self.members(changed).items() if set(ids) - {story}}
        todo = [n for n, i in enumerate(items) if i.article.id not in stored or i.article.id in changed]
        # the articles searches do not see (``unseen``, then this batch's new or changed ones) are a key run of
        # their own, owned by their positions in ``out``: each new article's sketch is searched in it once, as in
        # the index (batch_shared_key_counts), and it keeps the hits of those before it — the same search both
        # ways, so a version is found alike whether it was stored before or sits in the batch (Elasticsearch's
        # unseen articles and SQLite's stored ones give one story). Keys held by many of them (a site's footer)
        # are no sign of a version, as in candidates(). Per article, two searchsorted calls and a bincount were a
        # fifth of this method's time (5,500 real articles).
        pool = [*unseen, *(items[n] for n in todo)]
        where = [*range(len(unseen)), *(len(unseen) + n for n in todo)]
        distinct = [unique_sorted(np.asarray(i.keys, dtype=np.int64)) for i in pool]
        sketches = [story_sketch(k) for k in distinct[len(unseen):]]
        reps = dict(zip(todo, self.candidates_many([(sketch, STORY_CANDIDATES + 1, STORY_MIN_SHARED_KEYS)
                                                      for sketch in sketches])))
        records = {r.article.id: r for r in self.get(sorted({c[0] for cs in reps.values() for c in cs} - changed))}
        out: list[IndexedArticle] = list(unseen)
        in_batch: dict[int, list[int]] = {}
        if todo:
            asking = np.repeat(np.asarray(where[len(unseen):], dtype=np.int64), [len(k) for k in sketches])
            owners, which, near = batch_shared_key_counts(
                [make_run(distinct, where)], np.concatenate(sketches), asking,
                max_key_frequency(len(pool)))
            owners = owners.astype(np.int64)
            keep = (owners < which) & (near >= STORY_MIN_SHARED_KEYS)
            owners, which, near = owners[keep], which[keep], near[keep]
            order = np.lexsort((owners, -near, which))  # each article's, most shared first, ties by position
            for here, m in zip(which[order].tolist(), owners[order].tolist()):
                in_batch.setdefault(here, []).append(m)
        mates = self._story_mates({items[n].article.id: stored[items[n].article.id][1] for n in todo
                                   if items[n].article.id in changed and any(c[0] == items[n].article.id for c in reps[n])},
                                  changed, records)
        for n, item in enumerate(items):
            art_id = item.article.id
            if n not in reps:
                out.append(dataclasses.replace(item, story=stored[art_id][1]))
                continue
            here = len(out)
            near_ones = [m for m in in_batch.get(here, ()) if out[m].article.id != art_id][:STORY_CANDIDATES]
            known = [(records[c[0]].article.id, records[c[0]].story, records[c[0]].signature.unique_shingles)
                     for c in reps[n] if c[0] in records and c[0] != art_id and records[c[0]].story][:STORY_CANDIDATES]
            known += [(r.article.id, r.story, r.signature.unique_shingles) for r in mates.get(art_id, ()) if r.story]
            known += [(out[m].article.id, out[m].story, out[m].signature.unique_shingles) for m in near_ones]
            story = story_for(item.signature.unique_shingles, known) or (
                f"{art_id}~{item.content_hash[:12]}" if art_id in in_use else art_id)
            out.append(dataclasses.replace(item, story=story))
        return out[len(unseen):]

    def _story_mates(self, shadowed: Mapping[str, str], changed: set[str],
                     records: Mapping[str, IndexedArticle]) -> dict[str, list[IndexedArticle]]:
        """For each changed article whose own old record stood for its old story in the story search
        (``shadowed``: id → that story), up to ``STORY_CANDIDATES`` other members of the story, to be tested in
        its place (``records``: those the search read already, not read again). The old record shares most keys
        with the new text, so the search returns it as the story's representative, and it is stale, not tested:
        without this a changed version left its story for one of its own (bench/story_labels.py, 5,949 real
        articles and versions, 200 of them changed: 3,194 stories after the re-adds on cfac5ca, 3,061 with this;
        133 labels differ)."""
        if not shadowed:
            return {}
        wanted = {story: [i for i in ids if i not in changed][:STORY_CANDIDATES]
                  for story, ids in self.members(set(shadowed.values())).items()}
        got = {**records, **{r.article.id: r for r in self.get(
            sorted({i for ids in wanted.values() for i in ids} - set(records)))}}
        return {art_id: [got[i] for i in wanted.get(story, ()) if i in got] for art_id, story in shadowed.items()}

    @abstractmethod
    def stats(self) -> IndexStats: ...

    @abstractmethod
    def optimize(self) -> OptimizeResult:
        """After a large load: rewrite the index into as few pieces as a lookup has to search. Candidates
        are the same before and after; only their cost changes."""

    #: True when the index answers across the network (a server): ``Detector.scan`` then fingerprints the
    #: next batch while the lookups of one are in flight.
    remote: bool = False

    #: True when :meth:`reopen` lets a forked worker process use this index (``Detector.check_many``);
    #: otherwise checks run in one process.
    forkable: bool = False

    def reopen(self) -> None:
        """Called in a forked worker process: replace the connections inherited from the parent.
        Read-only state loaded by the parent (a key table, a dictionary) may be kept."""
        raise NotImplementedError(f"{type(self).__name__} cannot be used from a forked process")

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
