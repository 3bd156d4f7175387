"""An e-mail backend that fails like an SMTP server that is down, then recovers.

Selected with EMAIL_BACKEND=overstone.tests.mail.FlakyEmailBackend (the real worker
subprocess too). While the file named by OVERSTONE_SMTP_FAILURES_FILE holds a number
above 0, each try raises SMTPServerDisconnected and counts it down; then messages are
written as files, as the file backend does.
"""

import os
from pathlib import Path
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.filebased import EmailBackend


def smtp_failures_set(count: int) -> None:
    """The next ``count`` tries fail (a large number: down until set to 0)."""
    Path(os.environ["OVERSTONE_SMTP_FAILURES_FILE"]).write_text(str(count))


class FlakyEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        path = Path(os.environ["OVERSTONE_SMTP_FAILURES_FILE"])
        left = int(path.read_text() or 0) if path.exists() else 0
        if left > 0:
            path.write_text(str(left - 1))
            raise SMTPServerDisconnected("Connection unexpectedly closed (test server down)")
        return super().send_messages(email_messages)
