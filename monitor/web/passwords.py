"""Password hashing for curators' accounts: argon2id through argon2-cffi, with its defaults.

One module so the CLI (`clusterwatch user add`) and the login form hash and verify the same way.
`needs_rehash` lets the login upgrade old hashes when argon2-cffi's parameters change.

Each argon2 hash takes 64 MiB for a moment: 48 concurrent logins once took the server's memory up
by 0.9 GB. At most HASHING_SLOTS hashes run at once; a request that cannot get a slot within
HASHING_WAIT raises HashingBusy (the login answers 503) instead of queueing without bound.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()

# Verified when a user name is unknown, so a wrong name costs as long as a wrong password
# and login timing does not reveal which names exist.
_DUMMY_HASH = _HASHER.hash("clusterwatch: not a real password")

MIN_PASSWORD_LENGTH = 8
HASHING_SLOTS = 2  # the machine's cores; more parallel hashes only add memory
HASHING_WAIT = 10.0  # seconds a login may wait for a slot before it is told to retry

_SLOTS = threading.BoundedSemaphore(HASHING_SLOTS)


class HashingBusy(RuntimeError):
    """Every hashing slot stayed taken for HASHING_WAIT seconds: too many logins at once."""


@contextmanager
def _slot() -> Iterator[None]:
    if not _SLOTS.acquire(timeout=HASHING_WAIT):
        raise HashingBusy("too many logins at once; try again in a moment")
    try:
        yield
    finally:
        _SLOTS.release()


def hash_password(password: str) -> str:
    with _slot():
        return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing hash still spends the time of one verification."""
    with _slot():
        try:
            matches = _HASHER.verify(password_hash or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return False
    return matches and password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
