"""A public page as the page cache stores it: the body once in each encoding.

Pages are compressed when they are stored, once per page version, never per
request: br when the client accepts it, else gzip, else the plain body, with
`Vary: Accept-Encoding` and the length of what is sent. Each encoding has its
own ETag, so a cache in between never hands one encoding to a client that
asked for another.

Why this is safe against BREACH (a secret recovered from the compressed size
of pages that reflect attacker-chosen text next to it): only pages that are
the same for every visitor are stored, and so compressed — no session, no CSRF
token, no personal data (see `portal.caching._is_shareable`). Pages that carry
a secret (the admin, forms with a CSRF token) are never stored, never pass
through here, and leave uncompressed.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import brotli
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

# Small pages get brotli's best: a program's detail only gets under a quarter of
# its size at this level, in about 10 ms. Level 11 costs about 1.5 ms a KB, so a
# larger page gets level 9, within a tenth of that size at a tenth of the time
# or less (the 2019 calendar: 7.1 KB against 6.6 KB, 12 ms against 99 ms; a
# year of 440 programs as iCalendar, 1.1 MB: 45 ms against 1.6 s). Every page
# version pays it once, on its first request, and every filtered catalogue is
# a page of its own.
BROTLI_QUALITY = 11
BROTLI_LARGE_QUALITY = 9
BROTLI_LARGE_BYTES = 32 * 1024
GZIP_LEVEL = 9
# Below this, the headers cost more than compression saves.
MIN_COMPRESSED_BYTES = 200
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/atom+xml")
# Set per response from the stored parts, never copied from the first one.
_DERIVED_HEADERS = {"content-length", "content-encoding", "etag", "last-modified"}
PREFERENCE = ("br", "gzip")


@dataclass(frozen=True)
class StoredPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    bodies: dict[str, bytes]  # by content coding: "identity", and "br", "gzip" when worth it
    token: str  # the page version, the ETag's stem
    last_modified: int | None  # a timestamp, or None while the version is too fresh

    @classmethod
    def from_response(cls, response, version) -> StoredPage:
        body = response.content
        bodies = {"identity": body}
        content_type = response.get("Content-Type", "")
        if len(body) >= MIN_COMPRESSED_BYTES and content_type.startswith(COMPRESSIBLE_TYPES):
            quality = BROTLI_QUALITY if len(body) <= BROTLI_LARGE_BYTES else BROTLI_LARGE_QUALITY
            bodies["br"] = brotli.compress(body, quality=quality, mode=brotli.MODE_TEXT)
            bodies["gzip"] = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in _DERIVED_HEADERS
        )
        modified = int(version.last_modified.timestamp()) if version.last_modified else None
        return cls(response.status_code, headers, bodies, version.token, modified)

    @property
    def size(self) -> int:
        return sum(len(body) for body in self.bodies.values())

    def respond(self, request) -> HttpResponse:
        """The page in the encoding the request accepts, or 304 if the client
        already holds that version."""
        coding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""), self.bodies)
        body = self.bodies[coding]
        response = HttpResponse(body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        # Browsers and proxies may keep the page but must ask again each time;
        # the ETag makes that question cost a 304.
        patch_cache_control(response, no_cache=True)
        if len(self.bodies) > 1:
            patch_vary_headers(response, ("Accept-Encoding",))
        if coding != "identity":
            response["Content-Encoding"] = coding
        response["Content-Length"] = str(len(body))
        etag = quote_etag(self.token if coding == "identity" else f"{self.token}-{coding}")
        response["ETag"] = etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        return get_conditional_response(
            request, etag=etag, last_modified=self.last_modified, response=response
        )


def negotiate(accept_encoding: str, available) -> str:
    """The content coding to send: br, else gzip, else identity (RFC 9110 12.5.3;
    a coding with q=0 is refused, `*` stands for any coding not named)."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, parameters = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        key, _, value = parameters.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        weights[name] = weight
    for coding in PREFERENCE:
        if coding in available and weights.get(coding, weights.get("*", 0.0)) > 0:
            return coding
    return "identity"
