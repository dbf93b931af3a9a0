"""How often one place or one address may ask for a confirmation mail.

Counters live in Django's cache (shared by every worker when REDIS_URL is set;
per process otherwise, which still bounds each process). `add` then `incr` is
atomic on both backends, so two requests at once never both slip under a limit.
A window starts with the first request counted in it.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int
    message: str


PER_ADDRESS = Limit(
    "address",
    3,
    24 * 60 * 60,
    "이 주소로는 하루에 세 번까지 신청할 수 있습니다. 내일 다시 해 주세요.",
)
PER_CLIENT = Limit(
    "client", 5, 60 * 60, "이곳에서 신청이 너무 많았습니다. 한 시간 뒤에 다시 해 주세요."
)


def _key(limit: Limit, who: str) -> str:
    # Addresses are personal data: the cache holds a keyed hash, never the address.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{who}".encode()).hexdigest()[:32]
    return f"alerts:limit:{limit.name}:{digest}"


def spend(limit: Limit, who: str) -> bool:
    """Count one request for `who`; False when that goes over the limit."""
    key = _key(limit, who)
    cache.add(key, 0, timeout=limit.seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds)
        count = 1
    return count <= limit.count


def first_exceeded(client: str, address: str) -> Limit | None:
    """The limit this request goes over, if any. Each check counts the request."""
    for limit, who in ((PER_CLIENT, client), (PER_ADDRESS, address)):
        if not spend(limit, who):
            return limit
    return None
