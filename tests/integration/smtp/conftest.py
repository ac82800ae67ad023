"""Real SMTP servers on 127.0.0.1 for the email tests (aiosmtpd), and helpers to read what arrived."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from dataclasses import dataclass, field

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "ana@example.org"
PASSWORD = "s3cret-Pa55-w0rd-xyzzy"


class AnyPortController(Controller):
    """An aiosmtpd Controller on port 0: the system picks a free port when the server binds,
    and `port` is read back from the listening socket (no port is guessed and released)."""

    def __init__(self, handler, **kwargs):
        super().__init__(handler, hostname="127.0.0.1", port=0, **kwargs)

    def _trigger_server(self):
        # runs once the server is bound and before anything connects to it
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every accepted message and can refuse on demand."""

    messages: list[Received] = field(default_factory=list)
    refuse_rcpt: set[str] = field(default_factory=set)
    refuse_data: str | None = None
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_rcpt:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            self.logins.append(auth_data.login.decode())
            ok = auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)


@dataclass
class Server:
    host: str
    port: int
    handler: Recorder
    cafile: str | None = None
    user: str = USER
    password: str = PASSWORD

    @property
    def messages(self) -> list[Received]:
        return self.handler.messages


@pytest.fixture
def smtp_server():
    """A plain SMTP server (no TLS, no AUTH) that records what it accepts."""
    handler = Recorder()
    controller = AnyPortController(handler)
    controller.start()
    try:
        yield Server("127.0.0.1", controller.port, handler)
    finally:
        controller.stop()


@pytest.fixture
def auth_smtp_server(tmp_path):
    """An SMTP server that requires STARTTLS (self-signed CA made here) and AUTH as USER/PASSWORD."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    cafile = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    handler = Recorder()
    controller = AnyPortController(
        handler, tls_context=context, require_starttls=True,
        auth_required=True, auth_require_tls=True, authenticator=handler.authenticate,
    )
    controller.start()
    try:
        yield Server("127.0.0.1", controller.port, handler, cafile=str(cafile))
    finally:
        controller.stop()


@pytest.fixture
def down_port():
    """A port on 127.0.0.1 with nothing listening: a socket holds it bound (so no other
    process can take it meanwhile) without listening, so every connection is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
