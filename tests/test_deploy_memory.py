"""Each replica's memory limit in deploy/ holds what the service may use at its worst.

    limit >= workers x (baseline + model + render slots x decode budget + bodies held x upload limit)

A replica over its limit is killed by the kernel with every request it holds, so the sum
of the service's own bounds must fit. Values come from the deploy file's environment, else
from the service's Settings defaults; a bound that is in neither fails the test, since an
unset bound is no bound. The two measured terms:

- baseline: 117.6 MB, one worker's RSS after warm-up and 1,000 mixed requests with the
  shipped model loaded (`python benchmarks/memory.py --requests 1000`), rounded up to 120 MiB;
- model: `MODEL_BYTES_PER_FILE_BYTE` times the bytes of every served generator file, for a
  service that loads them all: serving every shipped model took 35.0 MB more than the
  default alone for 13.0 MB more of files (`python benchmarks/models_memory.py`: the
  weights in the forwards' layout, 1.3x the files; the conv forwards' pass buffers are one
  area shared by all models, counted in the baseline).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pixelgan.app.settings import Settings

from tests.deploy_config import (
    compose,
    compose_default,
    container_env,
    docker_memory_bytes,
    k8s_object,
    kubernetes_memory_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
MIB = 2**20
BASELINE_BYTES = 120 * MIB
MODEL_BYTES_PER_FILE_BYTE = 3  # measured 2.7 (35.0 MB for 13.0 MB of files), rounded up
# The bounds the sum is made of, by their environment variable.
BOUNDS = (
    "PIXELGAN_WORKERS",
    "PIXELGAN_MAX_DECODE_BYTES",
    "PIXELGAN_RENDER_SLOTS",
    "PIXELGAN_MAX_BODIES",
    "PIXELGAN_MAX_UPLOAD_BYTES",
)


def model_bytes() -> int:
    return MODEL_BYTES_PER_FILE_BYTE * sum(
        path.stat().st_size for path in (ROOT / "weights").glob("*/generator.safetensors")
    )


def bound(environment: dict[str, str], name: str) -> int:
    """`name` as the deploy file sets it, else the service's default for it."""
    if name in environment:
        return int(compose_default(environment[name]))
    field = Settings.model_fields.get(name.removeprefix("PIXELGAN_").lower())
    if field is None or field.default is None:
        pytest.fail(f"{name} is neither set in the deploy file nor a setting with a default: the sum has no bound")
    return int(field.default)


def worst_case_bytes(environment: dict[str, str]) -> int:
    values = {name: bound(environment, name) for name in BOUNDS}
    per_worker = (
        BASELINE_BYTES
        + model_bytes()
        + values["PIXELGAN_RENDER_SLOTS"] * values["PIXELGAN_MAX_DECODE_BYTES"]
        + values["PIXELGAN_MAX_BODIES"] * values["PIXELGAN_MAX_UPLOAD_BYTES"]
    )
    return values["PIXELGAN_WORKERS"] * per_worker


def compose_replica() -> tuple[dict[str, str], int]:
    service = compose()["services"]["pixelgan"]
    environment = {name: str(value) for name, value in service["environment"].items()}
    return environment, docker_memory_bytes(service["deploy"]["resources"]["limits"]["memory"])


def k8s_replica() -> tuple[dict[str, str], int]:
    deployment = k8s_object("Deployment", "pixelgan")
    limits = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
    return container_env(deployment), kubernetes_memory_bytes(limits["memory"])


@pytest.mark.parametrize("replica", [compose_replica, k8s_replica], ids=["compose", "k8s"])
def test_replica_memory_limit_holds_the_worst_case(replica) -> None:
    environment, limit = replica()
    worst = worst_case_bytes(environment)
    assert worst <= limit, f"worst case {worst / MIB:.0f} MiB is over the limit of {limit / MIB:.0f} MiB"


def test_compose_and_k8s_set_the_same_bounds() -> None:
    (compose_environment, compose_limit), (k8s_environment, k8s_limit) = compose_replica(), k8s_replica()
    assert compose_limit == k8s_limit
    for name in BOUNDS:
        assert bound(compose_environment, name) == bound(k8s_environment, name), name


@pytest.mark.parametrize("replica", [compose_replica, k8s_replica], ids=["compose", "k8s"])
def test_every_variable_the_deploy_files_set_is_a_setting(replica) -> None:
    # A misspelt name is silently ignored by the service, and its bound with it.
    environment, _ = replica()
    fields = {f"PIXELGAN_{name.upper()}" for name in Settings.model_fields}
    assert {name for name in environment if name.startswith("PIXELGAN_")} <= fields
    assert set(BOUNDS) <= fields
