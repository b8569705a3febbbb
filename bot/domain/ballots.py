"""Pulse ballots: the secret each pulse DM carries, the check that only the server could
have issued it to that member, the per-question response keys, and the seal that keeps
an answer unreadable in the ballot box until its round closes.

- A ballot is a fresh 256-bit secret (`new_ballot`). It travels only in the member's DM.
- The invite stores `ballot_check(server_key, ballot)`, a keyed one-way digest: with it the
  server recognises the ballot it issued to that member for that round (a made-up,
  altered, replayed or someone else's ballot does not match) without being able to
  recover the ballot, and so without being able to compute its response keys.
- `response_key(server_key, ballot, question)` keys the member's answer to one question in
  the ballot box, so a member can change it until the round closes. Keys differ per
  question, so two answers of one person cannot be tied together by their keys.
- `seal` encrypts what a ballot says (question, value, team, or a comment) with AES-GCM
  under a key derived from the server key. Until the round closes, the ballot box holds
  only sealed rows, so a copy of the database shows neither values nor comments, in
  whatever order the rows happen to lie. Every sealed row has the same length per size
  bucket, so lengths do not tell answers from comments.

Nothing here touches the database or Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

BALLOT_BYTES = 32
NONCE_BYTES = 12
# Sealed payloads are padded to a multiple of this many bytes (answers and short comments
# all take one bucket), so a sealed row's length says little about what it holds.
SEAL_BUCKET = 256
_CHECK_CONTEXT = b"motbot/pulse/ballot-check/v1\x00"
_SEAL_CONTEXT = b"motbot/pulse/ballot-seal/v1"


class BallotBoxSealed(Exception):
    """A sealed ballot could not be opened: MOTBOT_SECRET_KEY is not the key it was sealed
    with (or the row was tampered with)."""


@dataclass(frozen=True)
class SealedAnswer:
    question_id: int
    value: int
    team_id: int | None


@dataclass(frozen=True)
class SealedComment:
    text: str
    team_id: int | None


def new_ballot() -> str:
    """A fresh ballot for one member's pulse DM. Store only its `ballot_check`."""
    return secrets.token_urlsafe(BALLOT_BYTES)


def ballot_check(server_key: str, ballot: str) -> str:
    """The digest the invite keeps of the ballot it was sent (hex, 64 characters)."""
    return hmac.new(
        server_key.encode(), _CHECK_CONTEXT + ballot.encode(), hashlib.sha256
    ).hexdigest()


def ballot_matches(server_key: str, ballot: str, expected_check: str) -> bool:
    """Whether `ballot` is the one whose check is `expected_check` (in constant time)."""
    return hmac.compare_digest(ballot_check(server_key, ballot), expected_check)


def response_key(server_key: str, ballot: str, question_id: int | str) -> str:
    """HMAC-SHA256(server_key, "<ballot>:<question_id>") as hex (64 characters)."""
    message = f"{ballot}:{question_id}".encode()
    return hmac.new(server_key.encode(), message, hashlib.sha256).hexdigest()


def seal(server_key: str, round_id: int, key: str, content: SealedAnswer | SealedComment) -> bytes:
    """`content` encrypted for the ballot box row (round_id, key): nonce then ciphertext.
    The row's round and key are authenticated with it, so a sealed value moved to another
    row does not open."""
    if isinstance(content, SealedAnswer):
        data = {"q": content.question_id, "v": content.value, "t": content.team_id}
    else:
        data = {"c": content.text, "t": content.team_id}
    plain = _pad(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(server_key).encrypt(nonce, plain, _row_label(round_id, key))


def unseal(server_key: str, round_id: int, key: str, sealed: bytes) -> SealedAnswer | SealedComment:
    """What `seal` put in; BallotBoxSealed if this server key cannot open it."""
    nonce, ciphertext = bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:])
    try:
        plain = _cipher(server_key).decrypt(nonce, ciphertext, _row_label(round_id, key))
    except InvalidTag:
        raise BallotBoxSealed(
            f"a ballot of round {round_id} does not open with this MOTBOT_SECRET_KEY"
        ) from None
    data = json.loads(_unpad(plain))
    if "c" in data:
        return SealedComment(text=str(data["c"]), team_id=data["t"])
    return SealedAnswer(question_id=int(data["q"]), value=int(data["v"]), team_id=data["t"])


def _cipher(server_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_CONTEXT).derive(
        server_key.encode()
    )
    return AESGCM(key)


def _row_label(round_id: int, key: str) -> bytes:
    return f"{round_id}:{key}".encode()


def _pad(data: bytes) -> bytes:
    """ISO/IEC 7816-4 padding (0x80 then zeros) up to a whole number of buckets."""
    padded = data + b"\x80"
    return padded + b"\x00" * (-len(padded) % SEAL_BUCKET)


def _unpad(data: bytes) -> bytes:
    return data[: data.rindex(b"\x80")]
