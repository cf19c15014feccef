"""Sending a short message (a one-time code) to a person, by e-mail or SMS, through a pluggable
backend per channel: `settings.KWAMDEE_MESSAGE_BACKENDS`, {channel: dotted path of a backend}.

- `EmailBackend`: Django's `send_mail`, so EMAIL_BACKEND decides (SMTP in production, the
  memory outbox in tests: `django.core.mail.outbox`).
- `ConsoleBackend` (development and tests' SMS), `FileBackend` (one file per message under
  KWAMDEE_MESSAGE_FILE_DIR) and `MemoryBackend` (`messaging.outbox`, for tests): they reach nobody,
  so production refuses them (settings/checks.py, `message_backends`).

A channel without a backend is unavailable: `channel_available` says so before a form promises
anything, and `message_send` raises `ChannelUnavailable`, never a fake success. A new channel
(LINE) is a class with `send(message)` and a line in the setting."""

import sys
import uuid
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Message:
    channel: str  # "email", "sms"
    to: str  # an e-mail address or a phone number
    subject: str
    body: str


class ChannelUnavailable(Exception):
    """No backend is set for the channel: nothing can be sent that way."""


class MessageBackend(Protocol):
    """What a channel's backend does: send one message, or raise."""

    def send(self, message: Message) -> None: ...


class EmailBackend(MessageBackend):
    def send(self, message: Message) -> None:
        send_mail(message.subject, message.body, None, [message.to])


class ConsoleBackend(MessageBackend):
    """Prints the message (development): the code shows in the terminal that runs the server."""

    stream: TextIO | None = None

    def send(self, message: Message) -> None:
        stream = self.stream or sys.stdout
        stream.write(f"[{message.channel} to {message.to}] {message.subject}\n{message.body}\n\n")
        stream.flush()


class FileBackend(MessageBackend):
    """Writes each message to its own file under KWAMDEE_MESSAGE_FILE_DIR (development)."""

    def send(self, message: Message) -> None:
        folder = settings.KWAMDEE_MESSAGE_FILE_DIR
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{message.channel}-{uuid.uuid4().hex[:8]}.txt"
        (folder / name).write_text(f"To: {message.to}\nSubject: {message.subject}\n\n{message.body}\n")


outbox: list[Message] = []


class MemoryBackend(MessageBackend):
    """Keeps each message in `outbox` (tests)."""

    def send(self, message: Message) -> None:
        outbox.append(message)


def _backends() -> dict[str, Any]:
    return dict(getattr(settings, "KWAMDEE_MESSAGE_BACKENDS", {}) or {})


def channel_available(channel: str) -> bool:
    return bool(_backends().get(channel))


def message_send(*, channel: str, to: str, subject: str, body: str) -> None:
    path = _backends().get(channel)
    if not path:
        raise ChannelUnavailable(channel)
    backend = import_string(path)()
    backend.send(Message(channel=channel, to=to, subject=subject, body=body))
