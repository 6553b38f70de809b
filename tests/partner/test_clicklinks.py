"""Click-time links: create, open over HTTP (302 to a fresh link), limits, attacks."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from linkkit.errors import ConfigError, LinkError, StoreError
from linkkit.links import TransmitLink, parse_link
from linkkit.partner import ClickLinks, ClickLinkSpec, ClickOutcome, SQLiteStore
from linkkit.verify import TokenVerifier
from tests.conftest import CARD_ID, FrozenClock
from tests.partner.conftest import ATW_BASE, CLICK_SECRET, DictCards, Live


class CountingStore(SQLiteStore):
    """The real SQLite store, counting how often click links are looked up."""

    lookups = 0

    def use_click_link(self, link_id: str, now: float) -> Any:
        self.lookups += 1
        return super().use_click_link(link_id, now)


def _open(live: Live, url: str, method: str = "GET") -> httpx.Response:
    path = url.split("/w/", 1)[1]
    return live.http.request(method, f"{live.url}/w/{path}")


def test_create_makes_a_short_url(click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1", channel="sms")
    assert url.startswith("http://partner.test/w/")
    token = url.rsplit("/", 1)[1]
    assert len(token) == 28 and token.replace("-", "").replace("_", "").isalnum()
    assert len({click_links.create(CARD_ID, "ref-1") for _ in range(50)}) == 50


def test_opening_redirects_to_a_freshly_minted_transmit_link(
    live: Live, click_links: ClickLinks, verifier: TokenVerifier, cards: DictCards
) -> None:
    url = click_links.create(CARD_ID, "ref-1", channel="email", tags=["spring"])
    response = _open(live, url)
    assert response.status_code == 302
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    link = parse_link(response.headers["location"])
    assert isinstance(link, TransmitLink) and link.card_id == CARD_ID and link.base == ATW_BASE
    assert verifier.open_card_data_token(link.cdata).card == cards.cards[(CARD_ID, "ref-1")]
    record = click_links.get(url)
    assert record is not None and record.uses == 1 and record.channel == "email" and record.tags == ("spring",)


def test_each_open_mints_a_new_token(live: Live, click_links: ClickLinks, clock: FrozenClock) -> None:
    url = click_links.create(CARD_ID, "ref-1")
    first = _open(live, url).headers["location"]
    clock.now += 1
    second = _open(live, url).headers["location"]
    assert first != second


def test_expiry(live: Live, click_links: ClickLinks, clock: FrozenClock) -> None:
    url = click_links.create(CARD_ID, "ref-1", expires_at=clock.now + 60)
    assert _open(live, url).status_code == 302
    clock.now += 60
    response = _open(live, url)
    assert response.status_code == 410 and "expired" in response.text
    assert response.headers["content-security-policy"] == "default-src 'none'"


def test_use_limit(live: Live, click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1", max_uses=2)
    assert [_open(live, url).status_code for _ in range(3)] == [302, 302, 410]
    assert "used" in _open(live, url).text


def test_revocation(live: Live, click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1")
    assert click_links.revoke(url) is True
    response = _open(live, url)
    assert response.status_code == 410 and "withdrawn" in response.text
    assert click_links.revoke("http://partner.test/w/" + "A" * 28) is False


def test_head_does_not_spend_a_use(live: Live, click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1", max_uses=1)
    assert _open(live, url, "HEAD").status_code == 200
    assert _open(live, url, "GET").status_code == 302
    tampered = url[:-1] + ("A" if url[-1] != "A" else "B")
    assert _open(live, tampered, "HEAD").status_code == 404


def test_head_answers_what_get_would_and_never_spends(live: Live, click_links: ClickLinks, clock: FrozenClock) -> None:
    revoked = click_links.create(CARD_ID, "ref-1")
    click_links.revoke(revoked)
    expired = click_links.create(CARD_ID, "ref-1", expires_at=clock.now + 60)
    used_up = click_links.create(CARD_ID, "ref-1", max_uses=1)
    assert _open(live, used_up).status_code == 302
    live_one = click_links.create(CARD_ID, "ref-1", max_uses=1)
    clock.now += 61
    for url, status in ((revoked, 410), (expired, 410), (used_up, 410), (live_one, 200)):
        head = _open(live, url, "HEAD")
        assert head.status_code == status, url
        assert head.status_code == _open(live, url, "GET").status_code or url == live_one
        assert head.headers["cache-control"] == "no-store"
    # many HEADs spent nothing: the one GET above was the only use of live_one
    record = click_links.get(live_one)
    assert record is not None and record.uses == 1


def test_a_busy_card_source_spends_no_use(live: Live, click_links: ClickLinks, cards: DictCards) -> None:
    from linkkit.errors import ServiceUnavailableError

    url = click_links.create(CARD_ID, "ref-1", max_uses=1)
    working = cards.get_card

    def busy(*args: Any) -> Any:
        raise ServiceUnavailableError("busy", retry_after=3)

    cards.get_card = busy  # type: ignore[method-assign]
    assert [_open(live, url).status_code for _ in range(3)] == [503, 503, 503]
    record = click_links.get(url)
    assert record is not None and record.uses == 0
    cards.get_card = working  # type: ignore[method-assign]
    assert [_open(live, url).status_code for _ in range(2)] == [302, 410]


def test_a_card_that_is_gone_spends_no_use(live: Live, click_links: ClickLinks, cards: DictCards) -> None:
    url = click_links.create(CARD_ID, "ref-1", max_uses=1)
    saved = dict(cards.cards)
    cards.cards.clear()
    assert _open(live, url).status_code == 410
    cards.cards.update(saved)
    assert [_open(live, url).status_code for _ in range(2)] == [302, 410]


def test_a_use_lost_between_check_and_spend_answers_no_redirect(click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1", max_uses=1)

    def mint_while_another_open_wins(record: Any) -> str:
        assert click_links.open(url)[0] is ClickOutcome.OK  # the other request takes the last use
        return "https://a.swallet.link/atw/v3/x"

    outcome, _, made = click_links.redeem(url, mint_while_another_open_wins)
    assert outcome is ClickOutcome.EXHAUSTED and made is None
    revoked = click_links.create(CARD_ID, "ref-1")

    def mint_while_revoked(record: Any) -> str:
        click_links.revoke(revoked)
        return "https://a.swallet.link/atw/v3/x"

    assert click_links.redeem(revoked, mint_while_revoked)[::2] == (ClickOutcome.REVOKED, None)


def test_a_busy_card_source_answers_503(live: Live, click_links: ClickLinks, cards: DictCards) -> None:
    from linkkit.errors import ServiceUnavailableError

    def busy(*args: Any) -> Any:
        raise ServiceUnavailableError("busy", retry_after=3)

    url = click_links.create(CARD_ID, "ref-1")
    cards.get_card = busy  # type: ignore[method-assign]
    response = _open(live, url)
    assert response.status_code == 503 and response.headers["retry-after"] == "3"


def test_a_card_that_is_gone_answers_410(live: Live, click_links: ClickLinks, cards: DictCards) -> None:
    url = click_links.create(CARD_ID, "ref-1")
    cards.cards.clear()
    assert _open(live, url).status_code == 410


@pytest.mark.parametrize("position", [0, 5, 11, 12, 20, 27])
def test_tampered_tokens_are_refused_without_a_store_lookup(tmp_path: Path, clock: FrozenClock, position: int) -> None:
    store = CountingStore(tmp_path / "c.sqlite3", clock=clock)
    links = ClickLinks(store=store, secrets=CLICK_SECRET, base_url="https://p.example/w", clock=clock)
    url = links.create(CARD_ID, "ref-1")
    token = url.rsplit("/", 1)[1]
    flipped = token[:position] + ("B" if token[position] != "B" else "C") + token[position + 1 :]
    for bad in (flipped, token[:-1], token + "A", "../" + token[3:], token.upper(), "", "é" * 28):
        assert links.open(bad) == (ClickOutcome.UNKNOWN, None)
    assert store.lookups == 0
    assert links.open(token)[0] is ClickOutcome.OK and store.lookups == 1
    store.close()


def test_tampered_links_answer_404_over_http(live: Live, click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1")
    for bad in (url[:-2] + "xx", url + "%00", url.replace("/w/", "/w/..%2F")):
        assert _open(live, bad).status_code == 404
    assert live.http.post(url.replace("http://partner.test", live.url)).status_code == 405


def test_links_from_another_secret_are_refused_and_secrets_rotate(store: SQLiteStore, clock: FrozenClock) -> None:
    old = ClickLinks(store=store, secrets=[b"o" * 32], base_url="https://p.example/w", clock=clock)
    url = old.create(CARD_ID, "ref-1")
    other = ClickLinks(store=store, secrets=[b"n" * 32], base_url="https://p.example/w", clock=clock)
    assert other.open(url) == (ClickOutcome.UNKNOWN, None)
    rotated = ClickLinks(store=store, secrets=[b"n" * 32, b"o" * 32], base_url="https://p.example/w", clock=clock)
    assert rotated.open(url)[0] is ClickOutcome.OK
    fresh = rotated.create(CARD_ID, "ref-1")
    assert other.open(fresh)[0] is ClickOutcome.OK  # the first secret signs


def test_create_many_is_all_or_nothing(click_links: ClickLinks, clock: FrozenClock) -> None:
    urls = click_links.create_many(ClickLinkSpec(CARD_ID, f"ref-{i}", max_uses=3, channel="qr") for i in range(100))
    assert len(set(urls)) == 100
    record = click_links.get(urls[42])
    assert record is not None and record.ref_id == "ref-42" and record.max_uses == 3
    with pytest.raises(LinkError):
        click_links.create_many([ClickLinkSpec(CARD_ID, "ok"), ClickLinkSpec(CARD_ID, "bad ref")])


def test_concurrent_opens_never_exceed_the_limit(store: SQLiteStore, click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1", max_uses=5)
    outcomes: list[ClickOutcome] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            outcome, _record = click_links.open(url)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count(ClickOutcome.OK) == 5 and outcomes.count(ClickOutcome.EXHAUSTED) == 35


def test_expiry_accepts_aware_datetimes(click_links: ClickLinks, clock: FrozenClock) -> None:
    when = dt.datetime.fromtimestamp(clock.now + 3600, dt.UTC)
    record = click_links.get(click_links.create(CARD_ID, "ref-1", expires_at=when))
    assert record is not None and record.expires_at == pytest.approx(clock.now + 3600)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"card_id": "bad id"}, LinkError),
        ({"ref_id": "../etc"}, LinkError),
        ({"expires_at": 1.0}, ValueError),
        ({"expires_at": dt.datetime(2030, 1, 1)}, ValueError),
        ({"expires_at": "tomorrow"}, TypeError),
        ({"max_uses": 0}, ValueError),
        ({"max_uses": True}, ValueError),
        ({"channel": "E-Mail!"}, ValueError),
        ({"tags": "one"}, ValueError),
        ({"tags": ["x" * 65]}, ValueError),
    ],
)
def test_create_refuses_misuse(click_links: ClickLinks, kwargs: dict[str, Any], error: type[Exception]) -> None:
    args = {"card_id": CARD_ID, "ref_id": "ref-1"} | kwargs
    with pytest.raises(error):
        click_links.create(args.pop("card_id"), args.pop("ref_id"), **args)


def test_configuration_is_checked(store: SQLiteStore) -> None:
    with pytest.raises(ConfigError, match="32"):
        ClickLinks(store=store, secrets=b"short", base_url="https://p.example/w")
    with pytest.raises(ConfigError, match="at least one"):
        ClickLinks(store=store, secrets=[], base_url="https://p.example/w")
    with pytest.raises(ConfigError, match="base_url"):
        ClickLinks(store=store, secrets=CLICK_SECRET, base_url="ftp://p.example/w")
    links = ClickLinks(store=store, secrets=CLICK_SECRET, base_url="https://p.example/w/")
    assert links.create(CARD_ID, "r").startswith("https://p.example/w/") and "keys=1" in repr(links)
    with pytest.raises(ConfigError, match="one of them"):
        ClickLinks(store=store, base_url="https://p.example/w")  # neither secrets nor a keyring


def test_link_id_of_anything_but_text_is_none(click_links: ClickLinks) -> None:
    url = click_links.create(CARD_ID, "ref-1")
    assert click_links.link_id(url) is not None
    for value in (None, 28, url.encode(), [url]):
        assert click_links.link_id(value) is None


def test_a_token_is_token_length_characters(click_links: ClickLinks) -> None:
    from linkkit.partner.clicklinks import TOKEN_LENGTH

    token = click_links.create(CARD_ID, "ref-1").rsplit("/", 1)[1]
    assert len(token) == TOKEN_LENGTH
    assert click_links.link_id(token) is not None
    assert click_links.link_id(token + "A") is None and click_links.link_id(token[:-1]) is None


def test_duplicate_ids_are_a_store_error(store: SQLiteStore, click_links: ClickLinks) -> None:
    record = click_links.get(click_links.create(CARD_ID, "ref-1"))
    assert record is not None
    with pytest.raises(StoreError):
        store.add_click_links([record])
