"""The deployment files as data: the compose file, the Kubernetes objects, their values.

    compose()["services"]["pixelgan"]             # deploy/compose.yaml, parsed
    compose_default("${PIXELGAN_REPLICAS:-3}")    # "3": the value when the variable is unset
    k8s_object("Deployment", "pixelgan")          # one object from deploy/k8s/*.yaml
    container_env(deployment)                     # {"PIXELGAN_WORKERS": "1", ...}
    kubernetes_memory_bytes("512Mi")              # 536870912
    docker_memory_bytes("512M")                   # 536870912 too: Docker's units are binary

Used by tests/test_deploy_files.py and tests/test_deploy.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
K8S = DEPLOY / "k8s"
COMPOSE_DEFAULT = re.compile(r"^\$\{\w+:-(.+)\}$")  # "${NAME:-default}" -> default
# Kubernetes: Ki/Mi/Gi binary, k/M/G decimal. Docker: b/k/m/g in either case, all binary (512M = 512 MiB).
KUBERNETES_UNITS = {"": 1, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 10**3, "M": 10**6, "G": 10**9}
DOCKER_UNITS = {"": 1, "b": 1, "k": 2**10, "m": 2**20, "g": 2**30}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def compose_default(value: object) -> str:
    match = COMPOSE_DEFAULT.match(str(value))
    return match.group(1) if match else str(value)


def k8s_documents() -> list[dict]:
    return [
        doc
        for path in sorted(K8S.glob("*.yaml"))
        if path.name != "kustomization.yaml"
        for doc in yaml.safe_load_all(path.read_text())
    ]


def k8s_object(kind: str, name: str) -> dict:
    return next(doc for doc in k8s_documents() if doc["kind"] == kind and doc["metadata"]["name"] == name)


def container_env(deployment: dict) -> dict[str, str]:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {item["name"]: item.get("value") for item in container.get("env", [])}


def kubernetes_memory_bytes(quantity: str) -> int:
    """'512Mi' -> 536870912; '500M' -> 500000000."""
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi|k|M|G)?", str(quantity))
    if match is None:
        raise ValueError(f"not a Kubernetes memory quantity this reads: {quantity!r}")
    return int(match.group(1)) * KUBERNETES_UNITS[match.group(2) or ""]


def docker_memory_bytes(quantity: str) -> int:
    """'512M' or '512m' -> 536870912 (compose's `memory:` limit)."""
    match = re.fullmatch(r"(\d+)([bkmgBKMG]?)", str(quantity))
    if match is None:
        raise ValueError(f"not a Docker memory quantity: {quantity!r}")
    return int(match.group(1)) * DOCKER_UNITS[match.group(2).lower()]
