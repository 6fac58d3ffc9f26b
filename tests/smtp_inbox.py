"""A real SMTP server for the tests that send e-mail: aiosmtpd on a free
port, keeping what it is sent (the ``smtp`` fixture of tests/conftest.py)."""

import email
import email.policy

from aiosmtpd.controller import Controller

from moderation.redis_server import free_port


class Inbox:
    """Keeps what it is sent; answers RCPT with ``refuse[address]`` if set."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def start() -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, inbox
