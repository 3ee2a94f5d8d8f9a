"""The deployment files agree with each other and with the service: compose, Kubernetes, nginx.

The Kubernetes manifests are validated against the API schemas that kubernetes-validate
ships (offline, strict: an unknown field fails). `docker compose up` needs a Docker engine,
which CI does not have, so the compose file is checked for structure here.
"""

from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from pixelgan.app.settings import Settings

from tests.replicas import PLACEHOLDER, TEMPLATE

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
K8S = DEPLOY / "k8s"
TEMPLATE_NAMES = set(PLACEHOLDER.findall(TEMPLATE.read_text()))
COMPOSE_DEFAULT = re.compile(r"^\$\{\w+:-(.+)\}$")  # "${NAME:-default}" -> default


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


def test_compose_runs_replicas_behind_nginx() -> None:
    services = compose()["services"]
    service, nginx = services["pixelgan"], services["nginx"]
    assert compose_default(service["deploy"]["replicas"]) == "3"
    assert "ports" not in service  # replicas are reached through nginx only
    assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).is_file()
    assert "/readyz" in " ".join(service["healthcheck"]["test"])
    assert nginx["depends_on"]["pixelgan"]["condition"] == "service_healthy"


def test_compose_nginx_gets_the_template_and_all_its_values() -> None:
    services = compose()["services"]
    nginx = services["nginx"]
    source, target, _ = nginx["volumes"][0].split(":")
    assert (DEPLOY / source / TEMPLATE.name).resolve() == TEMPLATE.resolve()
    assert target == "/etc/nginx/templates"
    environment = nginx["environment"]
    assert environment.keys() >= TEMPLATE_NAMES
    assert environment["PIXELGAN_RESOLVER"] == "127.0.0.11"  # Docker's DNS
    assert "pixelgan:8000 resolve" in environment["PIXELGAN_UPSTREAM_SERVERS"]
    # One upload limit for nginx and the service, by default the service's own.
    limit = compose_default(environment["PIXELGAN_MAX_UPLOAD_BYTES"])
    assert limit == compose_default(services["pixelgan"]["environment"]["PIXELGAN_MAX_UPLOAD_BYTES"])
    assert int(limit) == Settings.model_fields["max_upload_bytes"].default


@pytest.mark.parametrize("path", sorted(K8S.glob("*.yaml")), ids=lambda path: path.name)
def test_k8s_manifest_validates_against_the_api_schema(path: Path) -> None:
    if path.name == "kustomization.yaml":
        listed = set(yaml.safe_load(path.read_text())["resources"])
        assert listed == {other.name for other in K8S.glob("*.yaml")} - {path.name}
        return
    for document in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(document, kubernetes_validate.latest_version(), strict=True)


def test_k8s_service_deployment_is_probed_bounded_and_locked_down() -> None:
    pod = k8s_object("Deployment", "pixelgan")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["startupProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert {"cpu", "memory"} <= container["resources"]["requests"].keys()
    assert {"cpu", "memory"} <= container["resources"]["limits"].keys()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"
    assert k8s_object("Service", "pixelgan")["spec"]["clusterIP"] == "None"  # DNS lists the ready pods
    autoscaler = k8s_object("HorizontalPodAutoscaler", "pixelgan")["spec"]
    assert autoscaler["scaleTargetRef"]["name"] == "pixelgan"
    assert autoscaler["metrics"][0]["resource"]["name"] == "cpu"


def test_k8s_nginx_uses_the_same_template_and_limit() -> None:
    configmap = k8s_object("ConfigMap", "pixelgan-nginx")
    assert configmap["data"][TEMPLATE.name] == TEMPLATE.read_text()
    deployment = k8s_object("Deployment", "pixelgan-cache")
    environment = container_env(deployment)
    assert environment.keys() >= TEMPLATE_NAMES
    assert int(environment["PIXELGAN_MAX_UPLOAD_BYTES"]) == Settings.model_fields["max_upload_bytes"].default
    assert "pixelgan.$(POD_NAMESPACE).svc.cluster.local:8000 resolve" in environment["PIXELGAN_UPSTREAM_SERVERS"]
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["containers"][0]["securityContext"]["readOnlyRootFilesystem"] is True


def test_nginx_template_caches_only_seeded_faces() -> None:
    text = TEMPLATE.read_text()
    cached = re.search(r"location ~ \^/\(generate\|grid\|morph\)\$ \{(.*?)\n    \}", text, re.S).group(1)
    assert "proxy_cache_lock on;" in cached
    assert "proxy_no_cache $pixelgan_unseeded;" in cached
    assert "X-Cache-Status" in cached
    pixelate = re.search(r"location = /pixelate \{(.*?)\n    \}", text, re.S).group(1)
    assert "proxy_cache " not in pixelate
    assert "non_idempotent" in pixelate
    assert "client_max_body_size ${PIXELGAN_MAX_UPLOAD_BYTES};" in text
