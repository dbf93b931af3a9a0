"""Health checks for the load balancer and the process manager.

The error pages need no views: Django's default handlers render
templates/400.html, 403.html, 404.html and 500.html (the last one with an empty
context, so it renders even when the database is down)."""

import logging
import threading

from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# A probe must answer before the load balancer gives up on it (commonly 2-5 s);
# libpq cannot time out a connection attempt in less than 2 s, so the query
# runs in a thread that /readyz stops waiting for.
READY_TIMEOUT_SECONDS = 1.5


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. Never touches the database, so a database
    outage does not make the process manager restart healthy workers."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """Readiness: one query against the database; 503 while it cannot answer."""
    outcome = {}
    probe = threading.Thread(target=_probe_database, args=(outcome,), daemon=True)
    probe.start()
    probe.join(READY_TIMEOUT_SECONDS)
    if outcome.get("ok"):
        return HttpResponse("ready\n", content_type="text/plain; charset=utf-8")
    logger.warning("readyz: database not ready: %s", outcome.get("error", "no answer in time"))
    return HttpResponse(
        "database unavailable\n", status=503, content_type="text/plain; charset=utf-8"
    )


def _probe_database(outcome: dict) -> None:
    # A thread has its own connection: close it, whatever happens, so probes
    # never pile up open connections.
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        outcome["ok"] = True
    except DatabaseError as exc:
        outcome["error"] = " ".join(str(exc).split())[:200] or type(exc).__name__
    finally:
        connection.close()
