"""Alert tests send real mail over SMTP to an aiosmtpd server on loopback, so
what is checked is what a mail client would receive (headers, MIME parts)."""

import email
import email.policy
import logging
import re
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache

from tools.server import free_port


@dataclass
class Inbox:
    """Every message the SMTP server accepted, parsed as a mail client would."""

    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def take(self) -> list:
        with self.lock:
            taken, self.messages[:] = list(self.messages), []
        return taken


@pytest.fixture
def smtp(settings):
    # aiosmtpd narrates every SMTP command at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def fresh_limits():
    # Rate-limit counters live in the cache; each test starts with none spent.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def base_url(settings):
    settings.PORTAL_BASE_URL = "https://portal.example.kr"
    return settings.PORTAL_BASE_URL


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message, path_prefix: str) -> str:
    """The first link in the plain-text part whose path starts with path_prefix."""
    found = re.search(
        r"https?://[^\s/]+(" + re.escape(path_prefix) + r"[^\s]*)", text_part(message)
    )
    assert found, f"no {path_prefix} link in:\n{text_part(message)}"
    return found.group(1)


def unsubscribe_path(message) -> str:
    header = message["List-Unsubscribe"].strip()
    found = re.fullmatch(r"<https://[^/]+(/alerts/unsubscribe/[^>]+/)>", header)
    assert found, header
    return found.group(1)
