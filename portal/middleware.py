import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.utils.functional import empty

logger = logging.getLogger("portal.request")


class RequestLogMiddleware:
    """One line per request on stdout: method, path, status, milliseconds, user.

    The user is named only if something in the request already looked it up;
    resolving it here would cost a session and a user query on every public page
    and make /healthz touch the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "method=%s path=%s status=%d ms=%.1f user=%s",
            request.method,
            request.get_full_path(),
            response.status_code,
            elapsed_ms,
            _user_name(request),
        )
        return response


def _user_name(request) -> str:
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return user.get_username() or "-"


class ConsistentReadMiddleware:
    """Each public page reads the database in one snapshot.

    An import writes the whole plan in one transaction, but a page runs several
    queries (programs, then their milestones, contacts …), each of which would
    otherwise see the database as of its own moment: a page rendered while an
    import commits could show old programs with new milestones. Inside one
    snapshot it shows the plan before the import or after it, never a mix.

    Only GET and HEAD of public pages: the admin keeps Django's ordinary
    transactions, the health checks never touch the database here, and a
    request already inside a transaction (tests) is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.skipped = ("/" + settings.ADMIN_URL, "/healthz", "/readyz", settings.STATIC_URL)

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or request.path.startswith(self.skipped)
            or connection.in_atomic_block
        ):
            return self.get_response(request)
        with read_snapshot():
            return self.get_response(request)


@contextmanager
def read_snapshot():
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        # The settings make every SQLite transaction take the write lock at once
        # (IMMEDIATE), right for writers; a reader needs none: WAL gives it a
        # snapshot from its first read to its end while writers carry on.
        connection.ensure_connection()  # which reads transaction_mode from the settings
        mode = connection.transaction_mode
        connection.transaction_mode = "DEFERRED"
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = mode
