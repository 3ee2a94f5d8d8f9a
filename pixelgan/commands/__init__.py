"""The `pixelgan` subcommands, a module per group: `train`, `reports` (evaluate, select,
figures), `render` (generate, pixelate, morph) and `serve`.

Each module's `add_parsers(commands)` declares its subcommands' flags and sets `run` to the
function that carries one out; `pixelgan.cli` assembles them. Flags shared by several
subcommands are declared once, in `pixelgan.commands.arguments`.
"""
