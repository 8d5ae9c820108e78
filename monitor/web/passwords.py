"""Password hashing for curators' accounts: argon2id through argon2-cffi, with its defaults.

One module so the CLI (`clusterwatch user add`) and the login form hash and verify the same way.
`needs_rehash` lets the login upgrade old hashes when argon2-cffi's parameters change.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()

# Verified when a user name is unknown, so a wrong name costs as long as a wrong password
# and login timing does not reveal which names exist.
_DUMMY_HASH = _HASHER.hash("clusterwatch: not a real password")

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing hash still spends the time of one verification."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
