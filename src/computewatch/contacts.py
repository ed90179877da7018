"""One comparable form for each contact identity: phone numbers, e-mail addresses, e-mail and web domains.

Every module that compares contacts (the ownership graph's shared phones and domains, the account
linkage, the shipments' shared contacts) keys them here, so one number written two ways is one number
everywhere.

Phones go through Google's libphonenumber (`phonenumbers`): a number is read in the region of the record
it belongs to (its country), so '+65 6000 1111' on one record and '6000 1111' on a Singapore record are
both +6560001111 (E.164). A number that cannot be read as a possible number keeps its digits (7 or more),
so nothing is lost; such keys only meet the same digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
_NOT_DIGITS = re.compile(r"\D")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://")


@lru_cache(maxsize=200_000)
def phone_key(raw: str, country: str | None = None) -> str:
    """E.164 ('+6560001111') when the number can be read (in `country`'s numbering plan unless it starts
    with + or an international prefix); else its digits when there are at least 7; else ''."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return ""
    region = (country or "").strip().upper()
    for candidate in (text, "+" + text.lstrip()[2:]) if text.startswith("00") else (text,):  # 00: the common international prefix
        try:
            number = phonenumbers.parse(candidate, region if region in _REGIONS else None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = _NOT_DIGITS.sub("", text)
    return digits if len(digits) >= 7 else ""


def email_key(raw: str) -> str:
    """'  Ops@Example.COM ' -> 'ops@example.com'; '' unless it has one @ with text on both sides."""
    text = unicodedata.normalize("NFKC", raw or "").strip().strip("<>").casefold()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, at, domain = text.rpartition("@")
    domain = domain_key(domain)
    return f"{local}@{domain}" if at and local and domain else ""


def domain_key(raw: str) -> str:
    """The host of an e-mail address, a URL or a bare domain: '@Example.com.', 'ops@example.com',
    'https://www.example.com/about' -> 'example.com'."""
    text = unicodedata.normalize("NFKC", raw or "").strip().casefold()
    text = _SCHEME.sub("", text)
    text = text.rsplit("@", 1)[-1]
    host = re.split(r"[/?#:]", text, maxsplit=1)[0].strip(". ")
    return host.removeprefix("www.")
