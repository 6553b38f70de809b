"""One partner server process for the reliability tests (and nothing else).

    python -m tests.reliability.partner_child IDENTITY_DIR STORE_URL [--fsize BYTES] [--no-file-override]

Serves the partner endpoints and click-time links on 127.0.0.1 and a free port with linkkit's own
server (:mod:`linkkit._serving`), prints ``ready <port>`` and runs until stdin closes (the test holds
the pipe, so the server also ends when the test process dies) or it is killed.

``--fsize`` caps the size of every file this process writes (``RLIMIT_FSIZE``) once the store is
open: the disk is "full" for it. ``--no-file-override`` drops the capabilities that let root write
a file whose mode says read-only, so that ``chmod 0444`` binds this process as it binds a service
account.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import resource
import sys
import threading
from pathlib import Path

from linkkit._serving import ServerLimits, make_server
from tests.partner.race_server import build  # the same partner server as the race tests

#: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER (linux/capability.h).
_FILE_OVERRIDES = (1, 2, 3)
_CAP_VERSION_3 = 0x20080522


def drop_file_overrides() -> None:
    """Root writes read-only files anyway (CAP_DAC_OVERRIDE): drop that from this process."""
    if os.geteuid() != 0:
        return

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(_CAP_VERSION_3, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = 0xFFFFFFFF
    for bit in _FILE_OVERRIDES:
        mask &= ~(1 << bit)
    data[0].effective &= mask
    data[0].permitted &= mask
    data[0].inheritable &= mask
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("identity", type=Path)
    parser.add_argument("store_url")
    parser.add_argument("--fsize", type=int)
    parser.add_argument("--no-file-override", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    if args.no_file_override:
        drop_file_overrides()
    partner = build(args.identity, args.store_url)
    if args.fsize:
        # Python ignores SIGXFSZ, so a write beyond the limit fails with EFBIG (SQLite: disk full).
        resource.setrlimit(resource.RLIMIT_FSIZE, (args.fsize, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    server = make_server("127.0.0.1", 0, partner.wsgi_app(), limits=ServerLimits(max_workers=8))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    print(f"ready {server.server_port}", flush=True)
    sys.stdin.read()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
