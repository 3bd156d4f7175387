"""An e-mail backend that fails like an SMTP server that is down, then recovers.

Selected with EMAIL_BACKEND=overstone.tests.mail.FlakyEmailBackend (the real worker of
the tests uses it). While the file named by OVERSTONE_SMTP_FAILURES_FILE holds a number
above 0, each try raises SMTPServerDisconnected and counts it down; otherwise (no file,
or 0) messages are written as files, as Django's file backend does.
"""

import os
from pathlib import Path
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.filebased import EmailBackend


class FlakyEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        path = Path(os.environ["OVERSTONE_SMTP_FAILURES_FILE"])
        left = int(path.read_text() or 0) if path.exists() else 0
        if left > 0:
            path.write_text(str(left - 1))
            raise SMTPServerDisconnected("Connection unexpectedly closed (test server down)")
        return super().send_messages(email_messages)
