"""``linkkit sandbox``: serve the local emulation of Samsung's side (:mod:`linkkit.sandbox`)."""

from __future__ import annotations

from pathlib import Path

import click

from linkkit._serving import make_server
from linkkit.cli._settings import Setting, require
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.sandbox.s2p import create_s2p_sandbox


@click.command("sandbox")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on. The control API has no authentication: keep it local.",
)
@click.option("--port", default=8800, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option(
    "--partner-url",
    cls=Setting,
    help="Your server's base URL (Get Card Data, Send Card State, "
    "Request Action). Can also be set later: PUT /_sandbox/settings.",
)
@click.option("--public-url", help="The sandbox's URL as the partner reaches it (the Send Card State callback).")
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    help="Another Host name to answer to (besides 127.0.0.1, localhost, ::1, --host and --public-url's);"
    " any other is refused (DNS rebinding). Repeat for several.",
)
@click.option("--partner-id", cls=Setting, help="Your partner code.")
@click.option("--certificate-id", cls=Setting, help="Id of your registered partner certificate.")
@click.option("--card-id", cls=Setting, help="Registered Wallet card ids, comma-separated (none = any).")
@click.option("--partner-cert", cls=Setting, help="Your partner certificate (PEM): verifies your tokens.")
@click.option("--samsung-key", cls=Setting, help="The sandbox's Samsung key (PEM): decrypts cards, signs tokens.")
@click.option(
    "--samsung-certificate-id", cls=Setting, help="certificateId of Samsung's certificate, in the tokens it signs."
)
@click.option("--cc2", default="US", show_default=True, help="The simulated user's country.")
@click.option("--strict-cards", is_flag=True, help="Refuse card warnings too (as linkkit link transmit --strict).")
@click.option(
    "--s2p-notification-url",
    cls=Setting,
    help="Also serve Save to Pay: your notification endpoint (https, mutual TLS) for WA_* events.",
)
@click.option("--s2p-partner-id", cls=Setting, help="Your Save to Pay Partner-Id (a UUID).")
@click.option(
    "--s2p-port",
    default=8443,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the Save to Pay registrations API (mutual TLS).",
)
@click.option(
    "--welcome-port",
    default=8801,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the Save to Pay welcome page and simulated wallet app.",
)
def sandbox(
    host: str,
    port: int,
    partner_url: str | None,
    public_url: str | None,
    allowed_hosts: tuple[str, ...],
    partner_id: str | None,
    certificate_id: str | None,
    card_id: str | None,
    partner_cert: str | None,
    samsung_key: str | None,
    samsung_certificate_id: str | None,
    cc2: str,
    strict_cards: bool,
    s2p_notification_url: str | None,
    s2p_partner_id: str | None,
    s2p_port: int,
    welcome_port: int,
) -> None:
    """Serve a local Samsung Wallet sandbox: the Add to Wallet landing page (/atw/v3/...), the
    server API (templates, add card, notifications), fault injection and JSON views (/_sandbox/).

    \b
    With a local identity set (linkkit keys generate --out keys/):
      LINKKIT_CONFIG=keys/linkkit.toml linkkit sandbox --partner-url http://127.0.0.1:5001
    Then point your partner at it: Endpoints.sandbox("http://127.0.0.1:8800").

    \b
    Save to Pay too (the keys of the identity set next to --samsung-key are used for mutual TLS):
      linkkit sandbox --s2p-notification-url https://127.0.0.1:8444/notifications
    """
    ids = [i.strip() for i in (card_id or "").split(",") if i.strip()]
    config = SandboxConfig(
        partner_id=require(partner_id, "--partner-id"),
        certificate_id=require(certificate_id, "--certificate-id"),
        partner_public_key=public_key_of(load_certificate(require(partner_cert, "--partner-cert"))),
        samsung_private_key=load_private_key(require(samsung_key, "--samsung-key")),
        samsung_certificate_id=samsung_certificate_id or None,
        partner_base_url=partner_url or None,
        public_url=public_url,
        allowed_hosts=frozenset(allowed_hosts) | ({host} if host not in ("0.0.0.0", "::") else set()),  # noqa: S104
        card_ids=frozenset(ids),
        cc2=cc2,
        strict_cards=strict_cards,
    )
    server = make_server(host, port, create_app(config))
    url = f"http://{host}:{server.server_port}"
    s2p = None
    if s2p_notification_url:
        identity_dir = Path(require(samsung_key, "--samsung-key")).parent
        s2p = create_s2p_sandbox(
            identity_dir,
            partner_id=require(s2p_partner_id, "--s2p-partner-id"),
            partner_notification_url=s2p_notification_url,
        ).serve(host=host, api_port=s2p_port, welcome_port=welcome_port)
    click.echo(f"linkkit sandbox on {url} (partner {config.partner_id}, certificate {config.certificate_id})")
    click.echo(f"  partner URL: {config.partner_base_url or 'not set (PUT /_sandbox/settings)'}")
    click.echo(f"  wallet: {url}/_sandbox/wallet   calls: {url}/_sandbox/calls   faults: {url}/_sandbox/faults")
    if s2p is not None:
        click.echo(f"  Save to Pay API (mutual TLS): {s2p.api_url}   welcome pages: {s2p.welcome_base_url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("linkkit sandbox: stopped", err=True)
    finally:
        server.server_close()
        if s2p is not None:
            s2p.stop()
