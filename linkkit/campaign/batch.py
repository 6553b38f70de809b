"""Resumable, parallel batch work: a stream of items in, part files out, chunk by chunk.

Campaigns run on it; any bulk job that turns a long input into files can (a converter, an import).
What it offers:

* :func:`run_chunks` cuts the items into chunks of ``chunk_size`` in input order and calls
  ``process(context, index, items)`` for each, in this process or in ``workers`` processes, with at
  most ``2 × workers`` chunks in flight: memory does not grow with the input.
* ``process`` writes its chunk's files with :class:`ChunkParts` (each part atomic) and ends with
  :meth:`ChunkParts.done`: the done marker is written last, so a chunk is either done (and skipped
  on the next run) or redone whole. A resumed chunk's marker must hold as many items as the chunk.
* :func:`job_state` keeps a job's state file (a fingerprint of its inputs and options, and what the
  job needs to resume identically) and refuses a folder that holds another job;
  :func:`file_digest` fingerprints an input file.
* :func:`iter_part_lines` streams the parts of one kind in chunk order, for the final merge.
* :func:`sweep_temporaries` removes what an atomic write killed half way left behind;
  :func:`folder_lock` refuses a second run on the same folder while one is running.
* Workers stop when the parent dies, even by ``kill -9``: a watcher thread in each worker sees
  the parent gone, lets the current item finish, abandons the chunk (its atomic writes clean up)
  and exits. Ctrl-C is the parent's: workers ignore SIGINT, finish their chunk, and the run stops.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, Final, Generic, TextIO, TypeVar

from linkkit._atomic import atomic_write, atomic_writer
from linkkit._json import read_json
from linkkit.errors import ConfigError, JSONInputError, LinkKitError

PARTS_DIR: Final = ".parts"
LOCK_FILE: Final = ".lock"
#: How often a worker checks that its parent is still there, in seconds.
WATCH_INTERVAL: Final = 0.2
#: Exit status of a worker that stopped because its parent was gone.
EXIT_ORPHANED: Final = 3

T = TypeVar("T")
C = TypeVar("C")

# The names _atomic.atomic_writer gives its temporary files: ".NAME.XXXXXXXX.tmp".
_TEMPORARY: Final = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """What one chunk did: ``items`` = ``ok`` + ``failed``; ``warnings``: findings that failed nothing."""

    index: int
    items: int
    ok: int
    failed: int
    warnings: int = 0


@dataclass(frozen=True, slots=True)
class BatchTotals:
    items: int
    ok: int
    failed: int
    resumed_chunks: int
    warnings: int = 0


class ChunkParts:
    """The part files of chunk ``index`` in ``out_dir/.parts/``: ``NNNNNNN.KIND.jsonl`` and the done marker."""

    def __init__(self, out_dir: str | os.PathLike[str], index: int) -> None:
        self.folder = Path(out_dir) / PARTS_DIR
        self.index = index

    def path(self, kind: str) -> Path:
        return self.folder / f"{self.index:07d}.{kind}.jsonl"

    @property
    def marker(self) -> Path:
        return self.folder / f"{self.index:07d}.done.json"

    @contextlib.contextmanager
    def writer(self, kind: str, *, permissions: int = 0o644) -> Iterator[TextIO]:
        """A text stream for the ``kind`` part, replaced atomically when the block ends."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_writer(self.path(kind), permissions=permissions) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
            yield text
            text.flush()
            text.detach()

    def done(self, result: ChunkResult) -> ChunkResult:
        """Mark the chunk done (after every part of it is written)."""
        counts = {"items": result.items, "ok": result.ok, "failed": result.failed, "warnings": result.warnings}
        atomic_write(self.marker, json.dumps(counts).encode() + b"\n")
        return result

    def read_done(self) -> ChunkResult | None:
        """The marker's counts, or None when the chunk is not done."""
        try:
            raw = self.marker.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = read_json(raw, what=str(self.marker), max_bytes=4096)
            counts = (int(data["items"]), int(data["ok"]), int(data["failed"]), int(data.get("warnings", 0)))
            return ChunkResult(self.index, *counts)
        except (JSONInputError, KeyError, TypeError, ValueError) as exc:
            raise ConfigError(f"{self.marker}: unreadable ({exc}); use --restart") from exc


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, streamed (for a job's fingerprint)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return digest.hexdigest()


def job_state(
    path: str | os.PathLike[str],
    *,
    fingerprint: str,
    new: Callable[[], Mapping[str, Any]],
    restart: bool = False,
    what: str = "job",
) -> tuple[dict[str, Any], bool]:
    """The state saved in ``path`` (mode 0600) and True, or ``new()`` saved there and False.

    The state holds ``"fingerprint"``: a folder whose state has another fingerprint holds another
    job (its inputs or options changed) and is refused, unless ``restart``.

    :raises ConfigError: another job's folder, or a state file that is not readable.
    """
    target = Path(path)
    if target.exists() and not restart:
        try:
            state = read_json(target.read_bytes(), what=str(target), max_bytes=64 * 1024)
        except (OSError, JSONInputError) as exc:
            raise ConfigError(f"{target}: unreadable {what} state ({exc}); use --restart") from exc
        if not isinstance(state, dict):
            raise ConfigError(f"{target}: unreadable {what} state (not an object); use --restart")
        if state.get("fingerprint") != fingerprint:
            raise ConfigError(
                f"{target.parent}: holds another {what} (the inputs or options changed); "
                "use a new --out, or --restart to start over"
            )
        return state, True
    state = {**new(), "fingerprint": fingerprint}
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, json.dumps(state, indent=2).encode() + b"\n", permissions=0o600)
    return state, False


def iter_part_lines(out_dir: str | os.PathLike[str], kind: str) -> Iterator[str]:
    """Every line of every ``kind`` part, in chunk order, streamed."""
    for path in sorted((Path(out_dir) / PARTS_DIR).glob(f"*.{kind}.jsonl")):
        with open(path, encoding="utf-8", newline="\n") as fh:
            yield from fh


def clear_parts(out_dir: str | os.PathLike[str]) -> None:
    """Forget every chunk (``--restart``)."""
    for stale in (Path(out_dir) / PARTS_DIR).glob("*"):
        if stale.is_file():
            stale.unlink()


def sweep_temporaries(*folders: str | os.PathLike[str]) -> int:
    """Remove atomic-write temporaries left in ``folders`` by a run that was killed; returns how many."""
    removed = 0
    for folder in folders:
        for path in Path(folder).glob(".*.tmp"):
            if _TEMPORARY.fullmatch(path.name) and path.is_file():
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed += 1
    return removed


@contextlib.contextmanager
def folder_lock(folder: str | os.PathLike[str]) -> Iterator[None]:
    """Hold ``folder/.lock`` for the block; a second run on the same folder is refused meanwhile."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, as before
        yield
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    fd = os.open(Path(folder) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigError(f"{folder}: another run is writing this folder right now") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock; so does the death of the process


# Private control flow, outside the LinkKitError tree on purpose: a BaseException so that no `except
# Exception` in the chunk's processing can swallow it; the parent that could see it is already gone.
class _Abandoned(BaseException):
    """Raised in a worker between two items once its parent is gone: the chunk is dropped."""


_STOP = threading.Event()
_BUSY = threading.Lock()


def _watch(parent: int) -> None:
    while os.getppid() == parent and not _STOP.is_set():
        _STOP.wait(WATCH_INTERVAL)
    _STOP.set()
    with _BUSY:  # a chunk in progress stops at its next item and releases this
        os._exit(EXIT_ORPHANED)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _STOP.set()


def _start_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group: the parent decides, workers finish their chunk.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    threading.Thread(target=_watch, args=(parent,), name="linkkit-parent-watch", daemon=True).start()


class _Watched(Generic[T]):
    """The chunk's items; stops the iteration with :class:`_Abandoned` once the worker must stop."""

    def __init__(self, items: list[T]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        for item in self._items:
            if _STOP.is_set():
                raise _Abandoned
            yield item


def _in_worker(
    process: Callable[[C, int, Iterable[T]], ChunkResult], context: C, index: int, items: list[T]
) -> ChunkResult:
    with _BUSY:
        return process(context, index, _Watched(items))


def _chunks(items: Iterable[T], size: int) -> Iterator[tuple[int, list[T]]]:
    chunk: list[T] = []
    index = 0
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield index, chunk
            index, chunk = index + 1, []
    if chunk:
        yield index, chunk


def run_chunks(
    items: Iterable[T],
    process: Callable[[C, int, Iterable[T]], ChunkResult],
    context: C,
    *,
    out_dir: str | os.PathLike[str],
    chunk_size: int,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> BatchTotals:
    """Run ``process`` over every chunk of ``items`` that is not done yet; see the module docstring.

    :param process: a module-level function (workers receive it by pickling), called as
        ``process(context, index, chunk_items)``; it iterates ``chunk_items`` once, writes its
        parts with :class:`ChunkParts` and returns :meth:`ChunkParts.done`'s result.
    :param progress: called with the number of items done after each chunk.
    :raises ConfigError: a done chunk whose marker does not match this run's chunk.
    :raises LinkKitError: a worker process died (the chunks done so far are kept).
    """
    done_items = ok = failed = resumed = warnings = 0
    in_flight: dict[Future[ChunkResult], int] = {}

    def collect(result: ChunkResult) -> None:
        nonlocal done_items, ok, failed, warnings
        done_items += result.items
        ok += result.ok
        failed += result.failed
        warnings += result.warnings
        if progress:
            progress(done_items)

    # With workers, this process only reads and feeds them: a chunk written here would leave its
    # temporary files behind if this process were killed (-9), where a worker cleans up and exits.
    pool = (
        ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(),))
        if workers > 1
        else None
    )
    try:
        for index, chunk in _chunks(items, chunk_size):
            previous = ChunkParts(out_dir, index).read_done()
            if previous is not None:
                if previous.items != len(chunk) or previous.ok + previous.failed != previous.items:
                    raise ConfigError(
                        f"{ChunkParts(out_dir, index).marker}: does not match the input "
                        f"({previous.items} items recorded, {len(chunk)} now); use --restart"
                    )
                resumed += 1
                collect(previous)
                continue
            if pool is None:
                collect(process(context, index, chunk))
                continue
            in_flight[pool.submit(_in_worker, process, context, index, chunk)] = index
            while len(in_flight) >= 2 * workers:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    del in_flight[future]
                    collect(future.result())
        for future in list(in_flight):
            collect(future.result())
            del in_flight[future]
    except BrokenProcessPool as exc:
        raise LinkKitError(
            "a worker process stopped before its chunk was done (killed, or out of memory?); "
            "the chunks already done are kept: run again to resume"
        ) from exc
    finally:
        if pool is not None:
            # On an error or Ctrl-C: queued chunks are dropped, running ones finish (they are whole).
            pool.shutdown(wait=True, cancel_futures=True)
    return BatchTotals(done_items, ok, failed, resumed, warnings)
