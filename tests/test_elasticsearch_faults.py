"""Elasticsearch failure modes, each against something real: a port nobody listens on, a node stopped in
the middle of `index add` and started again, a secured HTTPS node (x-pack security, file-realm user, a CA
made by scripts/elasticsearch.sh) given wrong credentials or no CA, a missing index, and an index in an
older layout that `index migrate` upgrades."""
from __future__ import annotations

import base64
import json
import os
import random
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from reprintwatch import Article, Detector, FingerprintParams, LicensedIndexError, Settings, fingerprint, open_index
from reprintwatch.cli import cli
from reprintwatch.index.base import content_hash
from reprintwatch.index.elasticsearch import MAPPING_VERSION, make_client

from fixtures_es import free_port
from texts import FLASH, METRO, RIVER, UNRELATED

pytestmark = pytest.mark.elasticsearch


def es_args(settings: Settings) -> list[str]:
    return ["--backend", "elasticsearch", "--es-url", settings.es_url, "--es-index", settings.es_index]


def licensed():
    return [
        Article("metro", METRO, "地铁九号线开通", "江南日报"),
        Article("river", RIVER, "清溪河水质提升", "华夏通讯社"),
        Article("flash", FLASH, "台风蓝色预警", "东海晚报"),
    ]


# --- node not running ------------------------------------------------------------------------------------

def test_a_node_that_is_not_running_is_named_in_the_error():
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens here
    settings = Settings.load(environ={}, backend="elasticsearch", es_url=url)
    with pytest.raises(LicensedIndexError) as err:
        open_index(settings)
    assert url in str(err.value)
    assert "scripts/elasticsearch.sh start" in str(err.value)
    result = CliRunner().invoke(cli, ["--backend", "elasticsearch", "--es-url", url, "index", "stats"])
    assert result.exit_code == 3
    assert url in result.stderr and "Traceback" not in result.output


# --- missing index, older layout --------------------------------------------------------------------------

def test_a_missing_index_says_how_to_create_it(es_settings):
    with pytest.raises(LicensedIndexError) as err:
        open_index(es_settings)
    message = str(err.value)
    assert es_settings.es_index in message and "index add" in message
    result = CliRunner().invoke(cli, [*es_args(es_settings), "check", "-"], input=METRO)
    assert result.exit_code == 3 and "index add" in result.stderr


def write_layout_v0(client, concrete: str, alias: str | None, articles, params) -> None:
    """The pre-release layout (mapping version 0): band keys as ``long``, dynamic mapping, no band_count."""
    client.indices.create(
        index=concrete,
        mappings={
            "_meta": {"reprintwatch": {"mapping_version": 0, "fingerprint": params.to_dict()}},
            "properties": {"bands": {"type": "long"}, "signature": {"type": "binary"}},
        },
        aliases={alias: {}} if alias else None,
    )
    for art in articles:
        fp = fingerprint(art.content, params)
        client.index(index=concrete, id=art.id, document={
            "id": art.id, "title": art.title, "outlet": art.outlet, "url": art.url, "content": art.content,
            "content_hash": content_hash(art), "bands": [int(k) for k in fp.keys],
            "signature": base64.b64encode(fp.signature.to_bytes()).decode("ascii"),
        })
    client.indices.refresh(index=concrete)


@pytest.mark.parametrize("layout", ["plain index", "behind an alias"])
def test_an_older_mapping_is_refused_then_migrated(es_settings, es_client, layout):
    name = es_settings.es_index
    params = FingerprintParams()
    old = name if layout == "plain index" else f"{name}-v0"
    write_layout_v0(es_client, old, None if layout == "plain index" else name, licensed(), params)

    with pytest.raises(LicensedIndexError, match="index migrate") as err:
        open_index(es_settings)
    assert "mapping version 0" in str(err.value)
    refused = CliRunner().invoke(cli, [*es_args(es_settings), "index", "stats"])
    assert refused.exit_code == 3 and "index migrate" in refused.stderr

    migrated = CliRunner().invoke(cli, [*es_args(es_settings), "index", "migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert f"{name}-v{MAPPING_VERSION}" in migrated.output

    with open_index(es_settings) as idx:
        assert idx.index_name == f"{name}-v{MAPPING_VERSION}"
        assert idx.stats().articles == 3
        detector = Detector(idx)
        assert [m.licensed.id for m in detector.check("转载：" + RIVER).reprints] == ["river"]
        partial = detector.check(UNRELATED + "\n".join(RIVER.split("\n")[2:4]))
        assert [m.verdict for m in partial.reprints] == ["partial_reprint"]
    assert list(es_client.indices.get_alias(name=name)) == [f"{name}-v{MAPPING_VERSION}"]
    concrete = set(es_client.indices.get(index=f"{name}*"))
    assert concrete == ({f"{name}-v{MAPPING_VERSION}"} if layout == "plain index" else {f"{name}-v0", f"{name}-v{MAPPING_VERSION}"})

    again = CliRunner().invoke(cli, [*es_args(es_settings), "index", "migrate"])
    assert again.exit_code == 0 and "up to date" in again.output


# --- wrong credentials, TLS (a real secured HTTPS node) ----------------------------------------------------

def test_wrong_credentials_are_reported_as_such(secured_node):
    index = "rw-auth"
    for username, password in ((secured_node.username, "not-the-password"), ("nobody-here", "x"), (None, None)):
        settings = secured_node.settings(index, username, password)
        with pytest.raises(LicensedIndexError) as err:
            open_index(settings, create=True)
        assert "rejected the credentials" in str(err.value) and secured_node.url in str(err.value)
    # an API key the cluster never issued (this test distribution cannot issue real ones)
    bogus_key = base64.b64encode(b"no-such-id:no-such-key").decode()
    with pytest.raises(LicensedIndexError, match="rejected the credentials"):
        open_index(secured_node.settings(index, api_key=bogus_key), create=True)
    result = CliRunner().invoke(cli, [
        "--backend", "elasticsearch", "--es-url", secured_node.url, "--es-index", index,
        "--es-ca-certs", secured_node.ca_certs,
        "--es-username", secured_node.username, "--es-password", "wrong", "index", "stats",
    ], env={"REPRINTWATCH_ES_API_KEY": None})
    assert result.exit_code == 3 and "rejected the credentials" in result.stderr
    # the right credentials work on the same node: the refusals above were about the credentials
    with open_index(secured_node.settings(index, secured_node.username, secured_node.password), create=True) as idx:
        detector = Detector(idx)
        detector.add(licensed())
        assert [m.licensed.id for m in detector.check(FLASH).reprints] == ["flash"]
        idx.es.indices.delete(index=idx.index_name)


def test_a_certificate_from_an_unknown_ca_says_to_pass_the_ca(secured_node):
    settings = secured_node.settings("rw-tls", secured_node.username, secured_node.password, ca_certs=None)
    with pytest.raises(LicensedIndexError) as err:
        open_index(settings, create=True)
    assert "TLS failed" in str(err.value) and "--es-ca-certs" in str(err.value)
    assert secured_node.url in str(err.value)


# --- the node stops in the middle of `index add` -----------------------------------------------------------

def synthetic_articles(n: int):
    """``n`` distinct short articles stitched from the test texts' sentences (deterministic)."""
    sentences = [s for t in (METRO, RIVER, FLASH, UNRELATED) for s in t.replace("\n", "").split("。") if s]
    rng = random.Random(7)
    for i in range(n):
        body = "。".join(rng.sample(sentences, 5))
        yield {"id": f"syn-{i:05d}", "title": f"通报{i}", "outlet": f"报社{i % 7}",
               "content": f"第{i}号通报，编号{i * 7919}。{body}。"}


def test_a_node_stopped_during_index_add_then_restarted_loses_nothing(secured_node, tmp_path):
    total = 2000
    path = tmp_path / "licensed.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for art in synthetic_articles(total):
            fh.write(json.dumps(art, ensure_ascii=False) + "\n")
    index = "rw-crash"
    settings = secured_node.settings(index, secured_node.username, secured_node.password)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPRINTWATCH_")}
    env.update(REPRINTWATCH_BACKEND="elasticsearch", REPRINTWATCH_ES_URL=secured_node.url,
               REPRINTWATCH_ES_INDEX=index, REPRINTWATCH_ES_USERNAME=secured_node.username,
               REPRINTWATCH_ES_PASSWORD=secured_node.password, REPRINTWATCH_ES_CA_CERTS=secured_node.ca_certs)
    command = [sys.executable, "-m", "reprintwatch.cli", "index", "add", str(path), "--batch-size", "100"]

    client = make_client(secured_node.url, username=secured_node.username, password=secured_node.password,
                         ca_certs=secured_node.ca_certs)
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        seen = 0
        while seen < 300:  # a few batches are in: stop the node under the running command
            assert proc.poll() is None, f"index add ended before the node was stopped: {proc.communicate()}"
            assert time.monotonic() < deadline, "index add made no progress"
            time.sleep(0.2)
            try:  # refreshed first: a bulk load does not refresh, and a count up to a second old let a fast
                # machine finish all 2000 before 300 were seen (the command ended before the node was stopped)
                client.indices.refresh(index=index)
                seen = client.count(index=index)["count"]
            except Exception:
                seen = 0
        secured_node.stop()
        out, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
        client.close()
    assert proc.returncode == 3, (out, err)
    assert secured_node.url in err and "rerun the same command" in err and "Traceback" not in err

    secured_node.start()
    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = rerun.stdout.strip().splitlines()[-1]
    assert f"Indexed {total} articles" in summary
    new = int(summary.split(": ")[1].split(" new")[0])
    unchanged = int(summary.split("updated, ")[1].split(" unchanged")[0])
    assert unchanged >= 300 and new + unchanged == total  # nothing stored twice, nothing half-stored

    with open_index(settings) as idx:
        assert idx.stats().articles == total
        ids = idx.ids()
        assert len(ids) == len(set(ids)) == total
        assert ids == sorted(a["id"] for a in synthetic_articles(total))
        last = next(a for i, a in enumerate(synthetic_articles(total)) if i == total - 1)
        hit = Detector(idx).check(last["content"]).reprints
        assert hit and hit[0].licensed.id == last["id"]
        idx.es.indices.delete(index=idx.index_name)
