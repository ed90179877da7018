"""Traditional Chinese notices are read through a simplified copy (OpenCC t2s), so one set
of patterns serves both; values are cut from the original text where offsets agree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Characters that exist only in traditional writing and are frequent in notices.
_TRADITIONAL = re.compile("[採購標機構單應額預項號編務華為騰訊雲貨幣萬億與對於關開發們這個來時國說會過還見點網體聯繫電話廠決價總資訊務處]")


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


@dataclass(frozen=True)
class NoticeText:
    original: str
    simplified: str  # the text the patterns read
    traditional: bool

    @classmethod
    def of(cls, text: str) -> NoticeText:
        if _TRADITIONAL.search(text) is None:
            return cls(text, text, False)
        return cls(text, str(_t2s().convert(text)), True)

    def cut(self, start: int, end: int) -> str:
        """The original text of a span found in the simplified copy."""
        if len(self.original) == len(self.simplified):
            return self.original[start:end]
        return self.simplified[start:end]

    def to_simplified(self, text: str) -> str:
        return str(_t2s().convert(text)) if self.traditional else text
