"""Normalising chip and vendor names for lookup ("H100 80GB SXM5" == "h100-80gb-sxm5")."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-_/.()（）]+")


def name_key(text: str) -> str:
    """Case-, width- and separator-insensitive key for a chip or vendor name."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())
