"""``linkkit convert``: Apple passes and Google Wallet objects to Samsung cards, one or a whole folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import click

from linkkit._atomic import atomic_write
from linkkit.atw.links import ATW_BASE_URL, fetch_link, transmit_link
from linkkit.atw.tokens import TokenSigner
from linkkit.cli._progress import Progress, progress_option
from linkkit.cli._settings import Setting, require
from linkkit.convert import BulkSpec, Conversion, ConvertOptions, ImageFile, convert_pass, run_bulk
from linkkit.convert.sources import load_json
from linkkit.keys import load_certificate, load_private_key, public_key_of

_GOOGLE_TYPES = ("flight", "transit", "eventTicket", "offer", "giftCard", "loyalty", "generic")
_CARD_TYPES = ("boardingpass", "ticket", "coupon", "giftcard", "loyalty", "generic")
_SHOWN = 12  # dropped fields listed on a terminal; --json lists all


def _attributes(values: tuple[str, ...]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(
                f"{item!r}: use NAME=VALUE, e.g. appLinkData=https://example.com/app", param_hint="--set"
            )
        out[name] = value
    return out


def _is_bulk(source: str) -> bool:
    path = Path(source)
    if path.suffix.lower() in (".csv", ".jsonl", ".ndjson"):
        return True
    return path.is_dir() and not (path / "pass.json").exists()


@click.command()
@click.argument("source", metavar="PASS")
@click.option("--to", "to", metavar="CARD.json", help='Where the card goes ("-" prints it); one pass.')
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output folder, when PASS is a folder or a campaign file.",
)
@click.option(
    "--class", "class_file", type=click.Path(exists=True, dir_okay=False), help="The Google class, as a file."
)
@click.option("--google-type", type=click.Choice(_GOOGLE_TYPES), help="Google type of an object that does not say.")
@click.option("--object-id", help="Which object of a Google JWT payload holding several.")
@click.option("--as", "card_type", type=click.Choice(_CARD_TYPES), help="Card type (an Apple storeCard: giftcard).")
@click.option("--sub-type", help="card.subType, when the pass does not tell (an event ticket: sports ...).")
@click.option("--language", help="data[].language (default: the pass's own, else en).")
@click.option("--time-zone", metavar="AREA/CITY", help="Zone of local times without a UTC offset (Google flights).")
@click.option("--arrival-time-zone", metavar="AREA/CITY", help="Zone of local arrival times, if another.")
@click.option("--image-base-url", metavar="URL", help="Where the pass's own images will be served.")
@click.option("--images-dir", type=click.Path(file_okay=False), help="Where to write those images (one pass).")
@click.option(
    "--set",
    "attributes",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a Samsung attribute (appLinkData=https://...); repeatable; wins over the pass.",
)
@click.option("--ref-id", help="refId of the card (default: a fresh unguessable one; derived per pass in bulk).")
@click.option("--report", "report_file", metavar="REPORT.json", help="Also write the report as JSON (one pass).")
@click.option("--link", type=click.Choice(["fetch", "transmit"]), help="Also print a Data Fetch or Transmit link.")
@click.option("--card-id", cls=Setting, help="Wallet card id (for --link).")
@click.option("--certificate-id", cls=Setting, help="Id of your partner certificate (for --link).")
@click.option("--partner-id", cls=Setting, help="Your partner code (for --link transmit).")
@click.option("--key", cls=Setting, help="Partner private key, PEM (for --link transmit).")
@click.option("--key-password", cls=Setting, help="Password of an encrypted private key.")
@click.option("--samsung-cert", cls=Setting, help="Samsung certificate, PEM (for --link transmit).")
@click.option("--atw-base-url", cls=Setting, default=ATW_BASE_URL, show_default=True, help="Link base.")
@click.option("--strict", is_flag=True, help="Refuse a card with validator warnings too (they are reported).")
@click.option("--restart", is_flag=True, help="Start a bulk run over instead of resuming it.")
@click.option("--json", "as_json", is_flag=True, help="Print the result (card, images, link, report) as JSON.")
@progress_option
def convert(source: str, **opts: Any) -> int:
    """Convert an Apple pass or a Google Wallet object to a Samsung card.

    PASS is a .pkpass (signed or not), an unzipped .pass folder, a pass.json, a Google Wallet
    object (as the REST API returns it, class in classReference or --class) or a Save to Google
    Wallet JWT payload. A folder of passes, or a .csv/.jsonl campaign file with a "pass" column,
    converts each (--out required; run it again to resume).

    Every field of the pass that has no Samsung counterpart is listed, with the reason. Nothing
    is written unless the card is valid; the images of an Apple pass are written to --images-dir
    for you to upload where --image-base-url points.

    \b
    Examples:
      linkkit convert Coffee.pkpass --to card.json --image-base-url https://cdn.example.com/wallet
      linkkit convert flight.json --to card.json --time-zone America/Los_Angeles --link fetch
      linkkit convert passes/ --out converted/ --image-base-url https://cdn.example.com/wallet
    """
    options = ConvertOptions(
        ref_id=opts["ref_id"],
        language=opts["language"],
        card_type=opts["card_type"],
        sub_type=opts["sub_type"],
        time_zone=opts["time_zone"],
        arrival_time_zone=opts["arrival_time_zone"],
        image_base_url=opts["image_base_url"],
        attributes=_attributes(opts["attributes"]),
        google_type=opts["google_type"],
        object_id=opts["object_id"],
        strict=opts["strict"],
    )
    if _is_bulk(source):
        return _bulk(source, options, opts)
    if not opts["to"]:
        raise click.UsageError("--to CARD.json is required for one pass (or give a folder with --out)")
    return _single(source, options, opts)


def _single(source: str, options: ConvertOptions, opts: dict[str, Any]) -> int:
    class_doc = load_json(opts["class_file"]) if opts["class_file"] else None
    result = convert_pass(source, options, class_doc=class_doc)
    link = _link(result, opts) if opts["link"] else None  # before any write: a missing setting writes nothing
    to: str = opts["to"]
    images_dir = Path(
        opts["images_dir"] or (Path(to).with_suffix("").as_posix() + "-images" if to != "-" else "images")
    )
    written = _write(result, to, images_dir, opts["report_file"])
    if opts["as_json"]:
        body: dict[str, Any] = {
            "card": to if to != "-" else None,
            "type": result.report.card_type,
            "subType": result.report.sub_type,
            "refId": result.ref_id,
            "sourceId": result.source_id,
            "images": written,
            "report": result.report.as_dict(),
        }
        if link is not None:
            body["link"] = link
        if to == "-":
            body["cardJson"] = result.card
        click.echo(json.dumps(body, ensure_ascii=False))
        return 0
    if to == "-":
        click.echo(json.dumps(result.card, indent=2, ensure_ascii=False))
    _summary(result, to, written, err=to == "-")
    if link is not None:
        click.echo(link)
    return 0


def _write(result: Conversion, to: str, images_dir: Path, report_file: str | None) -> list[dict[str, str]]:
    """Images, then the report, then the card: each atomic, the card last."""
    written = []
    if result.images:
        images_dir.mkdir(parents=True, exist_ok=True)
        for image in result.images:
            path = images_dir / ImageFile(image.name, image.data).hosted_name
            atomic_write(path, image.data)
            written.append({"file": str(path), "url": image.url})
    if report_file:
        atomic_write(report_file, json.dumps(result.report.as_dict(), indent=2, ensure_ascii=False).encode() + b"\n")
    if to != "-":
        # Cards may hold personal data (names, seat numbers): owner-only, like campaign cards.
        atomic_write(to, json.dumps(result.card, indent=2, ensure_ascii=False).encode() + b"\n", permissions=0o600)
    return written


def _summary(result: Conversion, to: str, images: list[dict[str, str]], *, err: bool) -> None:
    report = result.report
    where = "the card" if to == "-" else to

    def echo(text: str) -> None:
        click.echo(text, err=err)

    echo(f"{where}: {report.card_type}/{report.sub_type} from an {report.source_format} {report.source_type}")
    echo(
        f"  {len(report.mapped)} fields mapped, {len(report.defaulted)} attributes defaulted, "
        f"{len(report.truncated)} cut to length, {len(report.dropped)} not carried over"
        + (f", localized: {', '.join(report.localized)}" if report.localized else "")
    )
    for cut in report.truncated:
        echo(f"  cut: {cut.source} → {cut.target} ({cut.length} > String({cut.limit}))")
    for dropped in report.dropped[:_SHOWN]:
        echo(f"  dropped: {dropped.source}: {dropped.reason}")
    if len(report.dropped) > _SHOWN:
        echo(f"  … and {len(report.dropped) - _SHOWN} more (use --json or --report for all)")
    for warning in report.warnings:
        click.echo(f"linkkit: warning: {warning}", err=True)
    for image in images:
        echo(f"  upload {image['file']} → {image['url']}")


def _link(result: Conversion, opts: dict[str, Any]) -> str:
    card_id = require(opts["card_id"], "--card-id")
    base = opts["atw_base_url"]
    if opts["link"] == "fetch":
        return fetch_link(require(opts["certificate_id"], "--certificate-id"), card_id, result.ref_id, base=base)
    signer = TokenSigner(
        partner_id=require(opts["partner_id"], "--partner-id"),
        certificate_id=require(opts["certificate_id"], "--certificate-id"),
        private_key=load_private_key(require(opts["key"], "--key"), password=opts["key_password"]),
        samsung_public_key=public_key_of(load_certificate(require(opts["samsung_cert"], "--samsung-cert"))),
    )
    click.echo(
        "linkkit: warning: a Data Transmit link is valid for 30 seconds; use --link fetch for email, QR, print",
        err=True,
    )
    version: Literal[1, 3] = 3
    return transmit_link(card_id, signer.card_data_token(result.card), version=version, base=base)


def _bulk(source: str, options: ConvertOptions, opts: dict[str, Any]) -> int:
    out_dir = opts["out_dir"]
    if not out_dir:
        raise click.UsageError("--out DIR is required to convert a folder or a campaign file")
    for flag in ("to", "ref_id", "report_file", "class_file", "images_dir"):
        if opts[flag]:
            raise click.UsageError(f"--{flag.replace('_file', '').replace('_', '-')} is for one pass, not a folder")
    if opts["link"] == "transmit":
        raise click.UsageError("--link transmit: a Data Transmit link dies 30 seconds after the run; use --link fetch")
    with_links = opts["link"] == "fetch"
    spec = BulkSpec(
        source=source,
        out_dir=out_dir,
        options=options,
        card_id=require(opts["card_id"], "--card-id") if with_links else None,
        certificate_id=require(opts["certificate_id"], "--certificate-id") if with_links else None,
        atw_base_url=opts["atw_base_url"],
    )
    with Progress(opts["progress_mode"], label="convert", unit="passes") as progress:
        result = run_bulk(spec, progress=progress, restart=opts["restart"])
    summary = {
        "passes": result.total,
        "ok": result.ok,
        "failed": result.failed,
        "resumed": result.resumed,
        "out": out_dir,
    }
    if opts["as_json"]:
        click.echo(json.dumps(summary))
    else:
        resumed = f" ({result.resumed} already done)" if result.resumed else ""
        click.echo(f"{result.ok} cards in {out_dir}/cards, {result.failed} passes in {out_dir}/errors.csv{resumed}")
    return 0 if result.failed == 0 else 1
