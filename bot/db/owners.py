"""Who holds a claim or a lease (a fan-out's run, an outbox entry): a name unique to one
caller in one process, readable in the database when someone asks who is sending."""

from __future__ import annotations

import os
import socket
import uuid


def new_owner() -> str:
    """Host, process and a random part, unique per caller."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
