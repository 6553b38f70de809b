"""``linkkit link``: build Data Transmit, Data Fetch and Data Action links."""

from __future__ import annotations

import json
from typing import Any, Literal

import click

from linkkit.atw.links import ATW_BASE_URL, CDATA_DOCUMENTED_LIMIT, action_link, fetch_link, new_ref_id, transmit_link
from linkkit.atw.tokens import TokenSigner
from linkkit.cli._cards import checked_card, strictness_options, warnings_json
from linkkit.cli._io import read_json_arg
from linkkit.cli._settings import Setting, require
from linkkit.keys import load_certificate, load_private_key, public_key_of


def _emit(url: str, as_json: bool, **extra: Any) -> None:
    if as_json:
        click.echo(json.dumps({"link": url, "length": len(url), **extra}))
    else:
        click.echo(url)


@click.group()
def link() -> None:
    """Build Add to Samsung Wallet links."""


@link.command("transmit")
@click.argument("card", metavar="CARD.json", default="-")
@click.option("--card-id", cls=Setting, help="Wallet card id from the Partner Portal.")
@click.option("--certificate-id", cls=Setting, help="Id of your registered partner certificate.")
@click.option("--partner-id", cls=Setting, help="Your partner code.")
@click.option("--key", cls=Setting, help="Partner private key (PEM, PKCS#1 or PKCS#8).")
@click.option("--key-password", cls=Setting, help="Password of an encrypted private key.")
@click.option("--samsung-cert", cls=Setting, help="Samsung certificate (PEM) whose key encrypts the card.")
@click.option("--oaep", is_flag=True, help="Wrap the key with RSA-OAEP instead of Samsung's documented RSA1_5.")
@click.option("--v1", "v1", is_flag=True, help="Use the legacy /atw/v1/ path.")
@click.option(
    "--atw-base-url",
    cls=Setting,
    default=ATW_BASE_URL,
    show_default=True,
    help="Link base (a sandbox URL for local testing).",
)
@strictness_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON with the link, its length and the card's warnings.")
def transmit(
    card: str,
    card_id: str | None,
    certificate_id: str | None,
    partner_id: str | None,
    key: str | None,
    key_password: str | None,
    samsung_cert: str | None,
    oaep: bool,
    v1: bool,
    atw_base_url: str,
    strict: bool,
    lenient: bool,
    as_json: bool,
) -> None:
    """Print a signed Data Transmit link for CARD.json ("-" reads stdin).

    The token inside is valid for 30 seconds: make this link when the user clicks, never for
    email, SMS, QR or print (use `linkkit link fetch` there).

    The card is validated first: errors stop the command (exit 1), warnings (what Samsung's own
    samples do although its current pages say otherwise) are printed on stderr and the link is
    built; --strict refuses them.

    \b
    Example:
      linkkit link transmit --card-id 3glji6d406000 --certificate-id YMtt \\
        --partner-id 4030093436155138240 --key partner.key --samsung-cert samsung.crt card.json
    """
    obj = read_json_arg(card)
    report = checked_card(obj, strict=strict, lenient=lenient)
    signer = TokenSigner(
        partner_id=require(partner_id, "--partner-id"),
        certificate_id=require(certificate_id, "--certificate-id"),
        private_key=load_private_key(require(key, "--key"), password=key_password),
        samsung_public_key=public_key_of(load_certificate(require(samsung_cert, "--samsung-cert"))),
        key_alg="RSA-OAEP" if oaep else "RSA1_5",
    )
    cdata = signer.card_data_token(obj)
    version: Literal[1, 3] = 1 if v1 else 3
    url = transmit_link(require(card_id, "--card-id"), cdata, version=version, base=atw_base_url)
    if len(cdata) > CDATA_DOCUMENTED_LIMIT:
        click.echo(
            f"linkkit: warning: cdata is {len(cdata)} characters, over the documented "
            f"String({CDATA_DOCUMENTED_LIMIT}); consider a Data Fetch link",
            err=True,
        )
    _emit(
        url,
        as_json,
        kind="transmit",
        cdata_length=len(cdata),
        expires_in_seconds=30,
        warnings=warnings_json(report),
    )


@link.command("fetch")
@click.argument("ref_id", required=False)
@click.option("--card-id", cls=Setting, help="Wallet card id from the Partner Portal.")
@click.option("--certificate-id", cls=Setting, help="Id of your registered partner certificate.")
@click.option("--atw-base-url", cls=Setting, default=ATW_BASE_URL, show_default=True, help="Link base.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with the link and the refId.")
def fetch(
    ref_id: str | None, card_id: str | None, certificate_id: str | None, atw_base_url: str, as_json: bool
) -> None:
    """Print a Data Fetch link for REF_ID (a fresh unguessable refId when omitted).

    Samsung calls your Get Card Data endpoint with the refId; the link itself holds no card
    data, so it suits email, SMS, QR codes and print.
    """
    ref = ref_id or new_ref_id()
    url = fetch_link(require(certificate_id, "--certificate-id"), require(card_id, "--card-id"), ref, base=atw_base_url)
    _emit(url, as_json, kind="fetch", ref_id=ref)


@link.command("action")
@click.option("--card-id", cls=Setting, help="Wallet card id from the Partner Portal.")
@click.option("--certificate-id", cls=Setting, help="Id of your registered partner certificate.")
@click.option("--action", default="user_auth", show_default=True, help="The predefined action (adata).")
@click.option("--atw-base-url", cls=Setting, default=ATW_BASE_URL, show_default=True, help="Link base.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def action(card_id: str | None, certificate_id: str | None, action: str, atw_base_url: str, as_json: bool) -> None:
    """Print a Data Action link: the wallet asks the user for inputs and calls your Request Action."""
    url = action_link(
        require(certificate_id, "--certificate-id"), require(card_id, "--card-id"), action, base=atw_base_url
    )
    _emit(url, as_json, kind="action", action=action)
