"""Test-only email backends."""

import time

from django.core.mail.backends.filebased import EmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SlowFileEmailBackend(EmailBackend):
    """The file backend, slowed down so a test can kill a worker mid-run."""

    def send_messages(self, email_messages):
        time.sleep(0.15)
        return super().send_messages(email_messages)


class FlakyBackend(LocmemBackend):
    """Fails the first send (as an SMTP outage would), then delivers like locmem."""

    failures_left = 1

    def send_messages(self, email_messages):
        if FlakyBackend.failures_left > 0:
            FlakyBackend.failures_left -= 1
            raise ConnectionError("mail server unavailable")
        return super().send_messages(email_messages)
