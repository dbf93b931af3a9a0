"""One text normaliser for everything people type or paste.

Cells pasted from macOS or some word processors arrive in decomposed Hangul
(NFD: "ᄒ" + "ᅡ" instead of "하"), full-width digits or odd spaces. Stored search
text, queries, milestone labels, eligibility and amounts all pass through here,
so the same words always compare equal.
"""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalise(text) -> str:
    """NFKC, with every run of white space (line breaks too) made one space."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


def compact(text) -> str:
    """The spacing-insensitive form search compares: "성과 공유회" == "성과공유회"."""
    return _SPACE.sub("", normalise(text)).lower()
