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
from pixelgan.app.main import create_app
from pixelgan.app.settings import Settings

from tests.deploy_config import DEPLOY, K8S, compose, compose_default, container_env, k8s_object
from tests.replicas import PLACEHOLDER, TEMPLATE

TEMPLATE_NAMES = set(PLACEHOLDER.findall(TEMPLATE.read_text()))


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
    assert "proxy_no_cache $pixelgan_no_cache;" in cached
    assert "proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;" in cached
    assert "X-Cache-Status" in cached
    assert "location = /pixelate" not in text  # uploads go through `location /`, never cached
    assert "client_max_body_size ${PIXELGAN_MAX_UPLOAD_BYTES};" in text


def test_nginx_template_cache_key_holds_every_parameter_of_the_cached_routes() -> None:
    key = re.search(r'proxy_cache_key "(.*?)";', TEMPLATE.read_text()).group(1)
    read = set(re.findall(r"[?&](\w+)=", key))
    # /generate, /grid and /morph's query parameters, read from the service's own OpenAPI.
    schema = create_app(Settings()).openapi()["paths"]
    wanted = {
        parameter["name"]
        for path in ("/generate", "/grid", "/morph")
        for parameter in schema[path]["get"].get("parameters", [])
        if parameter["in"] == "query"
    }
    assert wanted <= read
    assert {"model", "palette"} <= read  # the model and palette choices, on every image route


def test_nginx_template_never_retries_a_request_a_replica_has_seen() -> None:
    text = TEMPLATE.read_text()
    # Without `non_idempotent`, a POST is tried on another replica only if none saw it.
    assert re.findall(r"^\s*proxy_next_upstream (.*);", text, re.M) == ["error timeout"]
    assert "proxy_next_upstream_tries 2;" in text


def test_nginx_template_bounds_clients_and_hides_its_version() -> None:
    text = TEMPLATE.read_text()
    for directive in ("client_header_timeout", "client_body_timeout", "send_timeout", "keepalive_timeout"):
        assert re.search(rf"^\s*{directive} \d+s;", text, re.M), directive
    for directive in ("proxy_connect_timeout", "proxy_send_timeout", "proxy_read_timeout"):
        assert re.search(rf"^\s*{directive} \d+s;", text, re.M), directive
    assert "limit_req zone=pixelgan_clients burst=${PIXELGAN_CLIENT_BURST} nodelay;" in text
    assert "limit_conn pixelgan_connections ${PIXELGAN_CLIENT_CONNECTIONS};" in text
    assert "server_tokens off;" in text
    # Every error status nginx makes itself has a JSON page.
    pages = set(re.findall(r"^\s*error_page (\d+) (?:=\d+ )?/", text, re.M))
    assert pages >= {"400", "408", "413", "414", "429", "494", "502", "503", "504"}


def test_client_limits_agree_between_compose_and_k8s() -> None:
    compose_nginx = compose()["services"]["nginx"]["environment"]
    k8s_nginx = container_env(k8s_object("Deployment", "pixelgan-cache"))
    for name in ("PIXELGAN_CLIENT_RATE", "PIXELGAN_CLIENT_BURST", "PIXELGAN_CLIENT_CONNECTIONS"):
        assert compose_default(compose_nginx[name]) == k8s_nginx[name], name
