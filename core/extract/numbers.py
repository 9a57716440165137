"""Figures written in digits or words, read as numbers.

`parse_number("more than one million")` is not this module's job: the words around a figure
(more than, about...) are the quantities module's. Here a figure's own words are read:
"one million" -> 1e6 exact, "dozens" -> 24 vague (the lower bound), "5 to 7" -> (5, 7).
The vague words and their values live in core/data/units.json ("vague").
"""
from __future__ import annotations

import functools
import json
import re

from core.data import data_path

UNITS_PATH = data_path("units.json")

ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
HUNDRED = {"hundred": 100}
SCALES = {
    "thousand": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
    "trillion": 1e12, "tn": 1e12,
}
DOZEN = {"dozen": 12}
# Words that stand for 1 before a scale word: "a million", "a dozen", "one hundred".
ARTICLES = {"a": 1, "an": 1}
NUMBER_WORDS = {**ONES, **TENS, **HUNDRED, **SCALES, **DOZEN}

DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
DIGITS_WITH_SCALE = re.compile(r"^(\d+(?:[.,]\d+)?)(k|m|mn|mln|bn|b|tn)$", re.I)
SUFFIX_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b|\band\b|\bor\b)\s*")


@functools.lru_cache(maxsize=1)
def vague_words() -> dict[str, tuple[float, float]]:
    """Vague word (lower case, may be several words) -> (lower-bound value, scale)."""
    data = json.loads(UNITS_PATH.read_text(encoding="utf-8"))
    return {k: (float(v[0]), float(v[1])) for k, v in data["vague"].items()}


def is_number_word(word: str) -> bool:
    """True when `word` (any case) is a number word: "two", "million", "dozen"."""
    return word.lower() in NUMBER_WORDS


def digits_value(token: str) -> float | None:
    """The value of a figure written in digits ("1,000", "2.5", "1.5bn"), else None."""
    t = token.strip()
    m = DIGITS.match(t)
    if m:
        return float(t.replace(",", ""))
    m = DIGITS_WITH_SCALE.match(t)
    if m:
        return float(m.group(1).replace(",", "")) * SUFFIX_SCALE[m.group(2).lower()]
    return None


def _words(text: str) -> list[str]:
    """The figure's words, lower case, hyphenated number words split ("twenty-five")."""
    text = text.lower().replace("\u2011", "-")
    out: list[str] = []
    for w in text.split():
        parts = w.split("-") if all(p in NUMBER_WORDS for p in w.split("-") if p) else [w]
        out.extend(p for p in parts if p)
    return out


def _exact_value(words: list[str]) -> float | None:
    """The value of a figure made only of digits and number words, else None.

    Assumes the usual English grammar of number words: "two hundred and fifty thousand",
    "2.5 million", "a dozen", "half a million".
    """
    total, current, seen = 0.0, 0.0, False
    half = False
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else None
        d = digits_value(w)
        if d is not None:
            current += d
        elif w in ONES or w in TENS:
            current += ONES.get(w, TENS.get(w, 0))
        elif w in ARTICLES and nxt is not None and (nxt in SCALES or nxt in HUNDRED or nxt in DOZEN):
            current += 1
            continue
        elif w == "half" and nxt in ARTICLES:
            half = True
            continue
        elif w == "and" and seen and nxt is not None and (nxt in ONES or nxt in TENS):
            continue
        elif w in HUNDRED:
            current = (current or 1) * 100
        elif w in DOZEN:
            current = (current or 1) * 12
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0.0
        else:
            return None
        seen = True
    if not seen:
        return None
    value = total + current
    return value / 2 if half else value


def _vague_value(words: list[str]) -> float | None:
    """The lower bound of a vague figure ("dozens", "tens of thousands", "several hundred")."""
    vague = vague_words()
    text = " ".join(words)
    if text in vague:
        return vague[text][0]
    # "tens of thousands", "hundreds of thousands": the first word's value times the second's scale
    m = re.match(r"^(.+?) of (\w+)$", text)
    if m and m.group(1) in vague and m.group(2) in vague:
        return vague[m.group(1)][0] * vague[m.group(2)][1]
    # "several hundred", "a few thousand": as vague as "hundreds", "thousands" (GOLD_SCHEMA's
    # lower bounds); "dozens of millions" -> vague word times a scale
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n])
        rest = [w for w in words[n:] if w != "of"]
        if head in vague and len(rest) == 1 and rest[0] + "s" in vague and vague[head][1] == 1:
            return vague[rest[0] + "s"][0]
        if head in vague and rest:
            scale = _exact_value(rest)
            if scale is None and len(rest) == 1 and rest[0] in vague:
                scale = vague[rest[0]][1]
            if scale is not None:
                return vague[head][0] * scale
    return None


def _single(words: list[str]) -> tuple[float, str] | None:
    """(value, "exact" | "vague") of a figure that is not a range."""
    value = _exact_value(words)
    if value is not None:
        return value, "exact"
    value = _vague_value(words)
    if value is not None:
        return value, "vague"
    return None


def parse_number(text: str) -> tuple[float, float | None, str] | None:
    """(value, value_max, qualifier) of a figure's own words, else None.

    value_max is set for ranges ("5-7", "5 to 7", "between 5 and 7", "two or three") and None
    otherwise; qualifier is "vague" for vague words (value is then their lower bound:
    dozens=24, hundreds=200, several=3) and "exact" otherwise. Words around the figure
    ("more than", "about") are not read here.
    """
    words = _words(text.strip())
    if words and words[0] == "between":
        words = words[1:]
    if not words:
        return None
    single = _single(words)
    if single is not None:
        return single[0], None, single[1]
    joined = " ".join(words)
    parts = [p for p in RANGE_SPLIT.split(joined) if p]
    if len(parts) == 2:
        low, high = _single(parts[0].split()), _single(parts[1].split())
        if low is not None and high is not None:
            low_value = low[0]
            # "10 to 12 million": the scale written once applies to both ends
            if low_value < high[0] and parts[1].split()[-1] in SCALES and parts[0].split()[-1] not in SCALES:
                low_value *= SCALES[parts[1].split()[-1]]
                if low_value > high[0]:
                    low_value = low[0]
            qualifier = "vague" if "vague" in (low[1], high[1]) else "exact"
            return low_value, high[0], qualifier
    return None
