"""N `pixelgan serve` processes behind Debian's nginx on localhost, with the deployment's nginx config.

    with replica_set(3) as replicas:       # 3 services on free ports, nginx in front
        replicas.url                       # http://127.0.0.1:PORT, through nginx
        replicas.kill(0)                   # SIGKILL replica 0
        replicas.restart(0)                # start it again on its port, wait for /readyz
        replicas.upstream_log()            # (status, upstream addresses) for each request so far
    with replica_set(2, nginx_values={"PIXELGAN_CLIENT_RATE": "10", ...}) as replicas:

nginx runs `deploy/nginx/templates/default.conf.template`, the file the compose and
Kubernetes deployments use, rendered here with localhost values by `render_template`, the
same `${NAME}` substitution the nginx image's envsubst step makes. Here every client is
127.0.0.1, so the per-client limits are lifted (`NO_CLIENT_LIMITS`) unless `nginx_values`
sets them. Used by tests/test_deploy.py and benchmarks/scale.py.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers import free_port
from tests.servers import start_server, wait_ready

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx" / "templates" / "default.conf.template"
PLACEHOLDER = re.compile(r"\$\{(PIXELGAN_[A-Z_]+)\}")
# One request a line: status and $upstream_addr ("a, b" when nginx went on to a second replica).
LOG_FORMAT = "$status|$upstream_addr|$upstream_status|$upstream_cache_status|$body_bytes_sent|$request_uri|$msec"

# Load tests and benchmarks send everything from one address: let it through.
NO_CLIENT_LIMITS = {
    "PIXELGAN_CLIENT_RATE": "1000000",
    "PIXELGAN_CLIENT_BURST": "1000000",
    "PIXELGAN_CLIENT_CONNECTIONS": "65535",
}

MAIN_CONFIG = """\
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    log_format upstreams '{log_format}';
    access_log {run}/access.log upstreams;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/pixelgan.conf;
}}
"""


def render_template(text: str, values: dict[str, str]) -> str:
    """Fill `${PIXELGAN_...}` names from `values`; every name in the text must have a value."""
    missing = sorted({name for name in PLACEHOLDER.findall(text)} - values.keys())
    if missing:
        raise KeyError(f"no value for {', '.join(missing)} in {TEMPLATE.name}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def find_nginx() -> str | None:
    """The nginx binary: on PATH, or Debian's /usr/sbin/nginx (not on a normal user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


@dataclass
class ReplicaSet:
    url: str
    ports: list[int]
    run_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    nginx_values: dict[str, str] = field(default_factory=dict)

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports[index]}"

    def kill(self, index: int) -> None:
        """SIGKILL replica `index`: no shutdown, its open connections die with it."""
        self.processes[index].send_signal(signal.SIGKILL)
        self.processes[index].wait(timeout=10)

    def launch(self, index: int) -> None:
        """Start replica `index` on its port, without waiting (see `ready`)."""
        log = self.run_dir / f"replica-{index}.log"
        process = start_server(self.ports[index], environment=self.environment, log=log)
        if index < len(self.processes):
            self.processes[index] = process
        else:
            self.processes.append(process)

    def ready(self, index: int) -> bool:
        """Wait for replica `index`'s /readyz; False if it exited first."""
        return _ready_or_exited(self.replica_url(index), self.processes[index], timeout=120)

    def restart(self, index: int) -> None:
        """Start replica `index` again on its old port and wait until it is ready."""
        self.launch(index)
        if not self.ready(index):
            raise RuntimeError(f"replica {index} did not start again: {self.log_tail(index)}")

    def log_tail(self, index: int) -> str:
        return (self.run_dir / f"replica-{index}.log").read_text()[-1000:]

    def upstream_log(self) -> list[tuple[int, list[str]]]:
        """(status, replica addresses tried in order) for each request nginx has logged."""
        entries = []
        for line in (self.run_dir / "access.log").read_text().splitlines():
            status, addresses, *_ = line.split("|")
            entries.append((int(status), [] if addresses == "-" else addresses.split(", ")))
        return entries

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


@contextlib.contextmanager
def replica_set(
    count: int, *, environment: dict[str, str] | None = None, nginx_values: dict[str, str] | None = None
) -> Iterator[ReplicaSet]:
    """`count` service processes on free ports and nginx in front; everything is stopped on exit.

    `environment` goes to the services; `nginx_values` overrides the template's values here
    (the per-client limits, say)."""
    nginx = find_nginx()
    if nginx is None:
        raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx-light)")
    # Not pytest's tmp_path: when the master runs as root, nginx's workers run as `nobody`,
    # who must be able to reach this folder.
    run_dir = Path(tempfile.mkdtemp(prefix="pixelgan-nginx-"))
    run_dir.chmod(0o755)
    replicas = ReplicaSet(
        url=f"http://127.0.0.1:{free_port()}",
        ports=[free_port() for _ in range(count)],
        run_dir=run_dir,
        environment=environment or {},
        nginx_values=nginx_values or {},
    )
    nginx_process = None
    try:
        for index in range(count):
            replicas.launch(index)
        for index in range(count):
            _until_ready(replicas, index)
        _write_nginx_config(replicas)
        nginx_process = subprocess.Popen([nginx, "-c", str(run_dir / "nginx.conf")], stderr=subprocess.PIPE)
        if not _ready_or_exited(replicas.url, nginx_process, timeout=10):
            raise RuntimeError(f"nginx exited at start: {nginx_process.stderr.read().decode().strip()}")
        yield replicas
    finally:
        if nginx_process is not None:
            nginx_process.terminate()
            nginx_process.wait(timeout=10)
        replicas.stop()
        shutil.rmtree(run_dir, ignore_errors=True)


def _write_nginx_config(replicas: ReplicaSet) -> None:
    max_upload_bytes = replicas.environment.get("PIXELGAN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
    servers = [f"server 127.0.0.1:{port} max_fails=1 fail_timeout=2s;" for port in replicas.ports]
    site = render_template(
        TEMPLATE.read_text(),
        {
            "PIXELGAN_UPSTREAM_SERVERS": "\n    ".join(servers),
            "PIXELGAN_RESOLVER": "127.0.0.1",  # unused: the servers are addresses, not names
            "PIXELGAN_LISTEN": f"127.0.0.1:{replicas.url.rsplit(':', 1)[1]}",
            "PIXELGAN_CACHE_DIR": str(replicas.run_dir / "cache"),
            "PIXELGAN_MAX_UPLOAD_BYTES": max_upload_bytes,
            **NO_CLIENT_LIMITS,
            **replicas.nginx_values,
        },
    )
    (replicas.run_dir / "pixelgan.conf").write_text(site)
    (replicas.run_dir / "nginx.conf").write_text(MAIN_CONFIG.format(run=replicas.run_dir, log_format=LOG_FORMAT))


def _until_ready(replicas: ReplicaSet, index: int, attempts: int = 3) -> None:
    for _ in range(attempts):
        if replicas.ready(index):
            return
        # Exited before ready: most likely another program took the port since free_port().
        replicas.ports[index] = free_port()
        replicas.launch(index)
    raise RuntimeError(f"replica {index} did not start in {attempts} tries: {replicas.log_tail(index)}")


def _ready_or_exited(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Poll url's /readyz until 200 (True) or until `process` exits (False); TimeoutError after `timeout` s."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            return False
        try:
            wait_ready(url, timeout=0.5)
            return True
        except TimeoutError:
            continue
    raise TimeoutError(f"{url} was not ready after {timeout} s")
