"""The message backends (people/messaging.py) and production's refusal of the ones that reach
nobody (settings/checks.py, message_backends)."""

import io

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from kwamdee.people import messaging
from kwamdee.people.messaging import ChannelUnavailable, ConsoleBackend, channel_available, message_send
from kwamdee.settings.checks import message_backends
from tests.settings.test_production import _import_production


def test_email_goes_through_djangos_mail():
    message_send(channel="email", to="a@example.org", subject="รหัส", body="123456")
    assert mail.outbox[0].to == ["a@example.org"] and mail.outbox[0].body == "123456"


def test_the_console_backend_prints(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(ConsoleBackend, "stream", stream)
    message_send(channel="sms", to="0810000001", subject="รหัส", body="123456")
    assert "0810000001" in stream.getvalue() and "123456" in stream.getvalue()


def test_the_file_backend_writes_one_file_a_message(tmp_path):
    backends = {"sms": "kwamdee.people.messaging.FileBackend"}
    with override_settings(KWAMDEE_MESSAGE_BACKENDS=backends, KWAMDEE_MESSAGE_FILE_DIR=tmp_path / "m"):
        message_send(channel="sms", to="0810000001", subject="รหัส", body="123456")
    [written] = (tmp_path / "m").iterdir()
    assert "123456" in written.read_text()


def test_the_memory_backend_keeps_messages():
    with override_settings(KWAMDEE_MESSAGE_BACKENDS={"sms": "kwamdee.people.messaging.MemoryBackend"}):
        message_send(channel="sms", to="0810000001", subject="s", body="b")
    assert messaging.outbox[0].to == "0810000001"


@override_settings(KWAMDEE_MESSAGE_BACKENDS={"email": "kwamdee.people.messaging.EmailBackend"})
def test_a_channel_without_a_backend_is_unavailable_never_a_fake_success():
    assert channel_available("email") and not channel_available("sms")
    with pytest.raises(ChannelUnavailable):
        message_send(channel="sms", to="0810000001", subject="s", body="b")


def test_production_backends_email_only_unless_sms_is_named():
    assert message_backends({}) == {"email": "kwamdee.people.messaging.EmailBackend"}
    real = {"KWAMDEE_SMS_BACKEND": "thai_sms_gateway.Backend"}
    assert message_backends(real)["sms"] == "thai_sms_gateway.Backend"


@pytest.mark.parametrize("backend", ["ConsoleBackend", "FileBackend", "MemoryBackend"])
def test_production_refuses_a_backend_that_reaches_nobody(backend):
    env = {"KWAMDEE_SMS_BACKEND": f"kwamdee.people.messaging.{backend}"}
    with pytest.raises(ImproperlyConfigured, match="nobody"):
        message_backends(env)
    assert message_backends(env | {"KWAMDEE_ALLOW_DEVELOPMENT_MESSAGES": "1"})["sms"].endswith(backend)


def test_production_settings_refuse_to_start_with_a_console_sms_backend(tmp_path):
    refused = _import_production(tmp_path, KWAMDEE_SMS_BACKEND="kwamdee.people.messaging.ConsoleBackend")
    assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr
    assert _import_production(tmp_path).returncode == 0  # no SMS backend: SMS unavailable, not fake
