"""gunicorn settings for production: `make serve`, or
`DJANGO_DEBUG=false .venv/bin/gunicorn portal.wsgi` (this file is read by default).

Environment: GUNICORN_BIND (default 127.0.0.1:8000, behind the reverse proxy),
WEB_CONCURRENCY (worker count; default 2 × CPUs + 1). gunicorn itself parses
WEB_CONCURRENCY before it reads this file and stops on an empty value, so
`make serve` and tools.server pass on the count settled here.
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")


def worker_count() -> int:
    # Sync workers: the pages are short database reads and renders, and every
    # page works without keep-alive tricks. 2 × CPUs + 1 keeps the CPUs busy
    # while one worker waits on PostgreSQL. An empty WEB_CONCURRENCY (a bare
    # `WEB_CONCURRENCY=` line in an environment file) means that default too.
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    if not raw:
        return multiprocessing.cpu_count() * 2 + 1
    try:
        count = int(raw)
    except ValueError:
        count = 0
    if count < 1:
        # SystemExit, not an exception: gunicorn prints the message alone, no traceback.
        raise SystemExit(
            f"WEB_CONCURRENCY={raw!r}: expected a whole number of workers, 1 or more "
            "(leave it empty for 2 × CPUs + 1)"
        )
    return count


workers = worker_count()

# A request that takes 30 s is stuck; PostgreSQL's statement_timeout (20 s,
# DJANGO_STATEMENT_TIMEOUT_MS) ends a runaway query first, with a logged error.
timeout = 30
graceful_timeout = 30
keepalive = 5

# Recycle each worker after about twenty thousand requests, with jitter so they
# do not all restart at once: a slow leak can never grow without bound. Not
# sooner: a new worker starts with an empty page cache of its own, and at a
# busy hour's rate a thousand requests went by in seconds, each restart making
# the next visitors wait for renders.
max_requests = 20000
max_requests_jitter = 2000

# preload_app: yes. The application is imported once in the master and the
# workers fork from it, so they share its memory (copy-on-write), a broken
# release fails at start instead of in every worker, and recycled workers start
# in milliseconds. The price: a code change needs a restart, not `kill -HUP`.
# Django opens no database connection at import; pre_fork below makes sure.
preload_app = True

# The Django middleware already writes one line per request with the user; the
# access log adds the client address and the bytes sent. Both go to stdout.
accesslog = "-"
access_log_format = (
    'remote=%(h)s method=%(m)s path="%(U)s%(q)s" status=%(s)s bytes=%(B)s ms=%(M)s agent="%(a)s"'
)
errorlog = "-"
loglevel = "info"

# X-Forwarded-* headers are Django's business (SECURE_PROXY_SSL_HEADER, only
# with DJANGO_BEHIND_PROXY=true), so gunicorn must not act on them by itself.
forwarded_allow_ips = ""

# No runtime control socket: nothing here uses it, and several gunicorns on one
# host (a release beside the old one, the load test) would share its one path.
control_socket_disable = True

# Heartbeat files in memory, not on a disk that may stall under load (gunicorn
# creates and unlinks them itself, so a shared directory is safe).
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None


def when_ready(server):
    # Import the URLconf (every view and the libraries they use) once in the
    # master, so a freshly forked or recycled worker answers its first request
    # as fast as the rest instead of spending half a second importing.
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018


def pre_fork(server, worker):
    # A connection opened in the master would be shared by every worker.
    from django.db import connections

    connections.close_all()
