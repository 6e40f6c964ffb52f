"""Commands ``holder``, ``complaint`` and ``recheck``: a thin layer over :mod:`reprintwatch.complaint`."""
from __future__ import annotations

import contextlib
from pathlib import Path

import click

from ..cliutils import ROW_ID, current_settings, handle_errors, licensed_index
from ..dates import parse_day, to_iso
from ..errors import BadInput
from ..output import json_text, terminal_safe
from ..store import Store
from .holders import make_holder

EXIT_BAD_INPUT = 1


@contextlib.contextmanager
def _holder_store():
    """The store (holders may be recorded before any finding: it is created if need be)."""
    with Store(current_settings().store) as st:
        yield st


@contextlib.contextmanager
def _open_store():
    """The findings store (records, evidence, licences, holders, complaints, status history)."""
    settings = current_settings()
    with Store(settings.store, create=False) as st:
        yield st, st.licences(), settings


def _echo(line: str, err: bool = False) -> None:
    click.echo(terminal_safe(line, newlines=False), err=err)


def _when(value: str | None, name: str) -> str:
    """A date or datetime (ISO 8601, read by the one parser); a bare date or naive time is China time."""
    iso = to_iso((value or "").strip()) if (value or "").strip() else None
    if iso is None:
        raise click.BadParameter(f"{value!r} is not an ISO date or datetime", param_hint=name)
    return iso


# --- holder -----------------------------------------------------------------------------------------------


@click.group("holder")
def holder():
    """Rights holders: who files complaints for an outlet's articles.

    \b
    Example:
      reprintwatch holder add --outlet 江南日报 --name 江南日报社 --address "江南市人民路1号" \\
          --contact "法务部 王律师 010-12345678" --proof "国作登字-2026-L-00001234"
    """


def _holder_options(required: bool):
    def wrap(func):
        for decl, kw in reversed([
            (("--name", "legal_name"), dict(required=required, help="Legal name of the rights holder (投诉人).")),
            (("--address",), dict(required=required, help="Postal address.")),
            (("--contact",), dict(required=required, help="Contact person, phone, e-mail.")),
            (("--agent",), dict(help="An agent filing on the holder's behalf (代理人).")),
            (("--power-of-attorney", "power_of_attorney"), dict(help="The agent's power of attorney: file or number.")),
            (("--note",), dict(help="Free text.")),
        ]):
            func = click.option(*decl, **kw)(func)
        return func
    return wrap


@holder.command("add")
@click.option("--outlet", required=True, help="The outlet, exactly as in the licensed index.")
@_holder_options(required=True)
@click.option("--proof", "proofs", multiple=True, help="A proof-of-rights reference (registration number, contract file); repeatable.")
@handle_errors
def holder_add(outlet, legal_name, address, contact, agent, power_of_attorney, note, proofs):
    """Record the rights holder of OUTLET.

    \b
    Example:
      reprintwatch holder add --outlet 江南日报 --name 江南日报社 --address 江南市人民路1号 \\
          --contact "法务部 010-12345678" --proof "国作登字-2026-L-00001234" --proof contracts/jn-2026.pdf
    """
    h = make_holder(where="holder add", outlet=outlet, legal_name=legal_name, address=address, contact=contact,
                    agent=agent, power_of_attorney=power_of_attorney, note=note, proofs=list(proofs))
    with _holder_store() as st:
        st.put_holder(h.to_dict())
    _echo(f"Added rights holder {h.describe()}")
    for gap in h.missing():
        _echo(f"Warning: {h.outlet}: missing {gap}", err=True)


@holder.command("edit")
@click.argument("outlet")
@_holder_options(required=False)
@click.option("--proof", "proofs", multiple=True, help="Add a proof-of-rights reference; repeatable.")
@click.option("--clear-proofs", is_flag=True, help="Remove the recorded proofs first.")
@handle_errors
def holder_edit(outlet, legal_name, address, contact, agent, power_of_attorney, note, proofs, clear_proofs):
    """Change fields of OUTLET's rights holder (only those given).

    \b
    Example:
      reprintwatch holder edit 江南日报 --contact "法务部 010-87654321" --proof contracts/jn-2027.pdf
    """
    with _holder_store() as st:
        current = st.get_holder(outlet)
        if current is None:
            raise BadInput(f"holder {outlet}", "no rights holder on file for this outlet; use `holder add`")
        changes = {k: v for k, v in dict(legal_name=legal_name, address=address, contact=contact, agent=agent,
                                         power_of_attorney=power_of_attorney, note=note).items() if v is not None}
        kept = [] if clear_proofs else list(current.get("proofs") or [])
        values = {**{k: current.get(k) for k in ("outlet", "legal_name", "address", "contact", "agent",
                                                  "power_of_attorney", "note")}, **changes,
                  "proofs": kept + [p for p in proofs if p not in kept]}
        h = make_holder(where="holder edit", **values)
        st.put_holder(h.to_dict(), replace=True)
    _echo(f"Updated rights holder {h.describe()}")


@holder.command("list")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def holder_list(fmt):
    """List rights holders.

    \b
    Example:
      reprintwatch holder list --format json
    """
    with _holder_store() as st:
        found = st.list_holders()
    if fmt == "json":
        click.echo(json_text(found))
        return
    if not found:
        click.echo("No rights holders.")
    for h in found:
        _echo(make_holder(where="holder list", **h).describe())


# --- complaint --------------------------------------------------------------------------------------------


@click.group("complaint")
def complaint():
    """Complaint dossiers, and complaints filed against findings.

    \b
    Example:
      reprintwatch complaint build --outlet 江南日报 -o dossiers/
      reprintwatch complaint record 7 9 --filed-at 2026-11-28 --channel "微信公众平台侵权投诉" --reference WX-123
    """


@complaint.command("build")
@click.option("--reprinter", help="Only this respondent (WeChat account, site, or the label reports show).")
@click.option("--outlet", help="Only findings of this outlet's articles.")
@click.option("--finding", "finding_ids", type=ROW_ID, multiple=True, help="Only these findings; repeatable.")
@click.option("--date", "day", metavar="DATE", help="The complaint's date (YYYY-MM-DD, China); default today. "
              "The two-year limit is counted back from it.")
@click.option("--output", "-o", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the dossiers (one zip and one HTML page per respondent and outlet).")
@click.option("--pdf", is_flag=True, help="Also print each page to PDF with headless Chromium (needs chromium).")
@click.option("--include-possible-exceptions", "include_exceptions", is_flag=True,
              help="Also complain about findings whose legal hints say an exception is possible (pure factual "
                   "news, the current-affairs exception); by default they are listed apart with the reason.")
@handle_errors
def complaint_build(reprinter, outlet, finding_ids, day, out_dir, pdf, include_exceptions):
    """Build complaint dossiers (HTML + JSON + evidence bundles in one zip) from the findings.

    Authorised findings, copies published before the licensed article, copies last seen online over
    two years ago and — unless --include-possible-exceptions — copies a legal hint says the law may leave
    free (docs/legal-hints.md) are left out and listed with the reason.

    \b
    Example:
      reprintwatch complaint build --outlet 江南日报 -o dossiers/ --pdf
      reprintwatch complaint build --outlet 江南日报 -o dossiers/ --include-possible-exceptions
      reprintwatch evidence verify dossiers/complaint-….zip
    """
    from .package import build_dossiers

    today = None
    if day:
        try:
            today = parse_day(day)
        except ValueError:
            raise click.BadParameter(f"{day!r} is not a date (YYYY-MM-DD)", param_hint="--date") from None
    with _open_store() as (st, licences, settings), licensed_index(settings) as index:
        results = build_dossiers(st, licences, out_dir, index, reprinter, outlet, finding_ids, today, pdf,
                                 include_exceptions)
    for r in results:
        if r.path is None:
            _echo(f"{r.respondent} / {r.outlet}: nothing to complain about ({len(r.excluded)} finding(s) left out)")
        else:
            _echo(f"{r.respondent} / {r.outlet}: {r.works} work(s) -> {r.path} (manifest SHA-256: {r.manifest_sha256})")
        for x in r.excluded:
            _echo(f"    left out #{x['finding_id']}: {x['reason']}")


@complaint.command("record")
@click.argument("finding_ids", nargs=-1, required=True, type=ROW_ID)
@click.option("--filed-at", required=True, help="When it was filed (YYYY-MM-DD or ISO datetime; China time if no zone).")
@click.option("--channel", required=True, help="Where: e.g. 微信公众平台侵权投诉, 国家版权局, the aggregator's copyright desk.")
@click.option("--reference", default="", help="The complaint's reference number.")
@click.option("--note", default="", help="Free text.")
@handle_errors
def complaint_record(finding_ids, filed_at, channel, reference, note):
    """Record a complaint filed against FINDING_IDS.

    \b
    Example:
      reprintwatch complaint record 7 9 --filed-at 2026-11-28 --channel 微信公众平台侵权投诉 --reference WX-2026-0042
    """
    filed = _when(filed_at, "--filed-at")
    if not channel.strip():
        raise click.BadParameter("is empty", param_hint="--channel")
    with _open_store() as (st, _, _settings_):
        ids = st.add_complaint(finding_ids, filed, channel.strip(), reference.strip(), note.strip())
    _echo(f"Recorded {len(ids)} complaint(s) filed {filed} with {channel.strip()}"
          + (f" (reference {reference.strip()})" if reference.strip() else ""))


@complaint.command("status")
@click.argument("finding_ids", nargs=-1, type=ROW_ID)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def complaint_status(finding_ids, fmt):
    """Each finding's complaints and re-check history (all findings with either, or FINDING_IDS).

    \b
    Example:
      reprintwatch complaint status 7
    """
    with _open_store() as (st, _, _settings_):
        history = st.status_history(finding_ids or None)
        complaints = st.complaints_for(finding_ids or None)
        ids = sorted(set(finding_ids) | set(history) | set(complaints))
        # a finding withdrawn after a complaint stays in this history, said so (the complaint is evidence)
        withdrawn = {f.finding_id: f for f in st.list_findings(ids=ids, content=False, withdrawn=True, judged=False)
                     if f.withdrawn_at}
    data = [{"finding_id": i, "complaints": complaints.get(i, []), "history": history.get(i, []),
             **({"withdrawn": {"at": withdrawn[i].withdrawn_at, "reason": withdrawn[i].withdrawn_reason}}
                if i in withdrawn else {})} for i in ids]
    if fmt == "json":
        click.echo(json_text(data))
        return
    if not data:
        click.echo("No complaints or re-checks recorded.")
    for item in data:
        _echo(f"#{item['finding_id']}" + (f"  WITHDRAWN {item['withdrawn']['at']}: {item['withdrawn']['reason']}"
                                          if "withdrawn" in item else ""))
        for c in item["complaints"]:
            _echo(f"  complaint {c['filed_at']} {c['channel']} {c['reference']}".rstrip())
        for h in item["history"]:
            _echo(f"  {h['state']:<24} {h['checked_at']} .. {h['last_checked_at']}  {h['detail']}")


# --- recheck ----------------------------------------------------------------------------------------------


@click.command("recheck")
@click.option("--finding", "finding_ids", type=ROW_ID, multiple=True, help="Only these findings (even if removed); repeatable.")
@click.option("--sources", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sources file whose [defaults] set how politely to fetch (delay, robots, time-outs).")
@click.option("--delay", type=float, help="Seconds between two requests to one host (overrides --sources).")
@click.option("--restart", is_flag=True, help="Start a new run even if the last one was interrupted.")
@handle_errors
def recheck_command(finding_ids, sources, delay, restart):
    """Fetch the copies of open (infringing, not yet removed) findings again and record what became of them:
    online, changed, removed by the author, removed after a complaint, removed, unreachable.

    An interrupted run is resumed by the next one (URLs it already checked are skipped). On a PostgreSQL
    store, recheck processes on several machines at once split the URLs (each is leased while checked).

    \b
    Example:
      reprintwatch recheck --sources sources.toml
      reprintwatch complaint status
    """
    from ..ingest.fetch import FetchPolicy
    from ..ingest.shared import fetcher_for
    from .recheck import recheck

    from ..ingest.sources import load_sources

    if delay is not None and delay < 0:
        raise click.BadParameter("must be >= 0", param_hint="--delay")
    override = {"delay": delay} if delay is not None else {}
    policies = {}
    if sources:  # each copy is fetched with the policy of the source that found it
        policies = {s.name: FetchPolicy(**{**s.policy.__dict__, **override}) for s in load_sources(sources)}
    default = FetchPolicy(**{**FetchPolicy().__dict__, **override})
    with _open_store() as (st, licences, settings), contextlib.ExitStack() as stack:
        # a store several machines share (PostgreSQL): each URL leased while checked, politeness for all
        fetcher, holder, lease_seconds = fetcher_for(st, settings.store, default, settings.lease_seconds, stack)
        result = recheck(st, licences, fetcher, finding_ids or None, restart, policies=policies, holder=holder,
                         lease_seconds=lease_seconds)
    for change in result.changes:
        _echo(f"#{change['finding_id']} {change['state']}  {change['url']}")
    _echo(result.line(), err=True)
