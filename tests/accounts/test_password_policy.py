"""The password policy a security review checks: argon2id parameters at or above OWASP's minimum, and every
password in the common-passwords list that ships with the app (zxcvbn's, 30,000 entries) refused at the shortest
length the setting allows."""

import re

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from crm.accounts import passwords, settings

# OWASP Password Storage Cheat Sheet, argon2id: any one of these (memory KiB, passes), parallelism 1 or more
OWASP_MINIMUM = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


def test_argon2id_parameters_meet_owasp_and_are_what_a_new_hash_records():
    stored = passwords.hash_password("copper kettle river 1984 dawn")
    found = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
    assert found, stored
    memory, passes, lanes = map(int, found.groups())
    assert (memory, passes, lanes) == (passwords.ARGON2_MEMORY_KIB, passwords.ARGON2_TIME_COST,
                                       passwords.ARGON2_PARALLELISM) == (65536, 3, 4)
    assert any(memory >= m and passes >= t for m, t in OWASP_MINIMUM) and lanes >= 1
    weaker = "$argon2id$v=19$m=19456,t=2,p=1$" + stored.rsplit("$", 2)[-2] + "$" + stored.rsplit("$", 1)[-1]
    assert passwords.needs_rehash(weaker) and not passwords.needs_rehash(stored)


def test_shipped_common_passwords_are_refused_at_the_default_and_the_shortest_allowed_length(sqlite_url, admin):
    common = FREQUENCY_LISTS["passwords"]
    assert len(common) == 30_000
    at_default = [p for p in common if len(p) >= passwords.DEFAULT_MIN_LENGTH]  # all of them (229)
    settings.save(admin, settings.PASSWORD_MIN_LENGTH, str(passwords.MIN_FLOOR))
    assert passwords.min_length() == passwords.MIN_FLOOR == 8
    at_floor = [p for p in common if len(p) >= passwords.MIN_FLOOR][::25]  # every 25th of the 11,611
    decorated = ["Password1234!", "iloveyou2024", "qwerty123456", "P@ssw0rd2026", "Sunshine2025"]
    tried = at_default + at_floor + [p.capitalize() for p in at_floor[::5]] + decorated
    accepted = [p for p in tried if passwords.problem(p, "clerk") is None]
    assert len(tried) > 700 and not accepted, accepted[:20]
