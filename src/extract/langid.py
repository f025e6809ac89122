"""Language identification (py3langid) with a kana rule so kanji-heavy Japanese is not taken for Chinese."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from extract.errors import LanguageError

SUPPORTED = ("ja", "en")

MIN_LETTERS = 20  # fewer letters than this is not enough evidence to decide
MIN_LETTER_SHARE = 0.4  # share of letters among non-space characters
MIN_CONFIDENCE = 0.5  # normalised probability of the best language
JAPANESE_SCRIPT_SHARE = 0.2  # share of kana/kanji among non-space characters
MIN_KANA_SHARE = 0.05  # share of kana among kana/kanji: Chinese has none
SAMPLE_CHARS = 20_000  # classify at most this many characters
HAN_FAMILY = ("ja", "zh", "wuu", "yue")  # labels py3langid uses for Han-script text


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
    lang, score = _identifier().classify(sample)
    return lang, float(score)


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
        )
    return lang, score
