"""Language identification (py3langid) with a kana rule so kanji-heavy Japanese is not taken for Chinese, and a
letter rule for Cyrillic so short Russian and Ukrainian texts are told apart (and from Bulgarian, Belarusian…).

The supported languages are those with a data file (``lang/<code>.toml``). py3langid ranks all of its ~100
languages, so an unsupported language (Polish, Dutch, Portuguese…) is recognised as itself and refused, not
forced into the nearest supported one. On short texts (a headline and two sentences) the ranking between
close Cyrillic languages is the weak point: letters that only some of them use decide it — "ы"/"э"/"ъ" rule
out Ukrainian, "і"/"ї"/"є"/"ґ" rule out Russian, "ў" is Belarusian — and the probabilities are renormalised
over the languages the letters leave.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from extract import lang as langdata
from extract.errors import LanguageError

SUPPORTED = langdata.available()

MIN_LETTERS = 20  # fewer letters than this is not enough evidence to decide
MIN_LETTER_SHARE = 0.4  # share of letters among non-space characters
MIN_CONFIDENCE = 0.5  # normalised probability of the best language
JAPANESE_SCRIPT_SHARE = 0.2  # share of kana/kanji among non-space characters
MIN_KANA_SHARE = 0.05  # share of kana among kana/kanji: Chinese has none
SAMPLE_CHARS = 20_000  # classify at most this many characters
HAN_FAMILY = ("ja", "zh", "wuu", "yue")  # labels py3langid uses for Han-script text
# Regional languages and dialects py3langid knows that, in news, stand for the standard language: on a short
# Spanish text it may split the probability between "es", "ext" (Extremaduran) and "an" (Aragonese).
VARIETIES = {
    "es": ("ext", "an", "ast"),
    "it": ("vec", "lij", "lmo", "nap", "scn", "pms", "eml", "fur"),
    "fr": ("wa", "frp", "pcd"),
    "de": ("lb", "bar", "als", "nds", "pfl", "ksh", "gsw"),
}
CYRILLIC_SHARE = 0.5  # share of Cyrillic among letters for the letter rule
# Letters that exclude languages: a text with the letter is not in any of the listed languages.
EXCLUDED_BY_LETTER = {
    "ы": {"uk", "bg", "mk", "sr"},
    "э": {"uk", "bg", "mk", "sr"},
    "ё": {"uk", "bg", "mk", "sr"},
    "і": {"ru", "bg", "mk", "sr"},
    "ї": {"ru", "bg", "mk", "sr", "be"},
    "є": {"ru", "bg", "mk", "sr", "be"},
    "ґ": {"ru", "bg", "mk", "sr", "be"},
    "ў": {"ru", "uk", "bg", "mk", "sr"},
    "щ": {"be", "mk", "sr"},
    "ъ": {"uk", "be", "mk", "sr"},
    "ђ": {"ru", "uk", "bg", "be"},
    "ћ": {"ru", "uk", "bg", "be"},
    "љ": {"ru", "uk", "bg", "be"},
    "њ": {"ru", "uk", "bg", "be"},
    "ќ": {"ru", "uk", "bg", "be"},
    "ѓ": {"ru", "uk", "bg", "be"},
}


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9f"


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff" or ch == "\u3005"


def _looks_japanese(text: str) -> bool:
    """True when enough of the text is kana/kanji and some of it is kana."""
    nonspace = sum(not ch.isspace() for ch in text)
    kana = sum(_is_kana(ch) for ch in text)
    kanji = sum(_is_kanji(ch) for ch in text)
    if not nonspace or not kana + kanji:
        return False
    return (kana + kanji) / nonspace >= JAPANESE_SCRIPT_SHARE and kana / (kana + kanji) >= MIN_KANA_SHARE


def detect_language(text: str) -> tuple[str, float]:
    """Return ``(iso639-1 code, normalised probability)`` for ``text``.

    Text written largely in kana/kanji is Japanese; its score is then the probability mass py3langid gives
    to the Han-script languages (it sometimes prefers "zh" for kanji-heavy Japanese).
    """
    sample = text[:SAMPLE_CHARS]
    if _looks_japanese(sample):
        scores = dict(_identifier().rank(sample))
        return "ja", min(1.0, sum(scores.get(lang, 0.0) for lang in HAN_FAMILY))
    excluded = _excluded_by_letters(sample)
    ranked = [(lang, p) for lang, p in _identifier().rank(sample) if lang not in excluded]
    total = sum(p for _, p in ranked) or 1.0
    scores = dict(ranked)
    for lang, varieties in VARIETIES.items():
        if lang in SUPPORTED and lang in scores:
            scores[lang] += sum(scores.pop(v, 0.0) for v in varieties)
    lang = max(scores, key=scores.get)
    return lang, float(scores[lang] / total)


def _excluded_by_letters(text: str) -> set[str]:
    """Languages that the Cyrillic letters of a mostly Cyrillic text rule out (empty for other scripts)."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters)
    if not letters or cyrillic / len(letters) < CYRILLIC_SHARE:
        return set()
    present = set(letters)
    out: set[str] = set()
    for letter, langs in EXCLUDED_BY_LETTER.items():
        if letter in present:
            out |= langs
    return out


def require_supported(text: str, source: str) -> tuple[str, float]:
    """Detect the language of ``text`` and raise ``LanguageError`` unless it is reliably a supported one."""
    nonspace = sum(not ch.isspace() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS:
        raise LanguageError(source, f"too little text to detect the language ({letters} letters)")
    if letters / nonspace < MIN_LETTER_SHARE:
        raise LanguageError(
            source,
            f"cannot detect the language: mostly digits/punctuation ({letters / nonspace:.0%} letters)",
        )
    lang, score = detect_language(text)
    if score < MIN_CONFIDENCE:
        raise LanguageError(
            source, f"language could not be detected reliably (best guess {lang!r}, confidence {score:.2f})"
        )
    if lang not in SUPPORTED:
        raise LanguageError(
            source,
            f"unsupported language {lang!r} (confidence {score:.2f}); supported: {', '.join(SUPPORTED)}",
            reason="unsupported_language",
        )
    return lang, score
