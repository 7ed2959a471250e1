"""Bench step 3e's downloader against curl on loopback streams, in one run.

    python bench/bench_download.py [--mib 512] [--rounds 5] [--dir DIR]

Whole commands first, as a user runs them: `sagemaker-tutorial download --url` of a
1 MiB file (goals: under 0.5 s wall, under 80 MB peak RSS) and of the --mib file
against `curl -o` of the same file, each a whole process timed from its start (goal:
at most 1.5x curl's wall time). Then the downloader alone, in-process:

A server in its own process generates the stream on the fly (a 1 MiB block of
CSV-like bytes, repeated; nothing is stored) at a path carrying the stream's sha1,
so the project's download is verified as it would be for real. Each round
downloads it once with ``sagemaker_tutorial.data.download.download`` in a fresh child
process and once with ``curl -o`` into the same folder, each after an ``os.sync()``
so that neither pays for the other's dirty pages. Printed: the median and best
throughput of each, their ratios (goal: at least 0.8), and the child's peak RSS
(goal: under 64 MB), with its RSS before the download for comparison.

The folder is a tmpfs (/dev/shm) by default, which measures the two programs
rather than the disk; ``--dir`` picks another. The project's downloader also
hashes the data (sha1) and fsyncs the file before renaming it into place, which
curl does not: on a real disk the fsync is part of its time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CURL = "/usr/bin/curl"
MIB = 1 << 20


def _block() -> bytes:
    row = b"41187,56,1,999,0,1,0,0,0,0,1,0,0,0,0,0,0,0,0,0,1,0,0,1,0,0,0,0,0,0,0,1,0,0,1\n"
    return (row * (MIB // len(row) + 1))[:MIB]


def _serve(port_pipe: multiprocessing.connection.Connection, mib: int) -> None:
    block = _block()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(mib * MIB))
            self.end_headers()
            for _ in range(mib):
                self.wfile.write(block)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_pipe.send(server.server_address[1])
    server.serve_forever()


_CHILD = """
import json, resource, sys, time
from pathlib import Path
import tqdm, urllib3  # imported before the clock starts, as curl's start-up is not timed
from sagemaker_tutorial.data.download import download
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = download(sys.argv[1], Path(sys.argv[2]), force=True, progress=False)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "rss_before_kib": before, "rss_peak_kib": peak,
                  "verified": result.verified, "size": result.size}))
"""


def _command(argv: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} failed ({process.returncode}): {error.strip()}")
    return wall, usage.ru_maxrss * 1024 / 1e6


def _cli_download(url: str, workdir: Path) -> tuple[float, float]:
    """`sagemaker-tutorial download --url URL --force` in ``workdir``, mock backend."""
    cli = shutil.which("sagemaker-tutorial")
    program = [cli] if cli else [sys.executable, "-m", "sagemaker_tutorial.cli"]
    return _command([*program, "--workdir", str(workdir), "download", "--url", url, "--force"])


def _commands(mib: int, rounds: int, folder: Path) -> None:
    """The whole-command figures: 1 MiB by the CLI, and ``mib`` MiB by the CLI and curl."""
    small = _Stream(1)
    workdir = folder / "work"
    workdir.mkdir()
    walls, peaks = [], []
    for _ in range(rounds):
        wall, peak = _cli_download(small.url, workdir)
        walls.append(wall)
        peaks.append(peak)
    small.stop()
    wall, peak = statistics.median(walls), max(peaks)
    print(
        f"download --url, 1 MiB: wall median {wall:.2f} s (goal < 0.5 s: "
        f"{'met' if wall < 0.5 else 'NOT met'}), peak RSS {peak:.0f} MB (goal < 80 MB: "
        f"{'met' if peak < 80 else 'NOT met'})"
    )
    big = _Stream(mib)
    ours, theirs = [], []
    try:
        for _ in range(rounds):
            os.sync()
            ours.append(_cli_download(big.url, workdir)[0])
            (workdir / "bank_clean.csv").unlink()
            os.sync()
            curl = [CURL, "--silent", "--show-error", "--fail", "-o", str(folder / "c.csv")]
            theirs.append(_command([*curl, big.url])[0])
            (folder / "c.csv").unlink()
    finally:
        big.stop()
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(
        f"download --url, {mib} MiB: wall median {statistics.median(ours):.2f} s, "
        f"curl -o {statistics.median(theirs):.2f} s: ratio {ratio:.2f}x "
        f"(goal <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})"
    )


class _Stream:
    """A loopback server of a generated ``mib`` MiB stream, in its own process."""

    def __init__(self, mib: int) -> None:
        digest = hashlib.sha1(usedforsecurity=False)
        block = _block()
        for _ in range(mib):
            digest.update(block)
        parent, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=_serve, args=(child, mib), daemon=True)
        self.process.start()
        port = parent.recv()
        self.url = f"http://127.0.0.1:{port}/bench/bank_clean.{digest.hexdigest()}.csv"

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()


def _project(url: str, out: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, str(out)], capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def _curl(url: str, out: Path) -> float:
    done = subprocess.run(
        [CURL, "--silent", "--show-error", "--fail", "-o", str(out), "-w", "%{time_total}", url],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=512, help="stream size in MiB (default 512)")
    parser.add_argument("--rounds", type=int, default=5, help="downloads per tool (default 5)")
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: /dev/shm)")
    args = parser.parse_args()
    if not Path(CURL).exists():
        sys.exit(f"{CURL} not found: the baseline needs curl")

    base = args.dir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    folder = Path(tempfile.mkdtemp(prefix="bench-download-", dir=base))
    try:
        _commands(args.mib, args.rounds, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    stream = _Stream(args.mib)
    url = stream.url
    folder = Path(tempfile.mkdtemp(prefix="bench-download-", dir=base))
    size_mb = args.mib * MIB / 1e6
    try:
        ours: list[dict[str, float]] = []
        theirs: list[float] = []
        for _ in range(args.rounds):
            os.sync()
            ours.append(_project(url, folder / "ours.csv"))
            assert ours[-1]["verified"], "the project's download was not verified"
            os.unlink(folder / "ours.csv")
            os.sync()
            theirs.append(_curl(url, folder / "curl.csv"))
            os.unlink(folder / "curl.csv")
    finally:
        stream.stop()
        shutil.rmtree(folder, ignore_errors=True)

    ours_s = [r["seconds"] for r in ours]
    med_ours, med_curl = statistics.median(ours_s), statistics.median(theirs)
    best_ours, best_curl = min(ours_s), min(theirs)
    peak_mb = max(r["rss_peak_kib"] for r in ours) * 1024 / 1e6
    before_mb = max(r["rss_before_kib"] for r in ours) * 1024 / 1e6
    print(f"stream: {args.mib} MiB from 127.0.0.1 into {folder.parent}, {args.rounds} rounds each")
    print(f"{'':20s}{'median':>12s}{'best':>12s}")
    for name, median, best in (
        ("project (verified)", med_ours, best_ours),
        ("curl -o", med_curl, best_curl),
    ):
        print(f"{name:20s}{size_mb / median:>7.0f} MB/s{size_mb / best:>7.0f} MB/s")
    print(
        f"ratio project/curl: median {med_curl / med_ours:.2f}, best {best_curl / best_ours:.2f}"
        "  (goal >= 0.80)"
    )
    print(f"project peak RSS: {peak_mb:.1f} MB (before download: {before_mb:.1f} MB; goal < 64)")
    rounds = ", ".join(f"{size_mb / s:.0f}" for s in ours_s)
    curls = ", ".join(f"{size_mb / s:.0f}" for s in theirs)
    print(f"every round, MB/s: project [{rounds}]  curl [{curls}]")


if __name__ == "__main__":
    main()
