"""A command that calls no AWS service starts no local SageMaker and imports neither moto
nor the SageMaker SDK: those cost seconds and a hundred megabytes each, for nothing.

One process runs every such command in turn (the property is the same for each) and
says, after each, which of the heavy packages it has imported and which threads are
left; the download is from a real HTTP server on loopback, as the tutorial's is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_COMMANDS = """
import hashlib, json, sys, threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from sagemaker_tutorial.cli import main

workdir, served = Path(sys.argv[1]), Path(sys.argv[2])
data = served / "data.csv"
sha1 = hashlib.sha1(data.read_bytes(), usedforsecurity=False).hexdigest()
(served / f"bank.{sha1}.csv").write_bytes(data.read_bytes())

class Quiet(SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(served), **kwargs)
    def log_message(self, *args):
        pass

http = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
threading.Thread(target=http.serve_forever, daemon=True).start()
url = f"http://127.0.0.1:{http.server_address[1]}/bank.{sha1}.csv"
ours = {threading.current_thread(), *threading.enumerate()}

def predictions():
    rows = (workdir / "test_data.csv").read_text().count("\\n") - 1
    (workdir / "predictions.csv").write_text("0.25\\n" * rows)

steps = [
    ("download --url", ["download", "--url", url, "--force"]),
    ("download --data-file", ["download", "--data-file", str(data), "--force"]),
    ("split", ["split"]),
    ("evaluate", None),
    ("permissions", ["permissions", "train"]),
]
for name, argv in steps:
    if argv is None:
        predictions()
        argv = ["evaluate"]
    code = main(["--backend", "mock", "--workdir", str(workdir), *argv])
    heavy = sorted(
        {m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("moto", "sagemaker")}
        # The package's leaf container_versions is the client's too; its server is not.
        | ({"local_server"} if "sagemaker_tutorial.local_server.server" in sys.modules else set())
    )
    left = sorted(t.name for t in threading.enumerate() if t not in ours)
    print("SEEN", json.dumps({"command": name, "code": code, "heavy": heavy, "threads": left}))
"""


def test_commands_that_call_no_aws_service_start_no_server_nor_import_moto_or_the_sdk(
    tmp_path: Path,
) -> None:
    from sagemaker_tutorial.data.synthetic import synthetic_csv

    served = tmp_path / "served"
    served.mkdir()
    (served / "data.csv").write_bytes(synthetic_csv())
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAGEMAKER_", "AWS_"))}
    done = subprocess.run(
        [sys.executable, "-c", _COMMANDS, str(workdir), str(served)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = [json.loads(line[5:]) for line in done.stdout.splitlines() if line.startswith("SEEN ")]
    assert [step["command"] for step in seen] == [
        "download --url",
        "download --data-file",
        "split",
        "evaluate",
        "permissions",
    ]
    for step in seen:
        assert (step["command"], step["code"], step["heavy"], step["threads"]) == (
            step["command"],
            0,
            [],
            [],
        )
