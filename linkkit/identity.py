"""A complete local identity set: every key and certificate the sandbox, the demo and the tests need.

Two certificate authorities (our decision for mutual TLS in both directions of Save to Pay):

* **Samsung CA** (played by the sandbox) signs the Samsung certificate (JWE encryption, signing of
  Samsung's AUTH tokens and signedAtwLinks), the partner certificate (from the partner's CSR, as the
  Partner Portal does), the S2P API's TLS server certificate and the partner's S2P *client*
  certificate (mutual TLS, partner → S2P).
* **Partner CA** (played by the partner) signs the partner notification endpoint's TLS server
  certificate and the S2P server's *client* certificate (mutual TLS, S2P → partner).

Nothing here is for production: these are test identities, named so.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import re
import secrets
import string
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from linkkit.errors import ConfigError, KeyLoadError

#: Every file ``generate_identity`` writes, by role.
IDENTITY_FILES: Final = (
    "samsung-ca.key",
    "samsung-ca.crt",
    "samsung.key",
    "samsung.crt",
    "partner.key",
    "partner.crt",
    "partner-ca.key",
    "partner-ca.crt",
    "s2p-server.key",
    "s2p-server.crt",
    "partner-client.key",
    "partner-client.crt",
    "partner-server.key",
    "partner-server.crt",
    "s2p-client.key",
    "s2p-client.crt",
    "linkkit.toml",
)
LOCAL_HOSTS: Final = ("localhost", "127.0.0.1", "::1")
#: Mode of a key folder :func:`write_identity` creates, and the ignore file it puts inside.
KEY_FOLDER_MODE: Final = 0o700
KEY_FOLDER_GITIGNORE: Final = ".gitignore"


def new_rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(common_name: str, org: str = "linkkit local test identity") -> x509.Name:
    return x509.Name(
        [x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    )


@dataclass(frozen=True, slots=True)
class CertificateAuthority:
    """A CA key and its self-signed certificate."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def make_ca(common_name: str, *, days: int = 3650, now: dt.datetime | None = None) -> CertificateAuthority:
    """A self-signed CA certificate (basicConstraints CA:TRUE, keyCertSign)."""
    key = new_rsa_key()
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(key, cert)


def issue_certificate(
    ca: CertificateAuthority,
    public_key: rsa.RSAPublicKey,
    common_name: str,
    *,
    server_hosts: Iterable[str] = (),
    client: bool = False,
    not_before: dt.datetime | None = None,
    days: int = 825,
) -> x509.Certificate:
    """A leaf certificate signed by ``ca``: a TLS server (``server_hosts`` become SANs), a TLS client,
    or a signing certificate when neither is asked for."""
    start = not_before or (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    hosts = list(server_hosts)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    usages = []
    if hosts:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
        sans: list[x509.GeneralName] = []
        for host in hosts:
            try:
                sans.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                sans.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if client:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    if usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    return builder.sign(ca.key, hashes.SHA256())


def make_csr(key: rsa.RSAPrivateKey, common_name: str) -> x509.CertificateSigningRequest:
    """A CSR, as a partner makes with openssl before uploading it to the Partner Portal."""
    return x509.CertificateSigningRequestBuilder().subject_name(_name(common_name)).sign(key, hashes.SHA256())


def sign_csr(
    ca: CertificateAuthority, csr: x509.CertificateSigningRequest, *, client: bool = False, days: int = 825
) -> x509.Certificate:
    """Sign a partner's CSR (what the Samsung CA does); refuses a CSR whose signature is wrong."""
    if not csr.is_signature_valid:
        raise KeyLoadError("the CSR's signature does not verify")
    key = csr.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyLoadError("the CSR's key must be RSA")
    cn = csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return issue_certificate(ca, key, str(cn[0].value) if cn else "partner", client=client, days=days)


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass(frozen=True, slots=True)
class IdentityIds:
    """The Partner Portal ids of a local identity."""

    partner_id: str
    certificate_id: str
    card_id: str
    #: Save to Pay's Partner-Id is a separate id of S2P's UUID type, not the Wallet partner code.
    s2p_partner_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    #: The certificateId of the Samsung certificate (the AUTH tokens the sandbox signs carry it).
    samsung_certificate_id: str = field(
        default_factory=lambda: "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(4))
    )

    def __post_init__(self) -> None:
        # The same rules as links, token headers and S2P headers, checked before anything is written.
        rules = {
            "partner_id": r"[A-Za-z0-9_-]{1,32}",
            "certificate_id": r"[A-Za-z0-9]{1,64}",
            "card_id": r"[A-Za-z0-9_-]{1,32}",
            "s2p_partner_id": r"[A-Za-z0-9-]{26,128}",
            "samsung_certificate_id": r"[A-Za-z0-9]{1,64}",
        }
        for name, pattern in rules.items():
            value = getattr(self, name)
            if not isinstance(value, str) or not re.fullmatch(pattern, value):
                raise ConfigError(f"{name}: must match {pattern} (got {value!r})")


def random_ids(*, s2p_partner_id: str | None = None) -> IdentityIds:
    """Ids shaped like the Partner Portal's: 19-digit partner and card ids, a 4-character certificate id.

    :param s2p_partner_id: the S2P Partner ID the S2P client certificates name (a random UUID if None).
    """
    digits = "123456789"
    return IdentityIds(
        partner_id="4" + "".join(secrets.choice(digits) for _ in range(18)),
        certificate_id="".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(4)),
        card_id="3" + "".join(secrets.choice(digits) for _ in range(18)),
        **({} if s2p_partner_id is None else {"s2p_partner_id": s2p_partner_id}),
    )


def _toml(ids: IdentityIds) -> bytes:
    return f"""# linkkit local identity: TEST KEYS ONLY, never use them in production.
# Paths are relative to this file. Every key can be overridden by a LINKKIT_* variable or a flag.
partner_id = {json.dumps(ids.partner_id)}
certificate_id = {json.dumps(ids.certificate_id)}
card_id = {json.dumps(ids.card_id)}
s2p_partner_id = {json.dumps(ids.s2p_partner_id)}
key = "partner.key"
partner_cert = "partner.crt"
samsung_cert = "samsung.crt"
samsung_certificate_id = {json.dumps(ids.samsung_certificate_id)}
samsung_key = "samsung.key"
samsung_ca_cert = "samsung-ca.crt"
partner_ca_cert = "partner-ca.crt"
""".encode()


#: RSA keys :func:`build_identity` generates (for progress reporting).
IDENTITY_KEY_COUNT: Final = 8


def build_identity(
    ids: IdentityIds | None = None, *, progress: Callable[[str], None] | None = None
) -> dict[str, bytes]:
    """Every file of a local identity set, in memory (name → PEM bytes).

    :param progress: called with a file stem after each of the 8 keys is made.
    """
    ids = ids or random_ids()
    report = progress or (lambda _name: None)
    samsung_ca = make_ca("linkkit sandbox Samsung CA")
    report("samsung-ca")
    partner_ca = make_ca("linkkit demo partner CA")
    report("partner-ca")
    files: dict[str, bytes] = {
        "samsung-ca.key": key_pem(samsung_ca.key),
        "samsung-ca.crt": cert_pem(samsung_ca.certificate),
        "partner-ca.key": key_pem(partner_ca.key),
        "partner-ca.crt": cert_pem(partner_ca.certificate),
    }

    def leaf(
        name: str,
        ca: CertificateAuthority,
        cn: str,
        *,
        hosts: Iterable[str] = (),
        client: bool = False,
        via_csr: bool = False,
    ) -> None:
        key = new_rsa_key()
        if via_csr:
            cert = sign_csr(ca, make_csr(key, cn), client=client)
        else:
            cert = issue_certificate(ca, key.public_key(), cn, server_hosts=hosts, client=client)
        files[f"{name}.key"], files[f"{name}.crt"] = key_pem(key), cert_pem(cert)
        report(name)

    leaf("samsung", samsung_ca, "wallet.samsung.sandbox")
    leaf("partner", samsung_ca, f"partner {ids.partner_id}", via_csr=True)
    leaf("s2p-server", samsung_ca, "s2p.sandbox", hosts=LOCAL_HOSTS)
    # Each S2P client certificate's commonName is the Partner ID it acts for (linkkit.s2p.peer): the
    # S2P API and the notification endpoint refuse a certificate of another partner.
    leaf("partner-client", samsung_ca, ids.s2p_partner_id, client=True, via_csr=True)
    leaf("partner-server", partner_ca, "partner.local", hosts=LOCAL_HOSTS)
    leaf("s2p-client", partner_ca, ids.s2p_partner_id, client=True)
    files["linkkit.toml"] = _toml(ids)
    return files


def write_identity(out_dir: str | os.PathLike[str], files: dict[str, bytes], *, force: bool = False) -> list[Path]:
    """Write ``files`` into ``out_dir`` all or nothing: refuses to overwrite unless ``force``.

    Each file goes to a temporary name first and is renamed into place; private keys are 0600 and
    the rest 0644, whatever the umask. A folder this call creates (or finds empty) is the key
    folder: it becomes 0700 and gets a ``.gitignore`` holding ``*``, as ``python -m venv`` does, so
    that neither git nor a build picks the private keys up. A folder that already holds other
    files belongs to someone else and keeps its mode.
    """
    out = Path(out_dir)
    fresh = not out.exists() or (out.is_dir() and not any(out.iterdir()))
    out.mkdir(mode=KEY_FOLDER_MODE, parents=True, exist_ok=True)
    existing = [name for name in files if (out / name).exists()]
    if existing and not force:
        raise ConfigError(f"{out}: would overwrite {', '.join(sorted(existing))} (use --force)")
    if fresh:
        # mkdir's mode is masked by the umask (0777 under umask 0): set it explicitly.
        os.chmod(out, KEY_FOLDER_MODE)
        files = {KEY_FOLDER_GITIGNORE: b"# Created by linkkit keys generate: private keys, never commit them\n*\n"} | {
            name: data for name, data in files.items() if name != KEY_FOLDER_GITIGNORE
        }
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp_name = tempfile.mkstemp(dir=out, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp_name, 0o600 if name.endswith(".key") else 0o644)
            staged.append((name, Path(tmp_name)))
    except BaseException:
        for _, staged_path in staged:
            staged_path.unlink(missing_ok=True)
        raise
    written = []
    for name, staged_path in staged:
        os.replace(staged_path, out / name)
        written.append(out / name)
    return written


def generate_identity(
    out_dir: str | os.PathLike[str], *, ids: IdentityIds | None = None, force: bool = False
) -> list[Path]:
    """Create and write a complete local identity set (see the module docstring)."""
    return write_identity(out_dir, build_identity(ids), force=force)
