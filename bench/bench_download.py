"""Bench step 3e's downloader against curl on a 512 MiB loopback stream, in one run.

    python bench/bench_download.py [--mib 512] [--rounds 5] [--dir DIR]

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

    digest = hashlib.sha1(usedforsecurity=False)
    block = _block()
    for _ in range(args.mib):
        digest.update(block)
    sha1 = digest.hexdigest()

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve, args=(child, args.mib), daemon=True)
    server.start()
    port = parent.recv()
    url = f"http://127.0.0.1:{port}/bench/bank_clean.{sha1}.csv"
    base = args.dir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
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
        server.terminate()
        server.join()
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
