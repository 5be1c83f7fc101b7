"""The signature of a backup, and files only their owner reads.

A backup holds password hashes and personal data, and restoring one replaces every account: so
`python -m crm backup FILE` writes FILE (and any directory it creates) readable by its owner only
(0600, 0700) and signs it: FILE.sig holds an HMAC-SHA256 of FILE's bytes, made with a key kept
outside the backup. `restore` refuses a file whose signature is missing or does not match (an
altered file, or one signed with another key) unless told `--unsigned`.

The key is `LIAISON_BACKUP_KEY` (at least 32 characters) or else the key file `backup.key` in the
data directory (`LIAISON_DATA_DIR`, default `data/`), made on the first backup: 32 random bytes
in hex, mode 0600. An office that restores on another machine copies the key with the backups'
procedure, never beside the backups.
"""

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crm import config

KEY_ENV = "LIAISON_BACKUP_KEY"
KEY_FILE = "backup.key"
SIG_FORMAT = "liaison-backup-signature"
_DOMAIN = b"liaison-backup-signature-v1\n"  # what is signed: this, then the file's bytes
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the administrator."""


@dataclass(frozen=True)
class Key:
    secret: bytes = b""
    source: str = ""  # LIAISON_BACKUP_KEY, or the key file's path
    created: bool = False  # made by this call (the first backup)

    @property
    def key_id(self) -> str:
        """A short public name of the key, to tell two keys apart in a message (not the key)."""
        return hmac.new(self.secret, b"liaison-backup-key-id", hashlib.sha256).hexdigest()[:16]


def key_path() -> Path:
    return Path(config.DATA_DIR) / KEY_FILE


def backup_key(*, create: bool) -> Key | None:
    """The backup key: `LIAISON_BACKUP_KEY`, else the key file (made 0600 when `create` and absent); None when
    there is none. `BackupError` when the one there cannot be used (too short, readable by others, damaged)."""
    given = os.environ.get(KEY_ENV, "")
    if given:
        if len(given) < 32:
            raise BackupError(f"{KEY_ENV} is too short: give at least 32 characters "
                            "(python -c 'import secrets; print(secrets.token_hex(32))')")
        return Key(given.encode("utf-8"), KEY_ENV)
    path = key_path()
    created = False
    if not path.exists():
        if not create:
            return None
        created = _make_key_file(path)
    mode = path.stat().st_mode
    if mode & 0o077:
        raise BackupError(f"{path}: the backup key can be read by other users (mode {mode & 0o777:o}); chmod 600 {path}")
    try:
        secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError):
        secret = b""
    if len(secret) < 32:
        raise BackupError(f"{path}: not a backup key (64 hexadecimal digits expected)")
    return Key(secret, str(path), created)


def _make_key_file(path: Path) -> bool:
    private_dirs(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made meanwhile by another backup: use that one
        return False
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    os.chmod(path, 0o600)
    return True


# ---------------------------------------------------------------- files only their owner reads

def private_dirs(directory: Path) -> None:
    """Create `directory` and its missing parents, each 0700 (an existing directory is left as it is)."""
    missing = []
    for folder in (directory, *directory.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)


def private_file(path: Path) -> None:
    """Create `path` empty and 0600 (replacing what is there), for a writer that opens it by name afterwards."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)


# ---------------------------------------------------------------- signatures

def signature_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def digests(path: Path, key: Key | None) -> tuple[str, str]:
    """(SHA-256, HMAC-SHA256 with `key`) of the file's bytes, read in chunks; the HMAC is "" without a key."""
    sha = hashlib.sha256()
    mac = hmac.new(key.secret, _DOMAIN, hashlib.sha256) if key else None
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            sha.update(chunk)
            if mac is not None:
                mac.update(chunk)
    return sha.hexdigest(), mac.hexdigest() if mac is not None else ""


def signature(path: Path, key: Key, name: str) -> bytes:
    """The content of the signature file of the backup at `path`, to be called `name`."""
    sha, mac = digests(path, key)
    return json.dumps({"format": SIG_FORMAT, "version": 1, "algorithm": "HMAC-SHA256", "file": name,
                       "sha256": sha, "hmac": mac, "key_id": key.key_id,
                       "signed_at": datetime.now(UTC).isoformat(timespec="seconds")}, indent=1).encode() + b"\n"


@dataclass(frozen=True)
class Verdict:
    sha256: str
    signed: bool  # a valid signature made with this machine's key
    problem: str = ""  # why not: one line


def verify(path: Path, sig: bytes | None, key: Key | None) -> Verdict:
    """Check the file at `path` (a private copy of the backup) against its signature file's content `sig`."""
    sha, mac = digests(path, key)
    if sig is None:
        return Verdict(sha, False, f"not signed (no {path.name}.sig beside it)")
    try:
        claimed = json.loads(sig.decode("utf-8"))
        if not isinstance(claimed, dict) or claimed.get("format") != SIG_FORMAT:
            raise ValueError("not a signature")
        their_mac, their_id = str(claimed["hmac"]), str(claimed.get("key_id", ""))
    except (ValueError, KeyError, UnicodeDecodeError):
        return Verdict(sha, False, f"{path.name}.sig is not a Liaison backup signature")
    if key is None:
        return Verdict(sha, False, f"no backup key on this machine to check its signature ({KEY_ENV} or {key_path()})")
    if hmac.compare_digest(mac, their_mac):
        return Verdict(sha, True)
    if their_id != key.key_id:
        return Verdict(sha, False, f"signed with another key (key {their_id[:16]}; this machine's is {key.key_id})")
    return Verdict(sha, False, "the signature does not match: the file was changed after it was signed")
