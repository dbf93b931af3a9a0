"""The confirmation link: signed, expiring, and bound to one pending row."""

import hashlib

from django.core import signing

SALT = "alerts.confirm"
MAX_AGE_DAYS = 3


class LinkError(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "bad signature")
        self.expired = expired


def _binding(subscription) -> str:
    # The row's own secret, so a link never confirms another row that reused the id.
    return hashlib.sha256(subscription.token.encode()).hexdigest()[:16]


def confirmation_token(subscription) -> str:
    return signing.dumps([subscription.pk, _binding(subscription)], salt=SALT, compress=False)


def read_confirmation_token(token: str) -> tuple[int, str]:
    """(row id, binding), or LinkError for a changed or expired link."""
    try:
        value = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except signing.BadSignature:
        raise LinkError(expired=False) from None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise LinkError(expired=False)
    return value[0], str(value[1])


def binds(subscription, binding: str) -> bool:
    return _binding(subscription) == binding
