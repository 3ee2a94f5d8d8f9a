"""The header every benchmark prints: machine, Python and library versions.

from benchmarks.machine import print_header, print_table
"""

from __future__ import annotations

import contextlib
import os
import platform
from importlib import metadata


def print_header(title: str) -> None:
    versions = []
    for package in ("numpy", "pillow", "fastapi", "uvicorn", "torch"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    print(f"# {title}")
    print(f"# {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"# {', '.join(versions)}")
    print()


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    """A Markdown table, so the README can quote it as printed."""
    cells = [[str(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    for index, row in enumerate(cells):
        print("| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    print()
