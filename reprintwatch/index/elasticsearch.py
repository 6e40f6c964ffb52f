"""The licensed index on Elasticsearch: for many licensed articles and many checkers at once.

Layout: one concrete index ``<name>-v<MAPPING_VERSION>`` behind the alias ``<name>`` (``--es-index``), so a
new layout can be built beside the old one and swapped in atomically (:meth:`ElasticsearchIndex.migrate`).
The mapping is explicit and strict. Each licensed article is one document (``_id`` = article id):

* metadata (``id``, ``outlet``, ``url``, ``published_at``, ``content_hash`` as ``keyword``; ``title`` as text);
* ``content`` — kept for display and evidence, not indexed (candidate search never looks at words);
* ``signature`` — ``Signature.to_bytes()`` as ``binary`` (stored, not indexed): what the verifier needs;
* ``bands`` — the LSH band keys (article and window level) as ``keyword`` terms, indexed but left out of
  ``_source`` and without doc values: they are a pure function of the signature, recomputed when needed;
* ``band_count`` — how many keys the article has (for stats);
* ``story`` — the label of its story (versions of one text, ``dedupe/relations.py``) as ``keyword``: candidate
  search collapses on it (one representative a story; the cap counts stories).

The index ``_meta`` holds the mapping version and the :class:`FingerprintParams`; opening with other
parameters is an error, as for SQLite. Candidate search is one ``bool`` query of ``constant_score`` term
clauses, so a document's score is exactly the number of band keys it shares with the suspect. The verdict
comes from the one verifier (``reprintwatch.dedupe.verify``) in the detector, as for every backend.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    ConnectionError as ESConnectionError,
    Elasticsearch,
    NotFoundError,
    SSLError,
    TransportError,
    UnsupportedProductError,
    helpers,
)
from elasticsearch.exceptions import ElasticsearchWarning, GeneralAvailabilityWarning

from ..articles import Article
from ..dedupe.fingerprint import FingerprintParams, Signature, index_keys
from ..errors import LicensedIndexError
from .base import (
    AddResult, Candidate, IndexedArticle, IndexStats, LicensedIndex, OptimizeResult, check_fingerprint_params, content_hash, max_key_frequency,
    stored_fingerprint_params, top_candidates, migration_target,
)

# A local development node runs without security; its warning header says so on every response.
warnings.filterwarnings("ignore", message=".*security features are not enabled.*", category=ElasticsearchWarning)

#: Version of the document layout below. Bump it when the mapping changes; older indexes are then refused
#: with a pointer to ``reprintwatch index migrate``, which rebuilds them from the stored signatures.
MAPPING_VERSION = 2  # 2: ``story``

#: Clauses in one candidate query. Elasticsearch 8 derives its clause limit from the heap and the search
#: thread pool (max(1024, heap MB × 64 / threads): 8,192 for a 512 MB heap on 2 cores). A suspect brings
#: ~50–300 keys, a long page thousands; a query over more keys is split (a ``filters`` count of its keys,
#: then two searches a part), and a node refusing a query as too many clauses halves this for the index.
#: 1,000 split 14 of bench/es_scale.py's first 200 checks, its p99: with 4,096 none, candidates p99 304 →
#: 124 ms and node CPU 8.0 → 4.7 ms a check, same candidates (50,000 articles, one segment, busy machine;
#: bench/es_profile.py --clauses 1000,4096).
MAX_CLAUSES = 4096

#: What a story's members are read from: the keywords' doc values, no stored field (not even ``_source``).
MEMBERS_FROM = {"_source": False, "stored_fields": "_none_", "docvalue_fields": ["id", "story"]}

_MAX_ID_BYTES = 512  # Elasticsearch's limit for _id
_MAX_DF_KEPT = 200_000  # keys' counts an index object keeps (~30 MB); more, and it starts over
#: Articles a bulk load keeps in memory while searches do not see them (a new article's story is looked for
#: among them too); beyond this many the index is refreshed. Bounds the memory: a record is a few KB.
_MAX_UNSEEN = 5000
_RETRY_STATUS = (429, 502, 503, 504)

#: What the client raises for a failed request (HTTP errors, connection and TLS failures, timeouts): the
#: only exceptions turned into "Elasticsearch failed" (exit 3). Anything else is a bug and stays one.
ES_ERRORS = (ApiError, TransportError)


class _Overloaded(Exception):
    """Some documents of a bulk request (or searches of an ``_msearch``) were refused with a retryable status
    (429/50x): retry them."""


class _TooManyClauses(Exception):
    """The node refused a candidate query as having more clauses than it allows: split it smaller."""

MAPPINGS = {
    "dynamic": "strict",
    "_source": {"excludes": ["bands"]},
    "properties": {
        "id": {"type": "keyword"},
        "outlet": {"type": "keyword"},
        "title": {"type": "text"},
        "url": {"type": "keyword", "index": False},
        "published_at": {"type": "keyword"},
        "content_hash": {"type": "keyword", "index": False},
        "content": {"type": "text", "index": False},
        "signature": {"type": "binary"},
        "bands": {"type": "keyword", "doc_values": False, "norms": False},
        "band_count": {"type": "integer"},
        "story": {"type": "keyword"},
    },
}

def safe_url(url: str) -> str:
    """``url`` without user:password, for messages."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def doc_id(article_id: str) -> str:
    """The ``_id`` of an article: its id, or a digest of it when it is longer than Elasticsearch allows."""
    if len(article_id.encode("utf-8", "surrogatepass")) <= _MAX_ID_BYTES:
        return article_id
    return "sha256:" + hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()


def to_document(item: IndexedArticle) -> dict:
    art = item.article
    keys = np.unique(np.asarray(item.keys, dtype=np.int64))
    return {
        "id": art.id,
        "outlet": art.outlet,
        "title": art.title,
        "url": art.url,
        "published_at": art.published_at,
        "content_hash": content_hash(art),
        "content": art.content,
        "signature": base64.b64encode(item.signature.to_bytes()).decode("ascii"),
        "bands": list(map(str, keys.tolist())),
        "band_count": int(len(keys)),
        "story": item.story or art.id,
    }


def from_document(source: dict) -> IndexedArticle:
    article = Article(
        source["id"], source.get("content") or "", source.get("title") or "", source.get("outlet") or "",
        source.get("url") or "", source.get("published_at"),
    )
    signature = Signature.from_bytes(base64.b64decode(source["signature"]))
    return IndexedArticle(article, signature, np.zeros(0, np.int64), source.get("story") or "")


def _meta(params: FingerprintParams) -> dict:
    return {"reprintwatch": {"mapping_version": MAPPING_VERSION, "fingerprint": params.to_dict()}}


def make_client(
    url: str,
    api_key: str | None = None,
    username: str | None = None,
    password: str | None = None,
    ca_certs: str | None = None,
    request_timeout: float = 30,
) -> Elasticsearch:
    # No retries in the client: the one retry policy is ElasticsearchIndex._retrying (back-off included).
    kwargs: dict = {"request_timeout": request_timeout, "max_retries": 0, "retry_on_timeout": False}
    if api_key:
        kwargs["api_key"] = api_key
    elif username:
        kwargs["basic_auth"] = (username, password or "")
    if ca_certs:
        kwargs["ca_certs"] = ca_certs
    try:
        return Elasticsearch(url, **kwargs)
    except (ValueError, TypeError) as exc:
        raise LicensedIndexError(f"bad Elasticsearch URL or options {safe_url(url)!r}: {exc}") from None


def explain(exc: Exception, url: str, doing: str) -> LicensedIndexError:
    """A user-facing error for a client exception (one of :data:`ES_ERRORS`): what failed, where, and what
    to do."""
    where = safe_url(url)
    if isinstance(exc, LicensedIndexError):
        return exc
    if isinstance(exc, SSLError):
        return LicensedIndexError(
            f"TLS failed talking to Elasticsearch at {where} while trying to {doing}: {exc.message}; "
            "pass the cluster's CA certificate with --es-ca-certs (REPRINTWATCH_ES_CA_CERTS)"
        )
    if isinstance(exc, ESConnectionError):
        return LicensedIndexError(
            f"cannot reach Elasticsearch at {where} (while trying to {doing}): {exc.message}. Is it running? "
            "Start the local node with `scripts/elasticsearch.sh start`, or point --es-url / REPRINTWATCH_ES_URL "
            "at your cluster"
        )
    if isinstance(exc, AuthenticationException):
        return LicensedIndexError(
            f"Elasticsearch at {where} rejected the credentials (HTTP 401) while trying to {doing}; check "
            "--es-api-key (REPRINTWATCH_ES_API_KEY) or --es-username/--es-password "
            "(REPRINTWATCH_ES_USERNAME/REPRINTWATCH_ES_PASSWORD)"
        )
    if isinstance(exc, AuthorizationException):
        return LicensedIndexError(
            f"Elasticsearch at {where} refused to let these credentials {doing} (HTTP 403): {_reason(exc)}; "
            "the user or API key needs read/write/manage privileges on the index"
        )
    if isinstance(exc, UnsupportedProductError):
        return LicensedIndexError(f"{where} does not answer like Elasticsearch (while trying to {doing})")
    if isinstance(exc, ApiError):
        return LicensedIndexError(
            f"Elasticsearch at {where} failed to {doing}: HTTP {exc.meta.status} {_reason(exc)}"
        )
    return LicensedIndexError(f"Elasticsearch at {where} failed to {doing}: {exc.message}")


def _reason(exc: ApiError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    err = body.get("error")
    if isinstance(err, dict):
        return f"{err.get('type', '')}: {err.get('reason', '')}".strip(": ")
    return str(err or exc.message)


def _error_types(exc: ApiError) -> set[str]:
    body = exc.body if isinstance(exc.body, dict) else {}
    return _types_in(body.get("error"))


def _types_in(error) -> set[str]:
    """Every ``type`` named in an error object of Elasticsearch (its causes included)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("type"), str):
                found.add(node["type"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(error)
    return found



def _behind(es: Elasticsearch, name: str, url: str) -> tuple[str, dict] | None:
    """``(concrete index, its _meta)`` behind the alias or index ``name``; None when there is none."""
    try:
        found = es.indices.get(index=name)
    except NotFoundError:
        return None
    if len(found) != 1:
        raise LicensedIndexError(
            f"{name!r} at {url} points at {len(found)} indices ({', '.join(sorted(found))}); it must name exactly one"
        )
    (concrete, info), = found.items()
    return concrete, (info.get("mappings") or {}).get("_meta") or {}


def check_meta(meta: dict, name: str, url: str, allow_older: bool = False) -> tuple[FingerprintParams, int]:
    """The checks every opening makes (and migration too, which alone accepts an older layout): a
    reprintwatch index, a mapping version this code understands, intact fingerprint parameters."""
    ours = meta.get("reprintwatch")
    if not isinstance(ours, dict):
        raise LicensedIndexError(
            f"index {name!r} at {url} is not a reprintwatch licensed index (no _meta.reprintwatch); "
            "choose another --es-index"
        )
    version = ours.get("mapping_version")
    if not isinstance(version, int) or version > MAPPING_VERSION:
        raise LicensedIndexError(
            f"index {name!r} at {url} has mapping version {version!r}, newer than this reprintwatch "
            f"understands ({MAPPING_VERSION}); upgrade reprintwatch"
        )
    if version < MAPPING_VERSION and not allow_older:
        raise LicensedIndexError(
            f"index {name!r} at {url} has mapping version {version}, this reprintwatch uses "
            f"{MAPPING_VERSION}; upgrade it with `reprintwatch --backend elasticsearch --es-url {url} "
            f"--es-index {name} index migrate`"
        )
    return stored_fingerprint_params(ours.get("fingerprint"), f"index {name!r} at {url}"), version


@dataclass
class MigrateResult:
    alias: str
    old_index: str | None
    new_index: str
    documents: int
    migrated: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class ElasticsearchIndex(LicensedIndex):
    backend_name = "elasticsearch"
    remote = True

    def __init__(
        self,
        client: Elasticsearch,
        name: str = "reprintwatch",
        params: FingerprintParams | None = None,
        create: bool = False,
        url: str = "",
        shards: int = 1,
        replicas: int = 0,
        write_retries: int = 5,
        backoff: float = 0.5,
        chunk_size: int = 500,
    ):
        self.es = client
        self.name = name
        self.url = safe_url(url or _client_url(client))
        self.shards = shards
        self.replicas = replicas
        self.write_retries = write_retries
        self.backoff = backoff
        self.chunk_size = chunk_size
        self.max_clauses = MAX_CLAUSES
        self._df: dict[str, int] = {}
        self._hot: set[str] = set()  # the keys of _df held by more than max_df articles
        self._count = None
        self._refresh_each_batch = True  # off inside bulk_load()
        self._unseen: list[IndexedArticle] = []  # written inside bulk_load(), not refreshed yet: stories test them
        self._client_args: tuple | None = None  # set by from_settings: lets a forked worker make its own client
        requested = params or FingerprintParams()
        try:
            # not retried: an unreachable node at open is reported at once (exit 3), not after back-off
            self.index_name, meta = self._resolve(create, requested)
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"open index {name!r}") from None
        self.params = self._check_meta(meta, requested)

    @classmethod
    def from_settings(cls, settings, params: FingerprintParams | None = None, create: bool = False,
                      **kwargs) -> "ElasticsearchIndex":
        client = make_client(
            settings.es_url, settings.es_api_key, settings.es_username, settings.es_password, settings.es_ca_certs
        )
        try:
            index = cls(client, settings.es_index, params=params, create=create, url=settings.es_url,
                        shards=settings.es_shards, replicas=settings.es_replicas, **kwargs)
        except BaseException:
            client.close()
            raise
        index._client_args = (settings.es_url, settings.es_api_key, settings.es_username, settings.es_password,
                              settings.es_ca_certs)
        return index

    @property
    def _count(self) -> int | None:
        """Live articles in the index, counted once (``None``: not yet, or the index changed since)."""
        return self._articles

    @_count.setter
    def _count(self, value: int | None) -> None:
        # ``_df`` — the live articles holding each key a hot-key count has counted, so that a key met again is
        # left out (hot) or not counted again (not hot) — is kept exactly as long as the article count:
        # whatever forgets the count (add, delete) forgets the keys' counts with it
        if value is None:
            self._df = {}
            self._hot = set()
        self._articles = value

    @property
    def forkable(self) -> bool:
        return self._client_args is not None

    def reopen(self) -> None:
        """In a forked worker: a client of its own (pooled HTTP connections must not be shared across a fork)."""
        self.es = make_client(*self._client_args)

    # --- opening ----------------------------------------------------------------------------------------
    def _resolve(self, create: bool, params: FingerprintParams) -> tuple[str, dict]:
        """``(concrete index, its _meta)`` behind ``self.name``; creates both when allowed."""
        found = _behind(self.es, self.name, self.url)
        if found is None:
            if not create:
                raise LicensedIndexError(
                    f"no licensed index {self.name!r} at Elasticsearch {self.url}; create it with "
                    f"`reprintwatch --backend elasticsearch --es-url {self.url} --es-index {self.name} "
                    "index add FILE.jsonl` (or point --es-index / REPRINTWATCH_ES_INDEX at an existing one)"
                )
            return self._create(params)
        return found

    def _create(self, params: FingerprintParams) -> tuple[str, dict]:
        concrete = f"{self.name}-v{MAPPING_VERSION}"
        body_mappings = dict(MAPPINGS, _meta=_meta(params))
        try:
            self.es.indices.create(
                index=concrete,
                mappings=body_mappings,
                settings={"number_of_shards": self.shards, "number_of_replicas": self.replicas},
                aliases={self.name: {"is_write_index": True}},
            )
        except ApiError as exc:
            if "resource_already_exists_exception" not in _error_types(exc):
                raise
            # another writer created it first, or a leftover without alias: use what is there
            found = self.es.indices.get(index=concrete)
            if self.name not in found[concrete].get("aliases", {}):
                raise LicensedIndexError(
                    f"index {concrete!r} exists at {self.url} but the alias {self.name!r} does not point at it "
                    "(left over by an interrupted run?); delete that index, or add the alias to it if it holds "
                    "what you want"
                ) from None
            return concrete, found[concrete]["mappings"].get("_meta") or {}
        return concrete, body_mappings["_meta"]

    def _check_meta(self, meta: dict, params: FingerprintParams) -> FingerprintParams:
        stored, _version = check_meta(meta, self.name, self.url)
        return check_fingerprint_params(
            stored, params, f"index {self.name!r} at {self.url}", "Re-index into a new --es-index."
        )

    # --- writes -----------------------------------------------------------------------------------------
    def add(self, items: Sequence[IndexedArticle]) -> AddResult:
        self._count = None
        result = AddResult()
        if not items:
            return result
        ids = list(dict.fromkeys(item.article.id for item in items))
        try:
            # one read of what the batch's ids hold (hash and story) serves the stories and the write below: a
            # second mget of the same hashes was a round trip a batch
            stored_now = self._retrying(lambda: self._stored_stories(ids))
            items = self.assign_stories(items, unseen=self._unseen, stored=stored_now)
        except ES_ERRORS + (LicensedIndexError,) as exc:
            why = exc if isinstance(exc, LicensedIndexError) else explain(exc, self.url, f"read index {self.name!r}")
            raise LicensedIndexError(
                f"{why} — while finding the stories of a batch, before writing it: none of its {len(items)} "
                "articles were stored (all earlier batches were); rerun the same command once Elasticsearch is "
                "back; articles already stored are skipped.") from None
        finally:
            self._count = None  # counted by the stories' candidate searches, before this batch is written
        latest: dict[str, IndexedArticle] = {}
        for item in items:  # the last copy of an id in a batch wins, as in SQLite
            latest.pop(item.article.id, None)
            latest[item.article.id] = item
        stored: list[str] = []
        try:
            existing = {i: digest for i, (digest, _) in stored_now.items()}
            # count like SQLite, which applies a batch in order; write only the last version of each id
            current = dict(existing)
            for item in items:
                digest = item.content_hash
                before = current.get(item.article.id)
                if before == digest:
                    result.unchanged += 1
                elif before is None:
                    result.added += 1
                else:
                    result.updated += 1
                current[item.article.id] = digest
            todo = {i: item for i, item in latest.items() if existing.get(i) != item.content_hash}
            if todo:
                self._bulk_index(todo, stored)
                if not self._refresh_each_batch:
                    self._unseen += todo.values()
                if self._refresh_each_batch or len(self._unseen) > _MAX_UNSEEN:
                    self._retrying(lambda: self.es.indices.refresh(index=self.name))
                    self._unseen = []
        except ES_ERRORS + (_Overloaded,) as exc:
            if isinstance(exc, _Overloaded):
                raise LicensedIndexError(
                    f"Elasticsearch at {self.url} kept refusing documents as overloaded ({exc}) — {len(stored)} "
                    f"of {len(latest)} articles of this batch were stored (and all earlier batches); rerun the "
                    "same command later; articles already stored are skipped."
                ) from None
            went_away = not isinstance(exc, ApiError) or exc.meta.status in _RETRY_STATUS
            raise LicensedIndexError(
                f"{explain(exc, self.url, f'write to index {self.name!r}')} — {len(stored)} of {len(latest)} "
                "articles of this batch were stored (and all earlier batches). No article is half-written: rerun "
                f"the same command{' once Elasticsearch is back' if went_away else ''}; articles already stored "
                "are skipped."
            ) from None
        return result

    @contextmanager
    def bulk_load(self):
        """For a large load (``with index.bulk_load(): index.add(...)`` many times): no refresh after each
        batch, one at the end (also when the load fails), so searches see the new articles from then on.

        Nothing in the index settings changes (no leftover ``refresh_interval: -1`` if the process dies): a
        shard nobody searches is search-idle and skips its periodic refresh anyway. A refresh per batch
        writes one small segment per batch, which the node then spends CPU merging."""
        self._refresh_each_batch = False
        try:
            yield self
        finally:
            self._refresh_each_batch = True
            self._unseen = []
            try:
                self._retrying(lambda: self.es.indices.refresh(index=self.name))
            except ES_ERRORS as exc:
                raise explain(exc, self.url, f"refresh index {self.name!r}") from None

    def optimize(self, segments: int = 1, poll_s: float = 2.0) -> OptimizeResult:
        """Force-merge the index to ``segments`` segment(s) (default one), after a large load.

        A candidate search looks up every band key of the suspect (~300) in every segment's term dictionary,
        so its cost grows with the segments a bulk load leaves (34 at 1M articles). The merge runs as a
        task on the node (it can take minutes for gigabytes: the request returns at once and the task is
        polled), then a refresh. Searches keep working meanwhile, on the old segments. Best run once writing
        has stopped: a segment this large is not merged again with later small ones until they have many
        deletions, which Elasticsearch handles, but the index then carries a few extra segments again."""
        t0 = time.perf_counter()
        try:
            before = self._segment_count()
            task = self._retrying(lambda: self.es.indices.forcemerge(
                index=self.name, max_num_segments=segments, wait_for_completion=False))["task"]
            wait = 0.05
            while True:
                with warnings.catch_warnings():  # the client calls the task API a preview; stable since 5.x
                    warnings.simplefilter("ignore", GeneralAvailabilityWarning)
                    status = self._retrying(lambda: self.es.tasks.get(task_id=task)).body
                if status.get("completed"):
                    break
                time.sleep(wait)
                wait = min(poll_s, wait * 2)
            if status.get("error"):
                raise LicensedIndexError(
                    f"Elasticsearch at {self.url} failed to force-merge index {self.name!r}: "
                    f"{status['error'].get('type', '')}: {status['error'].get('reason', '')}")
            self._retrying(lambda: self.es.indices.refresh(index=self.name))
            after = self._segment_count()
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"force-merge index {self.name!r}") from None
        return OptimizeResult("segment", before, after, time.perf_counter() - t0)

    def _segment_count(self) -> int:
        stats = self._retrying(lambda: self.es.indices.stats(index=self.name, metric="segments")).body
        return int(stats["_all"]["primaries"]["segments"]["count"])

    def _retrying(self, call):
        """``call()``, retried with exponential back-off while the node is unreachable or overloaded: the
        one retry policy of this module (the client itself does not retry)."""
        attempt = 0
        while True:
            try:
                return call()
            except ES_ERRORS + (_Overloaded,) as exc:
                retryable = (
                    exc.meta.status in _RETRY_STATUS if isinstance(exc, ApiError) else True
                ) and not isinstance(exc, (SSLError, LicensedIndexError))
                if not retryable or attempt >= self.write_retries:
                    raise
                time.sleep(min(30.0, self.backoff * 2**attempt))
                attempt += 1

    def _bulk_index(self, todo: dict[str, IndexedArticle], stored: list[str]) -> None:
        """Index whole documents with ``streaming_bulk``; what is not yet acknowledged (the node went away,
        or documents refused as overloaded) is sent again by :meth:`_retrying`. Acknowledged ids are
        appended to ``stored``; documents refused for good become a LicensedIndexError."""
        pending = dict(todo)
        by_doc = {doc_id(i): i for i in todo}

        def one_pass() -> None:
            failures: list[tuple[str, str]] = []
            overloaded = 0
            actions = (
                {"_op_type": "index", "_index": self.name, "_id": doc_id(art_id), "_source": to_document(item)}
                for art_id, item in list(pending.items())
            )
            for ok, info in helpers.streaming_bulk(
                self.es, actions, chunk_size=self.chunk_size, max_chunk_bytes=50 * 1024 * 1024,
                raise_on_error=False, raise_on_exception=True, max_retries=0,
            ):
                item = info.get("index", {})
                art_id = by_doc.get(item.get("_id"))
                if ok and art_id in pending:
                    del pending[art_id]
                    stored.append(art_id)
                elif not ok and item.get("status") in _RETRY_STATUS:
                    overloaded += 1
                elif not ok:
                    failures.append((art_id or str(item.get("_id")), _item_error(item)))
            if failures:
                shown = "; ".join(f"{i}: {why}" for i, why in failures[:3])
                raise LicensedIndexError(
                    f"Elasticsearch at {self.url} refused {len(failures)} article(s) for index {self.name!r}: {shown}"
                )
            if overloaded:
                raise _Overloaded(f"{overloaded} document(s) refused with HTTP 429/50x")

        self._retrying(one_pass)

    def delete(self, ids: Iterable[str]) -> list[str]:
        self._count = None
        id_list = list(dict.fromkeys(ids))
        if not id_list:
            return []
        by_doc = {doc_id(i): i for i in id_list}
        deleted: list[str] = []

        def one_pass() -> None:
            for ok, info in helpers.streaming_bulk(
                self.es,
                ({"_op_type": "delete", "_index": self.name, "_id": d} for d in by_doc),
                chunk_size=self.chunk_size, raise_on_error=False, max_retries=0, ignore_status=(404,),
            ):
                item = info.get("delete", {})
                if ok and item.get("result") == "deleted" and by_doc[item["_id"]] not in deleted:
                    deleted.append(by_doc[item["_id"]])
            self.es.indices.refresh(index=self.name)

        try:
            self._retrying(one_pass)
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"delete from index {self.name!r}") from None
        order = {i: n for n, i in enumerate(id_list)}
        return sorted(deleted, key=order.__getitem__)

    # --- reads ------------------------------------------------------------------------------------------
    def candidates(self, keys: np.ndarray, limit: int) -> list[tuple[str, int]]:
        return self.candidates_many([(keys, limit, 1)])[0]

    def candidates_many(self, queries: Sequence[tuple[np.ndarray, int, int]]) -> list[list[tuple[str, int]]]:
        """:meth:`candidates` of each ``(keys, limit)`` sharing at least ``least`` keys, for each ``(keys,
        limit, least)``, the searches of all of them sent together: one ``_msearch`` request a step
        (:meth:`_candidates_ignoring_hot`), run side by side on the node's search threads. ``scan`` sends a
        batch's checks at once: a request per check was most of a check's wall clock on a small index (a
        round trip, the client's encoding, the node waiting between requests)."""
        prepared = [(_terms(keys), limit) for keys, limit, _least in queries]
        try:
            found = self._retrying(lambda: self._candidates_ignoring_hot(prepared, [q[2] for q in queries]))
            return [[c for c in cands if c[1] >= q[2]] for cands, q in zip(found, queries)]
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"search index {self.name!r}") from None
        except _Overloaded as exc:
            raise LicensedIndexError(f"Elasticsearch at {self.url} kept refusing searches of index {self.name!r} "
                                     f"as overloaded ({exc}); try again later") from None

    def _candidates_ignoring_hot(self, queries: list[tuple[list[str], int]], least: list[int]) -> list[list[tuple[str, int]]]:
        """Candidates of each query counted over the keys that are not hot (held by more than
        :func:`max_key_frequency` articles, ignored as in SQLite). Hot keys are rare (a footer normalisation
        does not know): the candidate query over all keys also counts the articles it matches, up to
        ``max_df + 1``; when they are at most ``max_df``, no key can be held by more (each key's articles are
        among them), so its counts are final — one search. Otherwise the keys' articles are counted
        (:meth:`_hot_terms_body`) and, only if some key is hot, the query is sent again without the hot keys.
        Each of those steps is one ``_msearch`` for all the queries that need it; a query whose best count,
        hot keys included, is below its ``least`` needs neither (without them, counts only fall): 280 of the
        600 hot-key counts of a 900-text scan at 4,000 licensed (fact keys of unrelated texts, sharing common
        dates and places). A key counted once is not counted again while the index is unchanged (``_df``): hot,
        it is left out of the first search; not hot, it is left out of later counts — in the same scan, 1,793 →
        1,559 searches and 37,259 → 25,608 keys counted, identical candidates. Counting every key's
        articles first (a ``filters`` aggregation, then the query) cost the node 95 ms of CPU per check at
        299,000 articles, this path 44 ms, same candidates (``bench/es_scale.py``, docs/elasticsearch.md)."""
        out: list[list[tuple[str, int]]] = [[] for _ in queries]
        if self._count is None:
            self._count = int(self.es.count(index=self.name)["count"])
        max_df = max_key_frequency(self._count)
        no_hot = self._count <= max_df  # no key can be held by more articles than there are
        if not no_hot and (hot := self._hot):
            # keys already counted hot are left out before the first search: without them a query matching
            # more than max_df articles before often matches fewer, and is final in one search. A set of the
            # hot ones, not a look-up of each key's count: that Python loop over every key of every query was
            # ~0.3 ms of a check's ~3 ms in the checking process (cProfile, 4,000 licensed, bench/es_scan.py)
            queries = [(terms if hot.isdisjoint(terms) else [t for t in terms if t not in hot], limit)
                       for terms, limit in queries]
        whole: list[int] = []
        for n, (terms, limit) in enumerate(queries):
            if not terms or limit <= 0:
                continue
            if len(terms) <= self.max_clauses:
                whole.append(n)
                continue
            # a split query (a very long page, rare): counts first, then the parts, on its own
            rest = terms if no_hot else self._without_hot(terms, max_df)
            out[n] = self._candidates(rest, limit) if rest else []
        track = 0 if no_hot else max_df + 1
        counted = self._msearch([self._count_query_body(*queries[n], track=track) for n in whole])
        unsure: list[tuple[int, dict]] = []
        for n, resp in zip(whole, counted):
            terms, limit = queries[n]
            if self._refused_as_too_many_clauses(resp):
                rest = terms if no_hot else self._without_hot(terms, max_df)
                out[n] = self._candidates(rest, limit) if rest else []  # halves the query and retries
                continue
            total = resp["hits"]["total"] if track else None
            hits = _hits(resp)
            if total is None or (total["relation"] == "eq" and total["value"] <= max_df):
                out[n] = hits
            elif not hits or hits[0][1] < least[n]:
                continue  # none can reach ``least``, hot keys counted or not
            else:
                unsure.append((n, resp))
        # only keys not counted before: those are known not hot (the hot ones were left out above)
        uncounted = [[t for t in queries[n][0] if t not in self._df] for n, _ in unsure]
        hot_counts = self._msearch([self._hot_terms_body(terms) for terms in uncounted if terms])
        again: list[tuple[int, list[str]]] = []
        answers = iter(hot_counts)
        for (n, resp), terms in zip(unsure, uncounted):
            hot = self._learn_hot(next(answers), max_df) if terms else set()
            if not hot:
                out[n] = _hits(resp)
            elif rest := [t for t in queries[n][0] if t not in hot]:
                again.append((n, rest))
        for (n, rest), resp in zip(again, self._msearch([self._count_query_body(r, queries[n][1]) for n, r in again])):
            out[n] = (self._candidates(rest, queries[n][1]) if self._refused_as_too_many_clauses(resp)
                      else _hits(resp))
        return out

    def _msearch(self, bodies: list) -> list[dict]:
        """Searches (bodies as dicts or JSON text) in ``_msearch`` requests of at most :data:`_MSEARCH_BYTES`
        each (one, as a rule): their responses, in order.
        A search refused as too many clauses comes back as it is (:meth:`_refused_as_too_many_clauses`);
        refused as overloaded, it raises :class:`_Overloaded` (retried); refused otherwise,
        a :class:`LicensedIndexError` naming why."""
        out: list[dict] = []
        for part in _msearch_parts([b if isinstance(b, str) else json.dumps(b) for b in bodies], _MSEARCH_BYTES):
            resp = self.es.msearch(index=self.name, searches=[line for body in part for line in ("{}", body)])
            out += resp.body["responses"]
        for item in out:
            if "error" in item and not self._refused_as_too_many_clauses(item):
                if item.get("status") in _RETRY_STATUS:
                    raise _Overloaded(f"a search refused with HTTP {item['status']}")
                raise LicensedIndexError(f"Elasticsearch at {self.url} failed to search index {self.name!r}: "
                                         f"HTTP {item.get('status')} {_item_error(item)}")
        return out

    @staticmethod
    def _refused_as_too_many_clauses(item: dict) -> bool:
        return "error" in item and bool({"too_many_clauses", "too_many_nested_clauses"} & _types_in(item["error"]))

    def _without_hot(self, terms: list[str], max_df: int) -> list[str]:
        hot = self._hot.intersection(terms)
        if uncounted := [t for t in terms if t not in self._df]:
            hot |= self._learn_hot(self._msearch([self._hot_terms_body(uncounted)])[0], max_df)
        return [t for t in terms if t not in hot]

    def _learn_hot(self, resp: dict, max_df: int) -> set[str]:
        """The hot keys of a hot-key count's response; every key's count kept in ``_df``."""
        if len(self._df) > _MAX_DF_KEPT:
            self._df = {}
            self._hot = set()
        counts = {t: bucket["doc_count"] for t, bucket in resp["aggregations"]["df"]["buckets"].items()}
        self._df.update(counts)
        hot = {t for t, n in counts.items() if n > max_df}
        self._hot |= hot
        return hot

    @staticmethod
    def _hot_terms_body(terms: list[str]) -> dict:
        """A ``filters`` aggregation counting each term's live articles (bands keep no doc values). With no query,
        Elasticsearch runs it filter by filter and counts a term in a segment without deletions in constant
        time (its document frequency) instead of visiting every article holding it: a hot key is exactly the
        one with a long posting list."""
        return {"size": 0, "track_total_hits": False,
                "aggs": {"df": {"filters": {"filters": {t: {"term": {"bands": t}} for t in terms}}}}}

    def _candidates(self, terms: list[str], limit: int) -> list[tuple[str, int]]:
        while True:
            chunks = [terms[i : i + self.max_clauses] for i in range(0, len(terms), self.max_clauses)]
            try:
                if len(chunks) == 1:
                    return self._count_query(chunks[0], limit)
                # Split query: the union of each part's best, then exact counts for that union.
                union: set[str] = set()
                for chunk in chunks:
                    union.update(i for i, _ in self._count_query(chunk, limit))
                if not union:
                    return []
                totals: dict[str, int] = dict.fromkeys(union, 0)
                stories: dict[str, str] = {}
                for chunk in chunks:
                    for c in self._count_query(chunk, len(union), only=sorted(union)):
                        totals[c[0]] += c[1]
                        stories[c[0]] = c.story
                return top_candidates({i: n for i, n in totals.items() if n > 0}, limit, stories=stories)
            except _TooManyClauses:
                if self.max_clauses <= 64:
                    raise LicensedIndexError(f"Elasticsearch at {self.url} refuses even {self.max_clauses} "
                                             f"clauses in a search of index {self.name!r}") from None
                self.max_clauses //= 2

    def _count_query(self, terms: list[str], limit: int, only: list[str] | None = None) -> list[tuple[str, int]]:
        resp = self._msearch([self._count_query_body(terms, limit, only)])[0]
        if self._refused_as_too_many_clauses(resp):
            raise _TooManyClauses
        return _hits(resp)

    @staticmethod
    def _count_query_body(terms: list[str], limit: int, only: list[str] | None = None, track: int = 0) -> str:
        """The candidate query, as JSON text: ``bool`` of ``constant_score`` term clauses (a hit's score is
        the number of keys it shares), sorted by score then id. Written out as text because building ~330 clause
        dicts a search and encoding them with ``json`` took 2.3 s of a cProfiled 600-check scan (4,000 licensed,
        bench/es_scan.py's data); terms are digits (``str(int)``), so nothing needs escaping."""
        # one join with the clause text as separator: formatting each clause in a Python loop was ~0.3 ms a check
        should = _CLAUSE_HEAD + _CLAUSE_SEP.join(terms) + _CLAUSE_TAIL if terms else ""
        if only is not None:
            should += '],"filter":[{"terms":{"id":%s}}],"minimum_should_match":1' % json.dumps(only)
        else:
            should += "]"
        rest = json.dumps({
            # track: count the matching articles up to this many (0: not at all); scoring visits them anyway
            # ids come from the sort values: no stored field is read for the hits, not even _id (the profile's
            # fetch phase at 50,000 articles: load_stored_fields 1.6 → 0.0 ms a check; node CPU a check within
            # the noise of a busy machine, 5.5 vs 5.6 ms; same candidates — bench/es_profile.py --variants)
            "size": min(limit, 10_000), "_source": False, "stored_fields": "_none_",
            "track_total_hits": track or False,
            # ties by id, as the interface promises; the story rides along as a sort value (ids are unique)
            "sort": [{"_score": "desc"}, {"id": "asc"}, {"story": "asc"}],
            # one representative a story, the first by that order (a recount of named ids counts each)
            **({"collapse": {"field": "story"}} if only is None else {}),
        })
        return '{"query":{"bool":{"should":[' + should + "}}," + rest[1:]

    def get(self, ids: Sequence[str]) -> list[IndexedArticle]:
        id_list = list(ids)
        found: dict[str, IndexedArticle] = {}
        try:
            for start in range(0, len(id_list), 500):
                chunk = list(dict.fromkeys(doc_id(i) for i in id_list[start : start + 500]))
                # whole sources, as stored: asking for the fields from_document reads (all but content_hash and
                # band_count) made the node parse and filter each one — 2.7 against 1.6 ms of node CPU a check
                # at 95,000 articles, same records (bench/es_profile.py --get, median of 3 rounds, busy machine)
                resp = self._retrying(lambda: self.es.mget(index=self.name, ids=chunk))
                for doc in resp["docs"]:
                    if doc.get("found"):
                        record = from_document(doc["_source"])
                        found[record.article.id] = record
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"read index {self.name!r}") from None
        return [found[i] for i in id_list if i in found]

    def members(self, stories: Iterable[str]) -> dict[str, list[str]]:
        wanted = sorted(set(stories))
        out: dict[str, list[str]] = {}
        try:
            for start in range(0, len(wanted), 1000):
                chunk = wanted[start : start + 1000]
                # id and story from doc values, not from _source: a hit's _source is its whole text and signature
                # (~6.6 KB at 1M), parsed to be filtered down to two keywords (MEMBERS_FROM below)
                body = {"query": {"terms": {"story": chunk}}, **MEMBERS_FROM}
                resp = self._retrying(lambda: self.es.search(index=self.name, size=10_000, track_total_hits=True,
                                                             **body))
                hits = resp["hits"]["hits"]
                if resp["hits"]["total"]["value"] > len(hits):  # stories of more than 10,000 articles: scroll
                    hits = helpers.scan(self.es, index=self.name, query=body)
                for hit in hits:
                    out.setdefault(hit["fields"]["story"][0], []).append(hit["fields"]["id"][0])
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"read index {self.name!r}") from None
        return {k: sorted(v) for k, v in out.items()}

    def _stored_stories(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        out: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), 1000):
            by_doc = {doc_id(i): i for i in ids[start : start + 1000]}
            resp = self._retrying(lambda: self.es.mget(index=self.name, ids=list(by_doc),
                                                       source_includes=["content_hash", "story"]))
            for doc in resp["docs"]:
                if doc.get("found"):
                    src = doc["_source"]
                    art_id = by_doc[doc["_id"]]
                    out[art_id] = (src.get("content_hash", ""), src.get("story") or art_id)
        return out

    def ids(self) -> list[str]:
        """All article ids (by id). For tests and tools; scrolls the whole index."""
        try:
            return sorted(hit["_source"]["id"] for hit in helpers.scan(
                self.es, index=self.name, query={"query": {"match_all": {}}, "_source": ["id"]}))
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"read index {self.name!r}") from None

    def stats(self) -> IndexStats:
        try:
            resp = self._retrying(lambda: self.es.search(
                index=self.name, size=0, track_total_hits=True,
                aggs={
                    "outlets": {"terms": {"field": "outlet", "size": 10_000,
                                          "order": [{"_count": "desc"}, {"_key": "asc"}]}},
                    "bands": {"sum": {"field": "band_count"}},
                },
            ))
            store = self._retrying(lambda: self.es.indices.stats(index=self.name, metric="store"))
        except ES_ERRORS as exc:
            raise explain(exc, self.url, f"read statistics of index {self.name!r}") from None
        return IndexStats(
            backend=self.backend_name,
            location=f"{self.url} {self.name} ({self.index_name})",
            articles=resp["hits"]["total"]["value"],
            band_keys=int(resp["aggregations"]["bands"]["value"] or 0),
            outlets={b["key"]: b["doc_count"] for b in resp["aggregations"]["outlets"]["buckets"]},
            size_bytes=store["_all"]["total"]["store"]["size_in_bytes"],
            params=self.params.to_dict(),
        )

    def close(self) -> None:
        try:
            self.es.close()
        except (TransportError, OSError):
            pass

    # --- migration --------------------------------------------------------------------------------------
    @classmethod
    def migrate(cls, settings, params: FingerprintParams | None = None, client: Elasticsearch | None = None,
                chunk_size: int = 500) -> MigrateResult:
        """Rebuild the index behind ``settings.es_index`` in the current layout and swap the alias to it.

        Every document is rebuilt from what every layout stores (metadata, content, signature); band keys
        are recomputed from the signature and text with the index's own fingerprint parameters, so checks return the
        same matches afterwards. The old concrete index is kept (delete it when satisfied) unless it had
        the alias's own name, in which case the swap replaces it. Safe to rerun after an interruption."""
        url = settings.es_url
        es = client or make_client(
            url, settings.es_api_key, settings.es_username, settings.es_password, settings.es_ca_certs
        )
        name = settings.es_index
        try:
            return cls._migrate(es, name, url, params, settings, chunk_size)
        except ES_ERRORS as exc:
            raise explain(exc, url, f"migrate index {name!r}") from None
        finally:
            if client is None:
                es.close()

    @classmethod
    def _migrate(cls, es, name, url, params, settings, chunk_size) -> MigrateResult:
        where = safe_url(url)
        found = _behind(es, name, where)  # the same checks as opening, older layouts allowed
        if found is None:
            raise LicensedIndexError(f"no index {name!r} at {where} to migrate")
        old, meta = found
        stored, version = check_meta(meta, name, where, allow_older=True)
        # an index made before the rewrite sketch or shorter keys gets them: keys come from the stored
        # signatures and texts
        target = migration_target(stored)
        if params is not None and target.differences(params):
            raise LicensedIndexError(
                f"index {name!r} at {where} was built with other fingerprint parameters; migrate keeps them "
                "(it re-uses the stored signatures). Re-index into a new --es-index to change them."
            )
        new = (f"{name}-v{MAPPING_VERSION}" if target == stored
               else f"{name}-v{MAPPING_VERSION}-{target.rewrite_sketch}-k{target.key_bits}")
        if new == old:
            new += "-2"
        if version == MAPPING_VERSION and target == stored:
            count = es.count(index=name)["count"]
            return MigrateResult(name, old, old, count, migrated=False)
        if es.indices.exists(index=new):
            # a previous, interrupted migration: its target is not behind the alias (checked above), rebuild it
            es.indices.delete(index=new)
        es.indices.create(
            index=new,
            mappings=dict(MAPPINGS, _meta=_meta(target)),
            settings={"number_of_shards": settings.es_shards, "number_of_replicas": settings.es_replicas,
                      "refresh_interval": "-1"},
        )

        # a batch at a time, each given its stories (versions of one text) against what the new index holds
        # already, written and made searchable before the next, in the order the documents were last written
        # (``_seq_no``; on one shard, the order they were added, as SQLite's migrate takes its rows): in the
        # scroll's own order (segments, merged as they came) 20,000 articles migrated on both backends got
        # other stories in 14 of 900 scanned suspects (bench/es_scan.py, es1m)
        building = cls(es, new, params=target, url=url)
        failures = []
        hits = helpers.scan(es, index=old, size=chunk_size, preserve_order=True,
                            query={"query": {"match_all": {}}, "_source": {"excludes": ["bands"]},
                                   "sort": [{"_seq_no": "asc"}]})
        while batch := [from_document(hit["_source"]) for hit in itertools.islice(hits, chunk_size)]:
            items = building.assign_stories(
                [IndexedArticle(r.article, r.signature, index_keys(r.article.content, r.signature, target))
                 for r in batch], again=True)
            actions = ({"_op_type": "index", "_index": new, "_id": doc_id(i.article.id), "_source": to_document(i)}
                       for i in items)
            for ok, item in helpers.streaming_bulk(es, actions, chunk_size=chunk_size, raise_on_error=False):
                if not ok:
                    failures.append(item)
            es.indices.refresh(index=new)
        if failures:
            raise LicensedIndexError(
                f"migrating {name!r} at {where}: {len(failures)} documents could not be written "
                f"(first: {_item_error(next(iter(failures[0].values())))}); the alias still points at {old!r}"
            )
        es.indices.put_settings(index=new, settings={"refresh_interval": None})
        es.indices.refresh(index=new)
        before, after = es.count(index=old)["count"], es.count(index=new)["count"]
        if before != after:
            raise LicensedIndexError(
                f"migrating {name!r} at {where}: {before} documents in {old!r} but {after} in {new!r}; "
                "was something writing meanwhile? The alias still points at the old index; rerun migrate."
            )
        if old == name:  # a plain index with the alias's name: replace it in the same atomic step
            swap = [{"add": {"index": new, "alias": name, "is_write_index": True}}, {"remove_index": {"index": old}}]
        else:
            swap = [{"remove": {"index": old, "alias": name}},
                    {"add": {"index": new, "alias": name, "is_write_index": True}}]
        es.indices.update_aliases(actions=swap)
        return MigrateResult(name, old, new, after, migrated=True)


#: Bytes of searches in one ``_msearch`` request. The node refuses a request over ``http.max_content_length``
#: (100 MB by default) with HTTP 413: a bulk load's batch of 5,000 new articles, each looked up for its story
#: (~330 band-key clauses, ~22 KB a search), made one request of ~110 MB (bench/es_scale.py, its first batch).
#: 4 MB is ~180 searches, more than the node runs side by side (its search threads), so nothing waits longer.
_MSEARCH_BYTES = 4 << 20


def _msearch_parts(bodies: list[str], budget: int = _MSEARCH_BYTES) -> Iterator[list[str]]:
    """``bodies`` (searches as JSON text) in consecutive parts of at most ``budget`` bytes each (a search
    larger than that alone in its part), in order."""
    part: list[str] = []
    size = 0
    for body in bodies:
        if part and size + len(body) > budget:
            yield part
            part, size = [], 0
        part.append(body)
        size += len(body) + 4  # the header line "{}" and two newlines
    if part:
        yield part


#: The candidate query's clause for a key, split around the key: ``HEAD key TAIL`` is one clause, ``SEP`` joins two.
_CLAUSE_HEAD = '{"constant_score":{"filter":{"term":{"bands":"'
_CLAUSE_TAIL = '"}},"boost":1.0}}'
_CLAUSE_SEP = _CLAUSE_TAIL + "," + _CLAUSE_HEAD


def _terms(keys) -> list[str]:
    """A query's keys as the index's terms: distinct, as decimal text, in numeric order. ``tolist`` then ``str``
    in C, not ``str(int(k))`` of each numpy scalar (~0.4 ms a check of 400 keys in the checking process); a
    fingerprint's keys come distinct and sorted already, and are not sorted again."""
    keys = np.asarray(keys, dtype=np.int64)
    if not (keys[1:] > keys[:-1]).all():
        keys = np.unique(keys)
    return list(map(str, keys.tolist()))


def _hits(resp: dict) -> list[Candidate]:
    """``(id, shared keys)`` of a candidate query's hits, with their story (score = number of shared keys, sort
    = [score, id, story])."""
    return [Candidate(hit["sort"][1], int(round(hit["sort"][0])), hit["sort"][2]) for hit in resp["hits"]["hits"]]


def _item_error(item: dict) -> str:
    err = item.get("error")
    if isinstance(err, dict):
        return f"{err.get('type', '')}: {err.get('reason', '')}"
    return str(err or item.get("status", "unknown error"))


def _client_url(client: Elasticsearch) -> str:
    try:
        return client.transport.node_pool.all()[0].base_url
    except (AttributeError, IndexError):
        return "<elasticsearch>"
