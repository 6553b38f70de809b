"""``python -m demo_site`` (what ``make demo`` runs): start everything, print the URLs, stop on Ctrl-C.

::

    python -m demo_site                     # demo on http://127.0.0.1:5000, the rest on 5001-5004
    python -m demo_site --port 8000         # demo on 8000, the rest on 8001-8004
    python -m demo_site --port 0            # every server on a free port
    python -m demo_site --instance /tmp/nw  # keys, secrets and databases elsewhere
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from demo_site.logs import configure_logging
from demo_site.runner import DemoStack, StackUrls
from linkkit.errors import LinkKitError

DEFAULT_INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m demo_site",
        description=("Run the linkkit demo merchant site with the Samsung sandbox, all on 127.0.0.1."),
    )
    parser.add_argument(
        "--port",
        type=int,
        default=5000,
        help="the demo's port; the sandbox and S2P servers take the next four (0: free ports)",
    )
    parser.add_argument(
        "--instance",
        type=Path,
        default=DEFAULT_INSTANCE,
        help="folder for keys, secrets and databases (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser


def banner(urls: StackUrls, seconds: float) -> str:
    return "\n".join(
        [
            f"linkkit demo ready in {seconds:.1f} s. Open:",
            f"  Demo:              {urls.demo}/",
            f"  Operator console:  {urls.demo}/operator/",
            f"  Sandbox wallet:    {urls.sandbox_wallet}",
            f"  S2P wallet app:    {urls.s2p_welcome}/v1/wallet/... (the QR code of a welcome page opens it)",
            f"  S2P API (mTLS):    {urls.s2p_api}",
            f"  Notifications:     {urls.notifications}/notifications (mTLS)",
            "Press Ctrl-C to stop.",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.monotonic()
    if not args.quiet:
        configure_logging()
    try:
        if not (args.instance / "identity").exists():
            print(f"First start: making keys and certificates in {args.instance / 'identity'} ...", flush=True)
        stack = DemoStack(instance_path=args.instance, port=args.port)
    except SystemExit:
        # werkzeug's server prints why it could not bind ("Port 5000 is in use ...") and exits.
        print(
            f"error: port {args.port} or one of the next four is in use; try --port 8000 or --port 0", file=sys.stderr
        )
        return 1
    except LinkKitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    # Ctrl-C and SIGTERM end the loop below; leaving the with-block stops every server.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    with stack:
        print(banner(stack.urls, time.monotonic() - started), flush=True)
        while not stop.wait(0.5):
            pass
        print("\nStopping...", flush=True)
    print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
