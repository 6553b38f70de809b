"""One configuration value picks the store: a postgresql:// URL, a sqlite URL or a plain path."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkkit.errors import ConfigError
from linkkit.partner.stores import NotificationStore, SQLiteStore, open_notification_store, open_store, parse_store_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@db:5432/shop", ("postgresql", "postgresql://u@db:5432/shop")),
        ("postgres://u@db/shop?sslmode=verify-full", ("postgresql", "postgres://u@db/shop?sslmode=verify-full")),
        ("sqlite:///partner.sqlite3", ("sqlite", "partner.sqlite3")),
        ("sqlite:////var/lib/shop/p.sqlite3", ("sqlite", "/var/lib/shop/p.sqlite3")),
        ("sqlite:///data%20dir/p.sqlite3", ("sqlite", "data dir/p.sqlite3")),
        ("sqlite://", ("sqlite", ":memory:")),
        ("sqlite:///:memory:", ("sqlite", ":memory:")),
        ("partner.sqlite3", ("sqlite", "partner.sqlite3")),
        (Path("/tmp/p.sqlite3"), ("sqlite", "/tmp/p.sqlite3")),
    ],
)
def test_urls_name_an_engine_and_a_target(url: str, expected: tuple[str, str]) -> None:
    assert parse_store_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("mysql://db/shop", "unsupported scheme 'mysql'"),
        ("postgresql:dbname=shop", "starts postgresql://"),
        ("sqlite://host/p.sqlite3", "sqlite:///relative/path"),
        ("sqlite:///p.sqlite3?mode=ro", "sqlite:///relative/path"),
    ],
)
def test_bad_urls_are_config_errors_naming_the_setting(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match="store_url") as refused:
        parse_store_url(url)
    assert message in str(refused.value)


def test_sqlite_urls_open_sqlite_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///partner.sqlite3", replay_window=10)
    assert isinstance(store, SQLiteStore) and (tmp_path / "partner.sqlite3").exists()
    store.close()
    log = open_notification_store("sqlite:///n.sqlite3")
    assert isinstance(log, NotificationStore) and log.count() == 0
    log.close()
