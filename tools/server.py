"""The one way to run the production server on loopback: for the tests that need
real gunicorn workers, `make bench`, `make loadtest` and the PostgreSQL-restart drill.

`serve()` starts gunicorn exactly as production runs it (gunicorn.conf.py,
DJANGO_DEBUG=false, DJANGO_BEHIND_PROXY=true, collected static files) on
127.0.0.1 and a free port, waits until every worker is forked and /healthz
answers, and on the way out always stops it and every worker it forked. The
clients play the TLS-terminating proxy: `Server.get()` and `Server.proxy_headers`
send X-Forwarded-Proto: https and a host name the site answers to.
"""

from __future__ import annotations

import atexit
import functools
import http.client
import os
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
PYTHON = sys.executable
HOST = "127.0.0.1"
# gunicorn.conf.py gives a worker 30 s to finish its request after SIGTERM.
STOP_SECONDS = 35
PORT_ATTEMPTS = 3


class ServerError(RuntimeError):
    """gunicorn did not start, or a preparation step (collectstatic) failed."""


def free_port() -> int:
    """A loopback port nothing listens on right now. The kernel picks it, so
    several runs side by side on one machine do not reach for the same one."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def production_env(
    database_url: str | None = None,
    *,
    host_name: str = HOST,
    redis_url: str = "",
    static_root: Path | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment of a production process, as behind the TLS proxy.

    Nothing of the caller's DJANGO_* settings leaks in, and REDIS_URL is always
    set (empty: each process keeps its own page cache), so a shell that exports
    the real site's values cannot point a scratch run at them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=host_name,
        DJANGO_BEHIND_PROXY="true",
        REDIS_URL=redis_url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if static_root:
        env["DJANGO_STATIC_ROOT"] = str(static_root)
    env.update(extra)
    return env


def manage(*args: str, env: Mapping[str, str], timeout: float | None = None) -> str:
    """`manage.py ARGS` in a fresh interpreter; its stdout, or ServerError with its output."""
    completed = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise ServerError(
            f"manage.py {' '.join(args)} failed (exit {completed.returncode}):\n"
            f"{completed.stdout[-2000:]}{completed.stderr[-4000:]}"
        )
    return completed.stdout


def collectstatic(root: Path) -> Path:
    """The hashed, compressed static files production serves, collected into `root`."""
    manage("collectstatic", "--noinput", env=production_env(static_root=root), timeout=300)
    return root


@functools.cache
def collected_static() -> Path:
    """collectstatic once per process into a temporary directory, removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="portal-static-"))
    atexit.register(shutil.rmtree, root, True)
    return collectstatic(root)


def configured_workers(env: Mapping[str, str]) -> int:
    """How many workers gunicorn.conf.py asks for under `env` (WEB_CONCURRENCY or its default)."""
    # Only the variables the file reads: the rest of this process's environment stays as it is.
    read = {name: env.get(name, "") for name in ("WEB_CONCURRENCY", "GUNICORN_BIND")}
    with mock.patch.dict(os.environ, read):
        return runpy.run_path(str(CONFIG))["workers"]


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Server:
    """A running gunicorn: its master process, address, workers and log."""

    process: subprocess.Popen
    port: int
    host_name: str
    workers: int
    log_path: Path
    _log: IO = field(repr=False)

    @property
    def proxy_headers(self) -> dict[str, str]:
        """What the TLS-terminating proxy adds to every request it passes on."""
        return {"Host": self.host_name, "X-Forwarded-Proto": "https"}

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def get(self, path: str, headers: Mapping[str, str] | None = None, timeout=30) -> Response:
        """One GET as the proxy passes it on; redirects are not followed."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={**self.proxy_headers, **(headers or {})})
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:  # the master has exited
            return []

    def worker_rss_mb(self) -> dict[int, float]:
        sizes = {}
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue  # recycled between listing and reading
            kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            sizes[pid] = kb / 1024
        return sizes

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        return not _exited(self.process.pid)

    def stop(self) -> None:
        """SIGTERM (workers finish their request), then SIGKILL to whatever is
        left of the process group, so not even a crashed master's orphaned
        workers outlive the run."""
        if self._log.closed:
            return
        if self.running():
            self.process.terminate()
            deadline = time.monotonic() + STOP_SECONDS
            while self.running() and time.monotonic() < deadline:
                time.sleep(0.05)
        # The master is not reaped yet (at worst a zombie), so the group id is still ours.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _running_in_group(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)  # SIGKILL takes effect a moment after it is sent
        self.process.wait()
        self._log.close()

    def _healthy(self) -> bool:
        try:
            return self.get("/healthz", timeout=2).status == 200
        except (OSError, http.client.HTTPException):
            return False

    def wait_until_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not (len(self.worker_pids()) >= self.workers and self._healthy()):
            if not self.running() or self.port_was_taken():
                raise ServerError(f"gunicorn did not start; {self._log_tail()}")
            if time.monotonic() > deadline:
                raise ServerError(
                    f"gunicorn did not answer /healthz with {self.workers} workers "
                    f"within {seconds:.0f} s; {self._log_tail()}"
                )
            time.sleep(0.1)

    def port_was_taken(self) -> bool:
        return "Connection in use" in self.log_text()

    def _log_tail(self) -> str:
        return f"the end of its log ({self.log_path}):\n{self.log_text()[-3000:]}"


def _exited(pid: int) -> bool:
    """Has the process ended? Asked without reaping it, so its process group id
    cannot be handed to another process before the group is cleaned up."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:  # already reaped
        return True


def _running_in_group(group: int) -> bool:
    """Is any process of this process group still running (not a zombie)?"""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended while we looked
        state, group_id = fields[0], int(fields[2])
        if group_id == group and state not in {"Z", "X"}:
            return True
    return False


def _start(env: dict[str, str], log_path: Path, host_name: str, workers: int, port: int) -> Server:
    env["GUNICORN_BIND"] = f"{HOST}:{port}"
    log = log_path.open("w")
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--config", str(CONFIG)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stop() can end every worker
    )
    return Server(process, port, host_name, workers, log_path, log)


@contextmanager
def serve(
    database_url: str,
    *,
    log_path: Path,
    workers: int | None = None,
    redis_url: str = "",
    static_root: Path | None = None,
    host_name: str = HOST,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    boot_seconds: float = 60,
) -> Iterator[Server]:
    """Production gunicorn on 127.0.0.1 against `database_url`, up and answering
    on entry, stopped with all its workers on exit.

    workers: WEB_CONCURRENCY (default: gunicorn.conf.py's). static_root: an
    already collected STATIC_ROOT (default: collected once per process).
    host_name: the one host name the site answers to. port: default a free one.
    env: further variables, e.g. DJANGO_SETTINGS_MODULE. The log goes to log_path."""
    if workers is not None:
        env = {**(env or {}), "WEB_CONCURRENCY": str(workers)}
    environment = production_env(
        database_url, host_name=host_name, redis_url=redis_url, **(env or {})
    )
    count = configured_workers(environment)  # a bad WEB_CONCURRENCY stops here, before any work
    # gunicorn parses WEB_CONCURRENCY itself before it reads gunicorn.conf.py and
    # fails on an empty value: hand it the number the config file settled on.
    environment["WEB_CONCURRENCY"] = str(count)
    environment["DJANGO_STATIC_ROOT"] = str(static_root or collected_static())
    for attempt in range(1, PORT_ATTEMPTS + 1):
        server = _start(environment, log_path, host_name, count, port or free_port())
        try:
            server.wait_until_ready(boot_seconds)
            break
        except ServerError:
            server.stop()
            # Another program took the free port between the probe and gunicorn's bind.
            if port or attempt == PORT_ATTEMPTS or not server.port_was_taken():
                raise
        except BaseException:
            server.stop()
            raise
    try:
        yield server
    finally:
        server.stop()
