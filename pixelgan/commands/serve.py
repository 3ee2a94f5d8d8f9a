"""`pixelgan serve`: the HTTP service (`app.server`), with flags over its PIXELGAN_* settings;
`pixelgan models`: what a weights setting serves, as `GET /models` lists it.

pixelgan serve [--weights FILE_OR_FOLDER[,...]] [--host H] [--port P] [--workers N]
pixelgan models [--weights FILE_OR_FOLDER[,...]]
"""

from __future__ import annotations

import argparse
import json

from pixelgan.commands.arguments import add_weights, positive, weights_setting


def add_parsers(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the HTTP service")
    add_weights(serve)
    serve.add_argument("--host", default=None, help="address to bind (default 127.0.0.1 or $PIXELGAN_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000 or $PIXELGAN_PORT)")
    serve.add_argument("--workers", type=positive, default=None, help="worker processes (default 1)")
    serve.set_defaults(run=run_serve)

    models = commands.add_parser("models", help="list the models a weights setting serves, the default first")
    add_weights(models)
    models.set_defaults(run=run_models)


def run_serve(args: argparse.Namespace) -> int:
    from pixelgan.app.server import serve

    return serve(weights=args.weights, host=args.host, port=args.port, workers=args.workers)


def run_models(args: argparse.Namespace) -> int:
    """One JSON object a line: each model as `GET /models` describes it."""
    from pixelgan.model.catalog import describe_model
    from pixelgan.model.generator_file import load_generator_file
    from pixelgan.model.shipped import model_name, resolve_weights_list

    for path in resolve_weights_list(weights_setting(args)):
        print(json.dumps(describe_model(model_name(path), load_generator_file(path))))
    return 0
