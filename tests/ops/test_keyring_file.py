"""The rings of linkkit.toml: flat settings and [[tables]], pending keys, switch-over dates, and reloading when a
file changes (a bad edit keeps the keyring in use)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from linkkit.errors import CertificateExpiredError, ConfigError, KeyLoadError
from linkkit.identity import write_identity
from linkkit.keyring_file import KeyringFile, load_keyring, parse_use_from, pending_keys
from tests.conftest import CERTIFICATE_ID, NOW, PARTNER_ID, FrozenClock, Identity
from tests.ops.conftest import LATER, Spare, write_toml

FLAT = f"""
partner_id = "{PARTNER_ID}"
certificate_id = "{CERTIFICATE_ID}"
key = "partner.key"
partner_cert = "partner.crt"
samsung_cert = "samsung.crt"
samsung_certificate_id = "SAMS"
"""


@pytest.fixture
def folder(tmp_path: Path, identity: Identity) -> Path:
    write_identity(tmp_path, {k: v for k, v in identity.files.items() if k != "linkkit.toml"})
    (tmp_path / "click-a.secret").write_bytes(b"a" * 32)
    return tmp_path


def test_the_flat_settings_are_the_first_entry_of_each_ring_and_tables_add_more(
    folder: Path, spare: Spare, write_pem: Callable[[str, Any], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINKKIT_TEST_CLICK_SECRET", "Yi" * 22)  # base64url of 33 bytes
    write_pem("samsung-2.crt", spare.certificate(spare.samsung2_key, expires=LATER))
    write_pem("partner-next.key", spare.partner2_key)
    path = write_toml(
        folder,
        FLAT
        + """
[[samsung_certs]]
certificate_id = "SAM2"
cert = "samsung-2.crt"
use_from = 2026-12-01T00:00:00Z

[[partner_keys]]
key = "partner-next.key"
csr = "partner-next.csr"
use_from = 2027-01-15

[[click_secrets]]
id = "a"
file = "click-a.secret"

[[click_secrets]]
id = "b"
env = "LINKKIT_TEST_CLICK_SECRET"
use_from = "2027-02-01T00:00:00+01:00"
""",
    )
    keyring = load_keyring(path)
    assert keyring.partner_id == PARTNER_ID
    assert [k.certificate_id for k in keyring.partner_keys] == [CERTIFICATE_ID]  # the next one is pending
    assert [(c.certificate_id, c.source) for c in keyring.samsung_certificates] == [
        ("SAMS", "samsung.crt"),
        ("SAM2", "samsung-2.crt"),
    ]
    assert keyring.samsung_certificates[1].use_from == dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()
    assert [s.id for s in keyring.click_secrets] == ["a", "b"]
    assert keyring.click_secrets[1].use_from == dt.datetime(2027, 1, 31, 23, tzinfo=dt.UTC).timestamp()
    pending = pending_keys(path)
    assert len(pending) == 1 and pending[0]["key"] == "partner-next.key" and pending[0]["csr"] == "partner-next.csr"
    assert pending[0]["use_from"] == dt.datetime(2027, 1, 15, tzinfo=dt.UTC).timestamp()


def test_use_from_needs_a_time_zone() -> None:
    assert parse_use_from(None, "x") is None
    assert parse_use_from("2027-01-15", "x") == dt.datetime(2027, 1, 15, tzinfo=dt.UTC).timestamp()
    with pytest.raises(ConfigError, match=r"partner_keys\[0\].use_from: give a time zone"):
        parse_use_from(dt.datetime(2027, 1, 15, 8, 0), "partner_keys[0]")
    with pytest.raises(ConfigError, match="ISO 8601"):
        parse_use_from("next tuesday", "x")
    with pytest.raises(ConfigError, match="a date"):
        parse_use_from(17, "x")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[[samsung_certs]]\ncert = "missing.crt"\ncertificate_id = "S2"\n', "missing.crt: cannot read"),
        ('[[samsung_certs]]\ncertificate_id = "S2"\n', r"samsung_certs\[0\].cert: required"),
        ('[[click_secrets]]\nid = "x"\n', "give file or env"),
        ('[[click_secrets]]\nid = "x"\nfile = "partner.crt"\nenv = "X"\n', "give file or env"),
        ("samsung_certs = 3\n", "must be a list of tables"),
        ('[[partner_keys]]\ncertificate_id = "Nx42"\nkey = "partner.key"\ncert = "samsung.crt"\n', "does not belong"),
    ],
)
def test_a_broken_ring_names_the_entry_and_the_field(folder: Path, extra: str, message: str) -> None:
    path = write_toml(folder, FLAT.replace('samsung_certificate_id = "SAMS"\n', "") + extra)
    with pytest.raises((ConfigError, KeyLoadError), match=message):
        load_keyring(path)


def test_a_short_click_secret_file_is_refused(folder: Path) -> None:
    (folder / "short.secret").write_bytes(b"s" * 16)
    path = write_toml(folder, FLAT + '[[click_secrets]]\nid = "s"\nfile = "short.secret"\n')
    with pytest.raises(ConfigError, match="at least 32 random bytes"):
        load_keyring(path)


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_a_changed_file_is_read_again_after_the_check_interval_and_a_bad_edit_keeps_the_keyring(
    folder: Path, spare: Spare, write_pem: Callable[[str, Any], str], caplog: pytest.LogCaptureFixture
) -> None:
    path = write_toml(folder, FLAT)
    ticks, clock = Ticks(), FrozenClock()
    keys = KeyringFile(path, check_every=5, clock=clock, monotonic=ticks)
    first = keys.current()
    assert [c.certificate_id for c in first.samsung_certificates] == ["SAMS"]

    write_pem("samsung-2.crt", spare.certificate(spare.samsung2_key, expires=LATER))
    path.write_text(path.read_text() + '\n[[samsung_certs]]\ncertificate_id = "SAM2"\ncert = "samsung-2.crt"\n')
    _touch_later(path)
    ticks.now = 4.9
    assert keys.current() is first  # not looked at yet
    ticks.now = 5.0
    second = keys.current()
    assert [c.certificate_id for c in second.samsung_certificates] == ["SAMS", "SAM2"] and keys.reloads == 1
    assert keys.current() is second  # nothing changed since

    # a key file named by the ring changes (a renewed certificate under the same name): read again
    write_pem("samsung-2.crt", spare.certificate(spare.samsung2_key, expires=LATER + 86400))
    _touch_later(folder / "samsung-2.crt")
    ticks.now = 10.0
    third = keys.current()
    assert third is not second and third.samsung_certificates[1].expires_at == pytest.approx(LATER + 86400, abs=1)

    # a bad edit: logged, and the keyring in use stays
    path.write_text(path.read_text() + "\nthis is not toml\n")
    _touch_later(path)
    ticks.now = 15.0
    with caplog.at_level(logging.ERROR, logger="linkkit.keyring"):
        assert keys.current() is third
    assert "not reloaded, the keyring in use is kept" in caplog.text and "not valid TOML" in caplog.text
    assert keys.reload() is False and keys.current() is third

    # the edit is mended: read again
    path.write_text(path.read_text().replace("\nthis is not toml\n", "\n"))
    _touch_later(path)
    ticks.now = 20.0
    assert keys.current() is not third and keys.reloads == 3


def test_an_expired_certificate_is_refused_at_load_and_at_reload_unless_allowed(
    folder: Path, spare: Spare, write_pem: Callable[[str, Any], str], caplog: pytest.LogCaptureFixture
) -> None:
    write_pem("old.crt", spare.certificate(spare.samsung2_key, expires=NOW - 86400))
    with_expired = FLAT + '\n[[samsung_certs]]\ncertificate_id = "OLD1"\ncert = "old.crt"\n'
    path = write_toml(folder, with_expired)
    with pytest.raises(CertificateExpiredError, match="Samsung certificate OLD1 .old.crt.: EXPIRED on"):
        KeyringFile(path, clock=FrozenClock())
    assert KeyringFile(path, clock=FrozenClock(), allow_expired=True).current().samsung_certificates[1].id == "OLD1"

    path = write_toml(folder, FLAT)
    ticks = Ticks()
    keys = KeyringFile(path, clock=FrozenClock(), monotonic=ticks)
    kept = keys.current()
    path.write_text(with_expired)
    _touch_later(path)
    ticks.now = 60
    with caplog.at_level(logging.ERROR, logger="linkkit.keyring"):
        assert keys.current() is kept
    assert "EXPIRED" in caplog.text
