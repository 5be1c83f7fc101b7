"""Passwords: argon2 hashing with a process-wide cap on concurrent checks, and the rules a new password must meet.

Hashes are argon2id with parameters fixed here (not left to the library's defaults, which may change): 64 MiB, 3
passes, 4 lanes (RFC 9106's second recommended option), above OWASP's minimum (19 MiB with 2 passes, or 46 MiB with
1; Password Storage Cheat Sheet); a hash made with other parameters is re-made at the next sign-in (`needs_rehash`).
Each argon2 check takes 64 MiB and a core for a moment, so at most HASH_SLOTS run at once in a process; an attempt
that cannot get a slot within WAIT_SECONDS is refused with "busy, try again" (`Busy`) rather than queueing without
end. The rules (`problem`): at least `min_length()` characters (the Settings page, never below MIN_FLOOR, 12 by
default), not the user name or a password containing it, not a few characters repeated, and nothing the zxcvbn
estimator scores below MIN_SCORE (common passwords, words, keyboard patterns, sequences, dates); every refusal
names its reason in the user's language.
"""

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from crm.errors import LiaisonError, ValidationFailed

HASH_SLOTS = 4  # argon2 checks at once in this process (64 MiB each)
WAIT_SECONDS = 5.0  # how long an attempt waits for a slot before "busy"
DEFAULT_MIN_LENGTH = 12
MIN_FLOOR = 8  # the setting can never go below this
MAX_LENGTH = 1024
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable" (about 10^8 guesses and more)
MIN_DISTINCT = 5  # fewer different characters than this is "repeated characters"
_ZXCVBN_CHARS = 72  # zxcvbn's own limit (it slows down on longer input); the rest only adds strength

ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_TIME_COST = 3
ARGON2_PARALLELISM = 4
_hasher = PasswordHasher(time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM,
                         hash_len=32, salt_len=16, type=Type.ID)
_slots = threading.BoundedSemaphore(HASH_SLOTS)
_held = threading.local()


class Busy(LiaisonError):
    """Every hashing slot stayed taken for WAIT_SECONDS: try again in a moment."""


@contextmanager
def hashing_slot() -> Iterator[None]:
    """Hold one of the process's HASH_SLOTS (re-entrant within a thread); `Busy` when none frees up in time."""
    if getattr(_held, "depth", 0):
        _held.depth += 1
        try:
            yield
        finally:
            _held.depth -= 1
        return
    if not _slots.acquire(timeout=WAIT_SECONDS):
        raise Busy("auth.busy")
    _held.depth = 1
    try:
        yield
    finally:
        _held.depth = 0
        _slots.release()


def hash_password(password: str) -> str:
    with hashing_slot():
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    with hashing_slot():
        try:
            return bool(password_hash) and _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(password_hash: str) -> bool:
    """True when a stored hash was made with other argon2 parameters than today's (so checks cost alike)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return False


DUMMY_HASH = hash_password("not-a-real-password")  # checked for names without a usable password: the same work


def min_length() -> int:
    """The shortest password accepted now: the Settings page's value, else 12; never below 8."""
    from crm.accounts import settings

    text = settings.get(settings.PASSWORD_MIN_LENGTH)
    value = int(text) if text.isdigit() else DEFAULT_MIN_LENGTH
    return max(MIN_FLOOR, value)


# zxcvbn's patterns -> the reason shown (a catalog key in crm/locales/accounts.json)
_REASONS = {"repeat": "auth.pw_repeated", "sequence": "auth.pw_sequence", "spatial": "auth.pw_keyboard",
            "date": "auth.pw_dates", "regex": "auth.pw_dates"}


def problem(password: str, username: str = "", *, others: tuple[str, ...] = ()) -> tuple[str, dict] | None:
    """Why `password` may not be used by `username` (a catalog key and its parameters), or None when it may.
    `others`: more words about the person (display name) that the password should not be built on."""
    password = password or ""
    shortest = min_length()
    if len(password) < shortest:
        return "err.password_short", {"min": shortest}
    if len(password) > MAX_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in password):
        return "err.invalid", {"detail": "password"}
    name = (username or "").strip().casefold()
    folded = password.casefold()
    if name and (folded == name or (len(name) >= 3 and name in folded)):
        return "auth.pw_name", {}
    if len(set(password)) < MIN_DISTINCT:
        return "auth.pw_repeated", {}
    inputs = [w for w in (username, *others) if w and w.strip()]
    result = zxcvbn(password[:_ZXCVBN_CHARS], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    return _reason(result["sequence"]), {}


def _reason(matches: Sequence[Mapping[str, object]]) -> str:
    """The reason a weak password is weak: what covers most of it (the user's own name always first)."""
    if any(m.get("dictionary_name") == "user_inputs" for m in matches):
        return "auth.pw_name"
    found = [m for m in matches if m.get("pattern") != "bruteforce"]
    if not found:
        return "auth.pw_weak"
    longest = max(found, key=lambda m: len(str(m.get("token", ""))))
    pattern = str(longest.get("pattern", ""))
    if pattern == "dictionary":
        return "auth.pw_common" if longest.get("dictionary_name") == "passwords" else "auth.pw_words"
    return _REASONS.get(pattern, "auth.pw_weak")


def check(password: str, username: str = "", *, others: tuple[str, ...] = ()) -> None:
    """Refuse a password that breaks a rule (`ValidationFailed` on the field "password", with the reason)."""
    found = problem(password, username, others=others)
    if found is not None:
        raise ValidationFailed({"password": found})
