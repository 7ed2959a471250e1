"""``python -m sagemaker_tutorial.local_server [--port N]``: serve in the foreground.

Prints one line, ``export AWS_ENDPOINT_URL=http://127.0.0.1:<port>``, once the server
accepts requests (so ``eval "$(python -m ... &)"``-style scripts and tests can read
it), then serves until SIGINT or SIGTERM and exits 0.
"""

from __future__ import annotations

import argparse
import sys

from .server import serve_forever


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sagemaker_tutorial.local_server",
        description="A local SageMaker (moto plus real XGBoost training and serving).",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port on 127.0.0.1 (default 0: any free port)"
    )
    args = parser.parse_args(argv)

    def ready(endpoint_url: str) -> None:
        print(f"export AWS_ENDPOINT_URL={endpoint_url}", flush=True)

    serve_forever(args.port, ready)
    return 0


if __name__ == "__main__":
    sys.exit(main())
