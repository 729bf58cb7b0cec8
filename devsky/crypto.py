"""Encryption of stored secrets (collector credentials, webhook signing secrets) with Fernet.

The key is ``DEVSKY_FIELD_ENCRYPTION_KEY`` (any string; hashed to a Fernet key) or, when that is
empty, derived from ``SECRET_KEY``, so rotating the secret key means re-entering stored secrets.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class DecryptionError(ValueError):
    """A stored secret cannot be read with the current key."""


def _fernet() -> Fernet:
    material = settings.DEVSKY_FIELD_ENCRYPTION_KEY or f"devsky-fields:{settings.SECRET_KEY}"
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest()))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode("ascii") if plain else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise DecryptionError("The stored secret cannot be decrypted with the current key; enter it again.") from None
