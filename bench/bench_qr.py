"""QR images per second: linkkit vs qrcode's straightforward make() + save(), on one core.

The same 100 distinct Data Fetch links go through every generator in one run (no caches: every
link is new to the encoder). Output images are comparable: 10 px per module, 4-module quiet
zone, level M. Run: ``.venv/bin/python bench/bench_qr.py`` (add ``--rounds 5`` for steadier
numbers). Target (issue 3): linkkit >= 5x qrcode for PNG and for SVG.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import time
from collections.abc import Callable

import qrcode
import qrcode.image.svg

from linkkit.assets.qr import make_qr


def data_fetch_links(n: int) -> list[str]:
    """Distinct Data Fetch links: ``/atw/v3/{certificateId}/{cardId}#Clip?pdata={refId}``."""
    return [
        f"https://a.swallet.link/atw/v3/{secrets.token_hex(2)}/{secrets.token_urlsafe(15)}"
        f"#Clip?pdata={secrets.token_urlsafe(24)}"
        for _ in range(n)
    ]


def qrcode_png(link: str) -> bytes:
    buf = io.BytesIO()
    qrcode.make(link).save(buf)
    return buf.getvalue()


def qrcode_svg(link: str) -> bytes:
    buf = io.BytesIO()
    qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage).save(buf)
    return buf.getvalue()


def linkkit_png(link: str) -> bytes:
    return make_qr(link).png(scale=10)


def linkkit_svg(link: str) -> bytes:
    return make_qr(link).svg().encode()


def rate(fn: Callable[[str], bytes], links: list[str], rounds: int) -> float:
    """Median images per second over ``rounds`` passes of all links."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for link in links:
            fn(link)
        results.append(len(links) / (time.perf_counter() - start))
    return statistics.median(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--links", type=int, default=100)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    links = data_fetch_links(args.links)
    print(f"{len(links)} Data Fetch links of {len(links[0])} characters, {args.rounds} rounds, one core")
    # warm up imports and per-version tables on a link that is not measured
    for fn in (qrcode_png, qrcode_svg, linkkit_png, linkkit_svg):
        fn(data_fetch_links(1)[0])
    failures = 0
    for kind, base, ours in (("PNG", qrcode_png, linkkit_png), ("SVG", qrcode_svg, linkkit_svg)):
        base_rate = rate(base, links, args.rounds)
        our_rate = rate(ours, links, args.rounds)
        ratio = our_rate / base_rate
        verdict = "ok" if ratio >= 5 else "BELOW TARGET"
        failures += ratio < 5
        print(f"{kind}: qrcode {base_rate:8.1f}/s   linkkit {our_rate:8.1f}/s   ratio {ratio:5.1f}x  ({verdict})")
    sizes = [len(fn(links[0])) for fn in (qrcode_png, linkkit_png, qrcode_svg, linkkit_svg)]
    print("bytes per image: PNG qrcode {} / linkkit {}; SVG qrcode {} / linkkit {}".format(*sizes))
    if failures:
        print("target of 5x not met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
