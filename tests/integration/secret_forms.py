# SPDX-License-Identifier: GPL-2.0-or-later
"""What the tests of SPEC 1.6 share: credential files, and the forms a
secret takes on the wire and in what a server repeats (base64 of Basic's
user:password, percent- and form-encoding)."""

import base64
import os
import urllib.parse


def write_file(directory, name, data, mode=0o600):
    """A file `name` in `directory` holding `data` (text or bytes), with `mode`; its path."""
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    os.chmod(path, mode)
    return path


def b64(text):
    return base64.b64encode(text.encode()).decode()


def forms(secret):
    """A secret as it may show: itself, percent-encoded, form-encoded."""
    return {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
