"""Small helpers the alert tests share."""

import datetime as dt
from unittest import mock
from urllib.parse import urlencode

from django.utils import timezone

SEOUL = dt.timezone(dt.timedelta(hours=9))
AREA = "민간판로 지원"


def alerts_url(**params) -> str:
    pairs = [
        (k, v)
        for k, values in params.items()
        for v in (values if isinstance(values, list) else [values])
    ]
    return "/alerts/?" + urlencode(pairs) if pairs else "/alerts/"


def at(day: str, hour: int = 10):
    """Pretend it is `day` (ISO) at `hour` o'clock in Seoul."""
    moment = dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SEOUL)
    return mock.patch.object(timezone, "now", return_value=moment.astimezone(dt.UTC))


def subscribe(client, address: str, *, consent: bool = True, ip: str = "203.0.113.7", **filters):
    data = {"email": address}
    if consent:
        data["consent"] = "yes"
    return client.post(alerts_url(**filters), data, REMOTE_ADDR=ip, secure=True)
