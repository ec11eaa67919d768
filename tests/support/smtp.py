"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and can be told to fail."""
import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    envelope_to: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    #: Replies to give instead of accepting, one per message, e.g. ["451 try later", "550 no such user"].
    scripted_replies: list[str] = field(default_factory=list)
    delay_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.delay_seconds:
            import asyncio

            await asyncio.sleep(self.delay_seconds)
        with self.lock:
            if self.scripted_replies:
                return self.scripted_replies.pop(0)
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = Handler()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.received)

    def take(self, to: str | None = None, subject_contains: str | None = None) -> Received:
        """Removes and returns the one message matching; fails if there is not exactly one."""
        matches = [m for m in self.received
                   if (to is None or to in m.envelope_to)
                   and (subject_contains is None or subject_contains in m.subject)]
        assert len(matches) == 1, f"expected one e-mail, got {[m.subject for m in self.received]}"
        self.received.remove(matches[0])
        return matches[0]
