"""Email backends that misbehave on purpose, for the newsletter sending tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FlakyBackend(LocmemBackend):
    """Fails for chosen addresses: FAILURES maps an address to a list of errors to raise."""

    FAILURES: dict[str, list[Exception]] = {}
    CRASH_AFTER: int | None = None  # simulate a killed worker after this many messages
    DOWN = False
    sent = 0
    opened = 0

    def open(self):
        type(self).opened += 1
        if type(self).DOWN:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().open()

    def send_messages(self, messages):
        for message in messages:
            address = message.to[0]
            errors = type(self).FAILURES.get(address)
            if errors:
                error = errors.pop(0)
                raise error() if isinstance(error, type) else error
            if type(self).CRASH_AFTER is not None and type(self).sent >= type(self).CRASH_AFTER:
                raise KeyboardInterrupt("worker killed")
            super().send_messages([message])
            type(self).sent += 1
        return len(messages)

    @classmethod
    def reset(cls):
        cls.FAILURES = {}
        cls.CRASH_AFTER = None
        cls.DOWN = False
        cls.sent = 0
        cls.opened = 0


def refused(address, code=550, text=b"No such user"):
    return smtplib.SMTPRecipientsRefused({address: (code, text)})
