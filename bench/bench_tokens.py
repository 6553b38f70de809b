"""Card Data Token build rate and Data Fetch link rate (issue: linkkit core).

Run:  .venv/bin/python bench/bench_tokens.py   (or `make bench`)

(a) raw limit: RSA-2048 PKCS#1 v1.5 sign + RSA PKCS#1 v1.5 encrypt of a 16-byte key + AES-128-GCM
    over the same card JSON, with `cryptography` and nothing else (no JSON, no base64);
(b) jwcrypto: the straightforward two-layer build a user would otherwise write;
(c) linkkit: TokenSigner.card_data_token, the complete token.
Targets: (c) >= 0.85 x (a) and >= 1.5 x (b); Data Fetch links >= 200,000/s.
"""

from __future__ import annotations

import json
import os
import sys
import time

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from jwcrypto import jwe, jwk, jws

sys.path.insert(0, os.path.dirname(__file__))
from _harness import compare, pin_one_core, report

from linkkit.atw.links import fetch_link, new_ref_id
from linkkit.atw.tokens import TokenSigner, dumps_compact
from linkkit.identity import build_identity
from linkkit.keys import load_certificate, load_private_key, public_key_of

CARD = {
    "card": {
        "type": "ticket",
        "subType": "movies",
        "data": [
            {
                "refId": "ref-20261121-0001",
                "createdAt": 1795000000000,
                "updatedAt": 1795000000000,
                "language": "en",
                "attributes": {
                    "title": "Dune: Part Three",
                    "mainImg": "https://cdn.example.com/posters/dune3.png",
                    "logoImage": "https://cdn.example.com/logo.png",
                    "providerName": "Cinema Paradiso",
                    "startDate": 1795100000000,
                    "startDate.utcOffset": "UTC+09:00",
                    "seatNumber": "H12",
                    "entrance": "Gate 3",
                    "reservationNumber": "RSV-88231",
                    "barcode.value": "TKT-88231-H12",
                    "barcode.serialType": "QRCODE",
                    "barcode.ptFormat": "QRCODESERIAL",
                    "barcode.ptSubFormat": "QR_CODE",
                    "noticeDesc": "Please arrive 15 minutes before the show. Outside food is not allowed.",
                },
            }
        ],
    }
}


def main() -> int:
    where = pin_one_core()
    files = build_identity()
    partner_key = load_private_key(files["partner.key"])
    samsung_pub = public_key_of(load_certificate(files["samsung.crt"]))
    plaintext = dumps_compact(CARD)
    print(f"linkkit token benchmark: {len(plaintext)}-byte card JSON, RSA-2048, {where}")

    pkcs1 = padding.PKCS1v15()
    sha256 = hashes.SHA256()

    def raw() -> object:
        cek, iv = os.urandom(16), os.urandom(12)
        samsung_pub.encrypt(cek, pkcs1)
        ct = AESGCM(cek).encrypt(iv, plaintext, b"aad")
        return partner_key.sign(ct, pkcs1, sha256)

    enc_jwk = jwk.JWK.from_pem(files["samsung.crt"])
    sig_jwk = jwk.JWK.from_pem(files["partner.key"])
    text = plaintext.decode()

    def with_jwcrypto() -> object:
        inner = jwe.JWE(text, protected=json.dumps({"alg": "RSA1_5", "enc": "A128GCM"}), algs=["RSA1_5", "A128GCM"])
        inner.add_recipient(enc_jwk)
        outer = jws.JWS(inner.serialize(compact=True))
        header = {
            "alg": "RS256",
            "cty": "CARD",
            "ver": "3",
            "partnerId": "4030093436155138240",
            "certificateId": "YMtt",
            "utc": int(time.time() * 1000),
        }
        outer.add_signature(sig_jwk, alg="RS256", protected=json.dumps(header))
        return outer.serialize(compact=True)

    signer = TokenSigner(
        partner_id="4030093436155138240", certificate_id="YMtt", private_key=partner_key, samsung_public_key=samsung_pub
    )

    def with_linkkit() -> object:
        return signer.card_data_token(CARD)

    results = compare({"raw crypto limit": raw, "jwcrypto two-layer": with_jwcrypto, "linkkit": with_linkkit})
    ok = report(
        "Card Data Tokens",
        results,
        "tokens/s",
        [("linkkit", "raw crypto limit", 0.85), ("linkkit", "jwcrypto two-layer", 1.5)],
    )

    refs = [new_ref_id() for _ in range(1024)]
    counter = iter(range(10**12))

    def a_fetch_link() -> object:
        return fetch_link("YMtt", "3glji6d406000", refs[next(counter) & 1023])

    def f_string() -> object:
        return f"https://a.swallet.link/atw/v3/YMtt/3glji6d406000#Clip?pdata={refs[next(counter) & 1023]}"

    links = compare({"f-string (no validation)": f_string, "linkkit fetch_link": a_fetch_link}, seconds=0.3)
    ok &= report("Data Fetch links", links, "links/s", [])
    met = links["linkkit fetch_link"] >= 200_000
    print(f"  linkkit fetch_link >= 200,000/s: {'met' if met else 'NOT MET'}")
    print("all targets met" if ok and met else "some targets NOT met")
    return 0  # a benchmark reports figures; it never fails a build


if __name__ == "__main__":
    sys.exit(main())
