"""pytest plugin: a running Samsung Wallet sandbox for your own test suite, and a real server for your app.

Opt in from your project's top-level ``conftest.py`` (or run ``pytest -p linkkit.testing``)::

    pytest_plugins = ["linkkit.testing"]

Installing linkkit registers no plugin by itself: a project that does not ask for these fixtures
pays nothing for them at pytest start-up (``bench/bench_pytest_startup.py``). Then::

    def test_add_to_wallet(linkkit_sandbox, my_partner_server):
        linkkit_sandbox.set_partner_url(my_partner_server.url)
        link = fetch_link(linkkit_sandbox.identity.certificate_id, linkkit_sandbox.identity.card_id, ref_id,
                          base=linkkit_sandbox.url)
        session = linkkit_sandbox.open_link(link)           # as Samsung Wallet would
        assert session["step"] == "preview"
        linkkit_sandbox.add(session)                        # the user presses "Add"
        assert linkkit_sandbox.calls(api="send_card_state")[-1]["status"] == 200

        with linkkit_sandbox.faults.inject("503", value=2):  # your retry path
            ...

Fixtures:

* ``linkkit_identity`` (session): a local identity (partner and Samsung keys, test CAs, ids):
  the folder named by ``LINKKIT_SANDBOX_IDENTITY``, else a generated one. Override it to use your own.
* ``linkkit_sandbox_server`` (session): the sandbox on ``127.0.0.1`` and a free port.
* ``linkkit_sandbox`` (function): a :class:`SandboxHandle` on that server, emptied before each test.

:class:`ServerThread` serves any WSGI app (your partner endpoints, a notification endpoint with
mutual TLS) on ``127.0.0.1`` and a free port for the length of a ``with`` block; it needs no plugin::

    from linkkit.testing import ServerThread

    with ServerThread(create_app()) as server:
        linkkit_sandbox.set_partner_url(server.url + "/samsung")

Everything goes over HTTP, as your code's calls will. In production, serve the app with a WSGI
server such as gunicorn instead (docs/partner.md).
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from linkkit._serving import ServerThread
from linkkit.atw.tokens import TokenSigner
from linkkit.config import Endpoints
from linkkit.errors import ConfigError, MissingDependencyError
from linkkit.identity import IdentityIds, build_identity, random_ids
from linkkit.keys import load_certificate, load_private_key, public_key_of
from linkkit.sandbox import FAULT_HEADER, SandboxConfig, create_app

try:
    import pytest
except ImportError as exc:  # a pytest plugin: only a test suite imports it
    raise MissingDependencyError("linkkit.testing", package="pytest", extra="testing") from exc

__all__ = ["IDENTITY_ENV", "FaultControl", "LocalIdentity", "SandboxHandle", "ServerThread"]

#: Environment variable naming an identity folder for the sandbox fixtures (instead of new keys).
IDENTITY_ENV = "LINKKIT_SANDBOX_IDENTITY"


@dataclass(frozen=True)
class LocalIdentity:
    """A local identity set, loaded: the files (name → PEM) and the keys as objects."""

    ids: IdentityIds
    files: Mapping[str, bytes] = field(repr=False)
    partner_key: rsa.RSAPrivateKey = field(repr=False)
    partner_cert: x509.Certificate = field(repr=False)
    samsung_key: rsa.RSAPrivateKey = field(repr=False)
    samsung_cert: x509.Certificate = field(repr=False)

    @classmethod
    def generate(cls, ids: IdentityIds | None = None) -> LocalIdentity:
        ids = ids or random_ids()
        files = build_identity(ids)
        return cls(
            ids=ids,
            files=files,
            partner_key=load_private_key(files["partner.key"]),
            partner_cert=load_certificate(files["partner.crt"]),
            samsung_key=load_private_key(files["samsung.key"]),
            samsung_cert=load_certificate(files["samsung.crt"]),
        )

    @classmethod
    def load(cls, folder: str | os.PathLike[str]) -> LocalIdentity:
        """Read a set written by ``linkkit keys generate`` (its ``linkkit.toml`` names the ids)."""
        root = Path(folder)
        try:
            settings = tomllib.loads((root / "linkkit.toml").read_text("utf-8"))
            files = {
                name: (root / name).read_bytes()
                for name in ("partner.key", "partner.crt", "samsung.key", "samsung.crt", "linkkit.toml")
            }
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{root}: not a linkkit identity folder ({exc})") from exc
        ids = IdentityIds(
            partner_id=str(settings.get("partner_id")),
            certificate_id=str(settings.get("certificate_id")),
            card_id=str(settings.get("card_id")),
        )
        return cls(
            ids=ids,
            files=files,
            partner_key=load_private_key(files["partner.key"]),
            partner_cert=load_certificate(files["partner.crt"]),
            samsung_key=load_private_key(files["samsung.key"]),
            samsung_cert=load_certificate(files["samsung.crt"]),
        )

    @property
    def partner_id(self) -> str:
        return self.ids.partner_id

    @property
    def certificate_id(self) -> str:
        return self.ids.certificate_id

    @property
    def card_id(self) -> str:
        return self.ids.card_id

    def partner_signer(self, *, clock: Callable[[], float] = time.time) -> TokenSigner:
        """The partner's signer: partner key, Samsung certificate key (Card Data and AUTH tokens)."""
        return TokenSigner(
            partner_id=self.partner_id,
            certificate_id=self.certificate_id,
            private_key=self.partner_key,
            samsung_public_key=public_key_of(self.samsung_cert),
            clock=clock,
        )

    def samsung_signer(self, *, clock: Callable[[], float] = time.time) -> TokenSigner:
        """Samsung's signer, to call partner endpoints in a test as Samsung would."""
        return TokenSigner(
            partner_id=self.partner_id, certificate_id=self.certificate_id, private_key=self.samsung_key, clock=clock
        )


class FaultControl:
    """Queue faults on the sandbox (``/_sandbox/faults``); see :mod:`linkkit.sandbox.faults`."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def set(self, *faults: str | Mapping[str, Any]) -> list[dict[str, Any]]:
        """Replace the queued faults: names (``"503"``) or ``{"name", "value", "times"}`` objects."""
        response = self._http.put("/_sandbox/faults", json={"faults": list(faults)})
        response.raise_for_status()
        return list(response.json()["faults"])

    def add(self, name: str, *, value: float | None = None, times: int | None = None) -> list[dict[str, Any]]:
        fault: dict[str, Any] = {"name": name}
        if value is not None:
            fault["value"] = value
        if times is not None:
            fault["times"] = times
        response = self._http.post("/_sandbox/faults", json={"faults": [fault]})
        response.raise_for_status()
        return list(response.json()["faults"])

    def clear(self) -> None:
        self._http.delete("/_sandbox/faults").raise_for_status()

    def queued(self) -> list[dict[str, Any]]:
        return list(self._http.get("/_sandbox/faults").json()["faults"])

    @contextmanager
    def inject(self, name: str, *, value: float | None = None, times: int | None = None) -> Iterator[None]:
        """Queue one fault for the ``with`` block; the queue is cleared after it."""
        self.add(name, value=value, times=times)
        try:
            yield
        finally:
            self.clear()


class SandboxHandle:
    """A running sandbox, seen from a test: its URL, its identity, and its JSON views."""

    def __init__(self, url: str, identity: LocalIdentity) -> None:
        self.url = url
        self.identity = identity
        self.http = httpx.Client(base_url=url, timeout=30.0)
        self.faults = FaultControl(self.http)

    def __repr__(self) -> str:
        return f"SandboxHandle({self.url!r})"

    def close(self) -> None:
        self.http.close()

    @property
    def endpoints(self) -> Endpoints:
        """Endpoints that send everything (links, server API) to this sandbox."""
        return Endpoints.sandbox(self.url)

    def partner_signer(self, *, clock: Callable[[], float] = time.time) -> TokenSigner:
        return self.identity.partner_signer(clock=clock)

    def samsung_signer(self, *, clock: Callable[[], float] = time.time) -> TokenSigner:
        return self.identity.samsung_signer(clock=clock)

    def set_partner_url(self, url: str) -> None:
        """Where the sandbox calls Get Card Data, Send Card State and Request Action."""
        self.http.put("/_sandbox/settings", json={"partnerBaseUrl": url}).raise_for_status()

    def reset(self) -> None:
        self.http.post("/_sandbox/reset").raise_for_status()

    def wallet(self) -> dict[str, Any]:
        """The simulated wallet: ``{"cards": [...], "templates": [...]}``."""
        return dict(self.http.get("/_sandbox/wallet").json())

    def cards(self) -> list[dict[str, Any]]:
        return list(self.wallet()["cards"])

    def calls(self, *, api: str | None = None) -> list[dict[str, Any]]:
        """Calls the sandbox made (``direction`` ``out``) and received (``in``), oldest first."""
        calls = self.http.get("/_sandbox/calls").json()["calls"]
        return [c for c in calls if api is None or c["api"] == api]

    # -- a user opening links ---------------------------------------------------------------------

    def _post(self, path: str, body: Any, faults: Sequence[str]) -> dict[str, Any]:
        headers = {FAULT_HEADER: ",".join(faults)} if faults else {}
        return dict(self.http.post(path, json=body, headers=headers).json())

    def open_link(self, link: str, *, faults: Sequence[str] = ()) -> dict[str, Any]:
        """Open an Add to Wallet link as Samsung Wallet would; returns the session (``step``:
        ``preview``, ``collect``, or ``error`` with ``error.code``)."""
        return self._post("/_sandbox/api/open", {"link": link}, faults)

    def user_auth(
        self, session: Mapping[str, Any], inputs: Mapping[str, str], *, faults: Sequence[str] = ()
    ) -> dict[str, Any]:
        """Send the inputs the partner asked for (Request Action ``USER_AUTH``)."""
        return self._post(f"/_sandbox/api/s/{session['session']}/auth", {"inputs": dict(inputs)}, faults)

    def add(self, session: Mapping[str, Any]) -> dict[str, Any]:
        """Press "Add to Samsung Wallet"; the partner receives Send Card State ``ADDED``."""
        return self._post(f"/_sandbox/api/s/{session['session']}/add", None, ())


@pytest.fixture(scope="session")
def linkkit_identity() -> LocalIdentity:
    """The identity folder named by ``LINKKIT_SANDBOX_IDENTITY`` (``linkkit keys generate --out DIR``),
    else a generated one (8 RSA keys: made once per test session)."""
    folder = os.environ.get(IDENTITY_ENV)
    return LocalIdentity.load(folder) if folder else LocalIdentity.generate()


@pytest.fixture(scope="session")
def linkkit_sandbox_server(linkkit_identity: LocalIdentity) -> Iterator[ServerThread]:
    """The sandbox app on 127.0.0.1 and a free port, for the whole session."""
    config = SandboxConfig.from_identity(dict(linkkit_identity.files), card_ids=frozenset())
    with ServerThread(create_app(config)) as server:
        yield server


@pytest.fixture
def linkkit_sandbox(linkkit_sandbox_server: ServerThread, linkkit_identity: LocalIdentity) -> Iterator[SandboxHandle]:
    """The session's sandbox, emptied (wallet, templates, calls, faults) for this test."""
    handle = SandboxHandle(linkkit_sandbox_server.url, linkkit_identity)
    handle.reset()
    try:
        yield handle
    finally:
        handle.close()
