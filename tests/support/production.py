"""Helpers for tests that need the production configuration, not the test one.

Two ways in:
- `production_values()` evaluates portal/settings.py under a production
  environment and returns its settings, so a test can apply the security ones to
  the running test process (same database, real values from settings.py).
- `run_python()` / `run_manage()` start a fresh interpreter with that environment,
  for what is decided at start-up: `check --deploy`, static file storage, the
  database connection.
"""

import json
import os
import runpy
import secrets
import socket
import subprocess
import sys
from contextlib import closing, contextmanager
from unittest import mock

from tests.support.paths import BASE_DIR

# One free-port picker and one collectstatic run for the tests and the tools that serve gunicorn.
from tools.server import collected_static, free_port

HOST = "portal.example.kr"

SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "AXES_", "IPWARE_")
SECURITY_NAMES = ("CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS", "ADMIN_2FA", "ALLOWED_HOSTS")


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


def production_values(**overrides: str) -> dict:
    """Every upper-case setting portal/settings.py computes in production."""
    env = production_env(**overrides)
    with mock.patch.dict(os.environ, env, clear=True):
        namespace = runpy.run_path(str(BASE_DIR / "portal" / "settings.py"))
    return {key: value for key, value in namespace.items() if key.isupper()}


def security_values(**overrides: str) -> dict:
    values = production_values(**overrides)
    return {
        key: value
        for key, value in values.items()
        if key.startswith(SECURITY_PREFIXES) or key in SECURITY_NAMES
    }


def use_production_security(settings, **overrides: str):
    """pytest-django's `settings` with the security values production computes."""
    for key, value in security_values(**overrides).items():
        setattr(settings, key, value)
    return settings


def fetch(client, path: str, **headers: str):
    """GET over HTTPS to the production host name, as the proxy passes it on."""
    return client.get(path, secure=True, headers={"host": HOST, **headers})


# The caller reads the exit code and output: a failing process is an answer, not an error.
CAPTURED = {"capture_output": True, "text": True, "check": False}


def run_manage(*args: str, env: dict[str, str], timeout: float = 60):
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=BASE_DIR, env=env, timeout=timeout, **CAPTURED)


def run_python(script: str, *, env: dict[str, str], timeout: float = 60) -> tuple[dict, str]:
    """Run `script` after django.setup(); it sets `result`, which comes back as
    a dict, with everything the process logged to stdout and stderr."""
    program = (
        "import json, django\n"
        "django.setup()\n"
        "result = {}\n"
        f"{script}\n"
        "print('\\nRESULT ' + json.dumps(result))\n"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    command = [sys.executable, "-c", program]
    completed = subprocess.run(command, cwd=BASE_DIR, env=env, timeout=timeout, **CAPTURED)
    log = completed.stdout + completed.stderr
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT ")), log
    raise AssertionError(f"the script failed (exit {completed.returncode}):\n{log}")


DOWN_SCRIPT = """
from time import perf_counter
from django.test import Client

client = Client(raise_request_exception=False)
for path in PATHS:
    started = perf_counter()
    response = client.get(path, secure=True, headers={"host": HOST})
    result[path] = {
        "status": response.status_code,
        "seconds": perf_counter() - started,
        "body": response.getvalue().decode(errors="replace"),
        "headers": dict(response.headers),
    }
"""


def get_with_database(database_url: str, *paths: str) -> tuple[dict, str]:
    """GET `paths` in a production process whose database is `database_url`;
    returns {path: {status, seconds, body, headers}} and what the process logged."""
    env = production_env(DATABASE_URL=database_url, DJANGO_STATIC_ROOT=str(collected_static()))
    script = f"PATHS = {list(paths)!r}\nHOST = {HOST!r}\n" + DOWN_SCRIPT
    return run_python(script, env=env)


@contextmanager
def silent_server():
    """A TCP port on loopback that accepts connections and never says a word:
    a database server that hangs."""
    port = free_port()
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen(16)
        yield port
