"""Metrics and spans with OpenTelemetry's SDK and its in-memory reader and exporter: a scripted set of calls
from the sandbox (Samsung's side, over real HTTP) and of users' clicks, then every figure checked by name and
value, every span by name, parent and attributes, and no secret or refId in any of them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from linkkit._serving import ServerThread
from linkkit._urls import URLAllowList
from linkkit.clients.wallet import CardUpdate, RetryPolicy, WalletClient
from linkkit.config import Endpoints
from linkkit.errors import TransportError
from linkkit.keys import public_key_of
from linkkit.links import fetch_link
from linkkit.observability import INSTRUMENTS, Telemetry
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, SQLiteStore, WalletNotifier
from linkkit.partner.callbacks import SAMSUNG_CALLBACK_HOSTS
from linkkit.sandbox import SandboxConfig, create_app
from linkkit.tokens import TokenSigner
from tests.conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID, Identity
from tests.partner.conftest import DictCards, card_for

SECRET_REF = "ref-Zq8Lw3Xv5Nt2Kp9Rb7Yd"  # long enough to be secret-shaped, and checked for everywhere


class Cards(DictCards):
    def get_card(self, card_id: str, ref_id: str, fields: tuple[str, ...] | None) -> Mapping[str, Any] | None:
        if ref_id == "boom":
            raise RuntimeError("the merchant's database fell over")
        return super().get_card(card_id, ref_id, fields)


@pytest.fixture
def recorded() -> Iterator[tuple[Telemetry, InMemoryMetricReader, InMemorySpanExporter]]:
    reader, exporter = InMemoryMetricReader(), InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    meter_provider = MeterProvider(metric_readers=[reader])
    yield Telemetry(meter_provider=meter_provider, tracer_provider=tracer_provider), reader, exporter
    meter_provider.shutdown()
    tracer_provider.shutdown()


def points(reader: InMemoryMetricReader) -> dict[str, list[Any]]:
    data = reader.get_metrics_data()
    found: dict[str, list[Any]] = {}
    assert data is not None
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            assert scope.scope.name == "linkkit"
            for metric in scope.metrics:
                found[metric.name] = list(metric.data.data_points)
    return found


def counts(found: dict[str, list[Any]], name: str, *keys: str) -> dict[tuple[str, ...], int]:
    return {tuple(p.attributes[k] for k in keys): p.value for p in found.get(name, [])}


def test_a_scripted_set_of_calls_gives_these_metrics_and_spans(
    identity: Identity,
    loyalty_card: dict[str, Any],
    recorded: tuple[Telemetry, InMemoryMetricReader, InMemorySpanExporter],
) -> None:
    telemetry, reader, exporter = recorded
    store = SQLiteStore(":memory:")
    signer = TokenSigner(
        partner_id=PARTNER_ID,
        certificate_id=CERTIFICATE_ID,
        private_key=identity.partner_key,
        samsung_public_key=public_key_of(identity.samsung_cert),
    )
    cards = Cards({(CARD_ID, SECRET_REF): card_for(loyalty_card, SECRET_REF)})
    with ServerThread(create_app(SandboxConfig.from_identity(identity.files))) as sandbox:
        # the allow-list names a second local origin that nobody answers, for the failing notification below
        callbacks = URLAllowList(hosts=SAMSUNG_CALLBACK_HOSTS, origins=(sandbox.url, "http://127.0.0.1:9"))
        config = PartnerConfig(
            signer=signer, card_ids={CARD_ID}, endpoints=Endpoints.sandbox(sandbox.url), callback_allow_list=callbacks
        )
        links = ClickLinks(store=store, secrets=[b"c" * 32], base_url="http://partner.test/w", telemetry=telemetry)
        partner = PartnerServer(config, cards, store=store, click_links=links, telemetry=telemetry)
        with ServerThread(partner.wsgi_app()) as server, httpx.Client(timeout=10.0) as http:
            http.put(f"{sandbox.url}/_sandbox/settings", json={"partnerBaseUrl": server.url})

            def open_link(fault: str | None = None, ref: str = SECRET_REF) -> dict[str, Any]:
                headers = {"x-linkkit-fault": fault} if fault else {}
                answer = http.post(
                    f"{sandbox.url}/_sandbox/api/open",
                    json={"link": fetch_link(CERTIFICATE_ID, CARD_ID, ref)},
                    headers=headers,
                )
                return dict(answer.json())

            # Get Card Data: three answered, one with a bad signature, one replayed, one failing source
            assert open_link("bad_signature")["step"] == "error"
            sessions = [open_link() for _ in range(3)]
            assert all(s["step"] == "preview" for s in sessions), sessions
            assert open_link("replay")["step"] == "error"  # the last request id again
            assert open_link(ref="boom")["step"] == "error"
            # Send Card State ADDED (the callback is the sandbox), then one Update Notification through it
            assert http.post(f"{sandbox.url}/_sandbox/api/s/{sessions[0]['session']}/add").status_code == 200
            client = WalletClient(signer, Endpoints.sandbox(sandbox.url), retry=RetryPolicy(attempts=1))
            notifier = WalletNotifier(client, store, callback_allow_list=callbacks, telemetry=telemetry)
            assert len(notifier.update(CARD_ID, "loyalty", [CardUpdate(SECRET_REF, "UPDATED")]).accepted) == 1
            # a card whose callback nobody answers: the notifier's call fails
            samsung = TokenSigner(
                partner_id=PARTNER_ID, certificate_id=CERTIFICATE_ID, private_key=identity.samsung_key
            )
            state_path = f"/cards/{CARD_ID}/ref-gone"
            request_id = uuid.uuid4().hex
            added = http.post(
                f"{server.url}{state_path}",
                params={"cc2": "US", "event": "ADDED"},
                json={"callback": "http://127.0.0.1:9"},
                headers={"authorization": samsung.authorization_header("POST", state_path), "x-request-id": request_id},
            )
            assert added.status_code == 200
            with pytest.raises(TransportError):
                notifier.update(CARD_ID, "loyalty", [CardUpdate("ref-gone", "UPDATED")])
            client.close()
            # click-time links: two made, one opened twice (its only use, then exhausted), one invented
            email = links.create(CARD_ID, SECRET_REF, max_uses=1, channel="email")
            links.create(CARD_ID, SECRET_REF, channel="qr")
            token = email.rsplit("/", 1)[1]
            assert http.get(f"{server.url}/w/{token}").status_code == 302
            assert http.get(f"{server.url}/w/{token}").status_code == 410
            assert http.get(f"{server.url}/w/{'A' * 28}").status_code == 404
            # health probes are not counted
            assert http.get(f"{server.url}/readyz").status_code == 200

    found = points(reader)
    assert set(found) == {i.name for i in INSTRUMENTS}
    requests = counts(found, "linkkit.partner.requests", "linkkit.endpoint", "linkkit.outcome", "linkkit.code")
    assert requests == {
        ("get_card_data", "answered", "ok"): 4,  # the fourth: Samsung fetches the card it was told changed
        ("get_card_data", "refused", "bad_signature"): 1,
        ("get_card_data", "refused", "replayed"): 1,
        ("get_card_data", "failed", "internal_error"): 1,
        ("send_card_state", "answered", "ok"): 2,
        ("click_link", "answered", "ok"): 1,
        ("click_link", "refused", "exhausted"): 1,
        ("click_link", "refused", "unknown"): 1,
    }
    durations = {
        (p.attributes["linkkit.endpoint"], p.attributes["linkkit.outcome"]): p
        for p in found["linkkit.partner.request.duration"]
    }
    assert {k: p.count for k, p in durations.items()} == {
        ("get_card_data", "answered"): 4,
        ("get_card_data", "refused"): 2,
        ("get_card_data", "failed"): 1,
        ("send_card_state", "answered"): 2,
        ("click_link", "answered"): 1,
        ("click_link", "refused"): 2,
    }
    answered = durations[("get_card_data", "answered")]
    assert 0 < answered.min <= answered.max < 5 and answered.explicit_bounds[0] == 0.0005
    assert counts(found, "linkkit.partner.replay_refusals", "linkkit.endpoint") == {("get_card_data",): 1}
    assert counts(found, "linkkit.click_links.mints", "linkkit.channel") == {("email",): 1, ("qr",): 1}
    assert counts(found, "linkkit.click_links.spends", "linkkit.outcome") == {
        ("ok",): 1,
        ("exhausted",): 1,
        ("unknown",): 1,
    }
    assert counts(found, "linkkit.notifier.sends", "linkkit.outcome") == {("accepted",): 1, ("failed",): 1}
    assert counts(found, "linkkit.notifier.failures", "linkkit.code") == {("transport",): 1}

    spans = exporter.get_finished_spans()
    by_id = {s.context.span_id: s for s in spans}

    def parent(span: ReadableSpan) -> str | None:
        return by_id[span.parent.span_id].name if span.parent and span.parent.span_id in by_id else None

    names = [s.name for s in spans]
    assert names.count("linkkit get_card_data") == 7 and names.count("linkkit click_link") == 3
    verify = [s for s in spans if s.name == "linkkit.verify"]
    assert len(verify) == 9 and {parent(s) for s in verify} == {"linkkit get_card_data", "linkkit send_card_state"}
    refused = [s for s in verify if s.status.status_code.name == "ERROR"]
    assert sorted(s.attributes["error.type"] for s in refused) == ["bad_signature", "replayed"]  # type: ignore[index]
    builds = [s for s in spans if s.name == "linkkit.card.build"]
    assert {parent(s) for s in builds} == {"linkkit get_card_data", "linkkit click_link"}
    replay_checks = [s for s in spans if s.name == "linkkit.store check_and_remember"]
    assert {parent(s) for s in replay_checks} == {"linkkit.verify"}
    assert {s.name for s in spans if parent(s) == "linkkit click_link"} >= {"linkkit.store use_click_link"}

    # the request id is on the request span and on its children
    added_span = next(
        s for s in spans if s.name == "linkkit send_card_state" and s.attributes["linkkit.request_id"] == request_id
    )  # type: ignore[index]
    children = [s for s in spans if s.parent and s.parent.span_id == added_span.context.span_id]
    assert children and all(s.attributes["linkkit.request_id"] == request_id for s in children)  # type: ignore[index]
    failed = next(s for s in spans if s.name == "linkkit get_card_data" and s.attributes["linkkit.outcome"] == "failed")
    assert failed.status.status_code.name == "ERROR" and failed.attributes["error.type"] == "RuntimeError"

    # nothing secret in any attribute, event or status
    text = repr([(s.name, dict(s.attributes or {}), s.status.description, s.events) for s in spans])
    text += repr({name: [dict(p.attributes) for p in pts] for name, pts in found.items()})
    assert SECRET_REF not in text and "eyJ" not in text and "fell over" not in text and "BEGIN" not in text


NO_OTEL = """
import sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ImportError(name)

sys.meta_path.insert(0, Block())
from linkkit.identity import new_rsa_key
from linkkit.observability import DISABLED, Telemetry
from linkkit.partner import ClickLinks, PartnerConfig, PartnerServer, SQLiteStore
from linkkit.tokens import TokenSigner

key = new_rsa_key()
signer = TokenSigner(partner_id="4030093436155138240", certificate_id="YMtt", private_key=key,
                     samsung_public_key=key.public_key())
store = SQLiteStore(":memory:")
links = ClickLinks(store=store, secrets=[b"k" * 32], base_url="https://partner.test/w")
server = PartnerServer(PartnerConfig(signer=signer, card_ids={"3glji6d406000"}), None, store=store, click_links=links)
assert Telemetry.default() is DISABLED and server._telemetry is DISABLED and server._store is store
assert not server._observer.active()  # nothing measures: handle() goes straight to the endpoint
try:
    Telemetry(meter_provider=object())
except Exception as exc:
    print(type(exc).__name__, exc)
print(links.open(links.create("3glji6d406000", "ref-1"))[0].value, "opentelemetry" in sys.modules)
"""


def test_without_opentelemetry_nothing_is_measured_and_everything_works() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", NO_OTEL],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "ConfigError telemetry: OpenTelemetry is not installed (pip install 'linkkit[otel]')",
        "ok False",
    ]


GLOBAL_PROVIDER_LATER = """
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from linkkit.observability import Telemetry

telemetry = Telemetry()  # the global providers: the API's proxy, nothing set behind it yet
with telemetry.span("before") as span:
    print(telemetry.tracing, telemetry.recording(), span is None)
exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
trace.set_tracer_provider(provider)  # what an application's OpenTelemetry set-up does, later
with telemetry.span("after", {"a": "b"}) as span:
    print(telemetry.recording(), span.is_recording())
print([s.name for s in exporter.get_finished_spans()])
"""


def test_behind_the_global_proxy_spans_start_once_an_sdk_provider_is_set() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    # a child process: the global tracer provider can be set once per process
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", GLOBAL_PROVIDER_LATER],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True False True", "True True", "['after']"]
