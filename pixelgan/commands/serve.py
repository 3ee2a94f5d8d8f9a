"""`pixelgan serve`: the HTTP service (`app.server`), with flags over its PIXELGAN_* settings.

pixelgan serve [--weights FILE] [--host H] [--port P] [--workers N]
"""

from __future__ import annotations

import argparse

from pixelgan.commands.arguments import add_weights, positive


def add_parsers(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the HTTP service")
    add_weights(serve)
    serve.add_argument("--host", default=None, help="address to bind (default 127.0.0.1 or $PIXELGAN_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000 or $PIXELGAN_PORT)")
    serve.add_argument("--workers", type=positive, default=None, help="worker processes (default 1)")
    serve.set_defaults(run=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from pixelgan.app.server import serve

    return serve(weights=args.weights, host=args.host, port=args.port, workers=args.workers)
