"""Test-only email backend: the file backend, slowed down so a test can kill a worker mid-run."""

import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        time.sleep(0.15)
        return super().send_messages(email_messages)
