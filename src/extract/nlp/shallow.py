"""The shallow NLP path: spaCy components for languages without a compatible trained pipeline.

``spacy.blank(code)`` gives the language's rule-based tokenizer (with its abbreviation exceptions: "Nr.",
"z.B.", "т.д.", "EE. UU."); on top of it:

- ``extract_sentences`` — a rule-based splitter: a sentence ends at ".", "!", "?", "…" (with any closing
  quotes or brackets after it) when the next word starts with a capital letter, a digit or an opening quote,
  and the full stop does not follow a single letter (initials and abbreviations split by the tokenizer:
  "т. н.", "В. Путин", "z. B.") or a common abbreviation ("Nr", "sig", "feb", "ca"). Ordinal dates ("am
  5. Februar") are one token for the German tokenizer, and a lower-case word after a full stop ("5 de feb.
  en Abu Dabi") never starts a sentence.
- ``extract_lemmatizer`` — lower-case lemmas: ``mode = "lookup"`` reads spaCy's ``lemma_lookup`` table of
  the language from ``spacy-lookups-data`` (German, Spanish, Italian), ``mode = "pymorphy3"`` the most
  probable parse of pymorphy3 with its installed dictionaries (Russian, Ukrainian; it also sets the coarse
  part of speech, and writes "ё" as "е" as the language files do). Both tables are installed packages:
  nothing downloads at run time.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

SHALLOW = "spacy.blank"
_ENDS = {".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "?.."}
_CLOSERS = set("\"'”“»’)]）」")
_OPENERS = set("\"'„“«‘(–—-")
# Abbreviations the blank tokenizers split off their full stop ("sig ." in Italian, "feb ." in Spanish).
_ABBREVIATIONS = {
    "nr", "ca", "bzw", "vgl", "ggf", "usw", "inkl", "sig", "dott", "prof", "dr", "sr", "sra", "srta", "st",
    "jan", "feb", "febr", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "ott", "nov", "dez",
    "dic", "déc", "janv", "févr", "avr", "juil", "ene", "abr", "ago", "gen", "mag", "giu", "lug", "set",
    "янв", "февр", "мар", "апр", "авг", "сент", "окт", "нояб", "дек", "лют", "бер", "квіт", "трав", "черв",
    "лип", "серп", "вер", "жовт", "лист", "груд", "г", "гг", "им", "ул", "млн", "млрд", "тыс", "тис", "пл",
    "см", "стр", "ст", "п", "ч", "мин", "гр",
}  # fmt: skip


def _is_end(text: str) -> bool:
    return text in _ENDS or (len(text) > 1 and all(ch in ".!?…" for ch in text))


@Language.component("extract_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Set sentence starts by the rules of the module docstring."""
    n = len(doc)
    starts = [False] * n
    if n:
        starts[0] = True
    for i, tok in enumerate(doc):
        if not _is_end(tok.text) or i == 0:
            continue
        j = i + 1
        while j < n and (doc[j].text in _CLOSERS or _is_end(doc[j].text)):
            j += 1
        if j >= n:
            continue
        nxt = doc[j].text
        first = nxt[0]
        if first.isalpha() and not first.isupper():
            continue  # "5 de feb. en Abu Dabi"
        if not (first.isalpha() or first.isdigit() or first in _OPENERS):
            continue  # ", ;" after an abbreviation
        prev = doc[i - 1].text
        if tok.text == "." and not doc[i - 1].whitespace_:
            if len(prev) == 1 and prev.isalpha():
                continue  # initials and split abbreviations: "т. н.", "z. B."
            if prev.lower() in _ABBREVIATIONS and first not in _OPENERS:
                continue
        starts[j] = True
    for i, tok in enumerate(doc):
        tok.is_sent_start = starts[i]
    return doc


_POS = {
    "NOUN": "NOUN", "ADJF": "ADJ", "ADJS": "ADJ", "COMP": "ADJ", "VERB": "VERB", "INFN": "VERB",
    "PRTF": "ADJ", "PRTS": "VERB", "GRND": "VERB", "NUMR": "NUM", "ADVB": "ADV", "NPRO": "PRON",
    "PRED": "ADV", "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART", "INTJ": "INTJ",
}  # fmt: skip


@cache
def _lookup_table(lang: str):
    from spacy.lookups import load_lookups

    return load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")


_TENSE = {"past": "Past", "pres": "Pres", "futr": "Fut"}  # pymorphy3 grammemes → Universal Dependencies


@cache
def _morph(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@Language.factory("extract_lemmatizer", default_config={"mode": "lookup"})
def make_lemmatizer(nlp: Language, name: str, mode: str):
    """Lower-case lemmas from a lookup table or pymorphy3 (see the module docstring)."""
    if mode not in ("lookup", "pymorphy3"):
        raise ValueError(f"extract_lemmatizer: unknown mode {mode!r} (lookup or pymorphy3)")
    lang = nlp.lang
    seen: dict[str, tuple[str, str, str]] = {}

    def lookup(word: str) -> tuple[str, str, str]:
        table = _lookup_table(lang)
        for form in (word, word.lower(), word[:1].upper() + word[1:].lower()):
            lemma = table.get(form)
            if lemma:
                return lemma.lower(), "", ""
        return word.lower(), "", ""

    def morph(word: str) -> tuple[str, str, str]:
        if not any(ch.isalpha() for ch in word):
            return word.lower(), "", ""
        parse = _morph(lang).parse(word)[0]
        pos = _POS.get(str(parse.tag.POS), "")
        if pos == "NOUN" and word[:1].isupper() and {"Name", "Surn", "Geox", "Orgn"} & set(parse.tag.grammemes):
            pos = "PROPN"
        tense = _TENSE.get(str(parse.tag.tense), "")  # "освободила" past, "освободит" future: told as done or planned
        return parse.normal_form.lower().replace("ё", "е"), pos, tense

    analyse = lookup if mode == "lookup" else morph

    def lemmatize(doc: Doc) -> Doc:
        for tok in doc:
            found = seen.get(tok.text)
            if found is None:
                if len(seen) > 200_000:
                    seen.clear()
                found = seen[tok.text] = analyse(tok.text)
            tok.lemma_ = found[0]
            if found[1]:
                tok.pos_ = found[1]
            if found[2]:
                tok.set_morph(f"Tense={found[2]}")
            elif tok.is_punct:
                tok.pos_ = "PUNCT"
        return doc

    return lemmatize
