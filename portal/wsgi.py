import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Do once, in gunicorn's master (``preload_app``), the work every worker
    would otherwise repeat on its first request: gunicorn replaces a worker
    every ``max_requests``, and a cold worker serves its first hits slowly."""
    from django.urls import get_resolver

    from portal.caching import release

    get_resolver().check()  # imports every view
    release()  # hashes the templates, static files and code


_warm()
