"""Respondent ids from names and e-mail addresses: a keyed hash, with the key kept elsewhere.

A respondent id is HMAC-SHA256 of who the respondent is (their e-mail address, else
their name, compared ignoring case and spacing) under a secret key held by the council
outside the project (:attr:`evalkit.config.Settings.respondent_key`). The same person
gets the same id in every export and every round, so repeat rounds can be paired, while
nobody without the key can test a name against the ids. The name or address itself is
never written anywhere.

Changing (rotating) the key changes every id: imports made with the old key can no
longer be linked to new ones, so keep the key as long as rounds are compared, and back
it up with the council's other secrets.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from evalkit.config import PROJECT_ROOT
from evalkit.errors import EvalkitError
from evalkit.inputs.normalise import token

KEY_BYTES = 32
#: Hex characters of the hash kept in an id (64 bits: no clash in any real survey).
ID_HEX = 16
PREFIX = "r-"


@dataclass(frozen=True)
class RespondentKey:
    """The secret key, and whether it was created just now (the caller says so)."""

    secret: bytes
    path: Path
    created: bool = False


def load_key(path: Path, *, create: bool = True) -> RespondentKey:
    """Read the key, creating it (mode 0600, in a folder of mode 0700) on first use.

    Raises:
        EvalkitError: the key would sit inside the project folder (it would be
            committed or published with it), cannot be read, or is not a key.
    """
    path = path.expanduser()
    if path.absolute().is_relative_to(PROJECT_ROOT):
        raise EvalkitError(
            f"the respondent key {path} is inside the project folder; keep it outside "
            "(set EVALKIT_RESPONDENT_KEY to a file such as ~/.config/evalkit/respondent.key)"
        )
    if not path.exists():
        if not create:
            raise EvalkitError(f"no respondent key at {path}")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = secrets.token_hex(KEY_BYTES) + "\n"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(text)
        return RespondentKey(bytes.fromhex(text.strip()), path, created=True)
    try:
        text = path.read_text(encoding="ascii").strip()
        secret = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError):
        raise EvalkitError(
            f"the respondent key {path} cannot be read as a key (expected "
            f"{KEY_BYTES * 2} hexadecimal characters)"
        ) from None
    if len(secret) < 16:
        raise EvalkitError(f"the respondent key {path} is too short (at least 16 bytes)")
    return RespondentKey(secret, path)


#: What Microsoft Forms writes in the Email and Name columns of an anonymous form.
ANONYMOUS = frozenset({"anonymous"})


def identity(email: object = None, name: object = None) -> str | None:
    """Who a respondent is, as hashed: ``email:<address>``, else ``name:<name>``, else None.

    "anonymous" (an anonymous Microsoft Form) names nobody: such rows are told apart by
    the tool's response id instead.
    """
    address = token(email).replace(" ", "")
    if address and address not in ANONYMOUS:
        return f"email:{address}"
    person = token(name)
    return f"name:{person}" if person and person not in ANONYMOUS else None


def respondent_id(key: RespondentKey, who: str) -> str:
    """The pseudonymous respondent id for an identity (:func:`identity`)."""
    digest = hmac.new(key.secret, who.encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:ID_HEX]
