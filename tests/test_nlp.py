"""NLP stage: paragraph-first splitting with exact offsets, NER mapping and gazetteer spans in spaCy."""

from __future__ import annotations

from extract.nlp.analyse import analyse, coarse_label, load_pipeline, paragraphs


def test_paragraphs_skip_blank_lines_and_bullets_keeping_offsets():
    text = "見出し\n\n  • エストニア:部隊派遣を申し出ました。\n\n- Second item.\n本文です。"
    parts = list(paragraphs(text))
    assert [p[2] for p in parts] == ["見出し", "エストニア:部隊派遣を申し出ました。", "Second item.", "本文です。"]
    for _, offset, part in parts:
        assert text[offset : offset + len(part)] == part


def test_sentences_and_mentions_map_back_to_the_document():
    text = "第3段階:72時間以内の米軍介入\n\nロシアは安全の保証を一蹴しています。プーチン大統領は認めないと述べました。"
    analysis = analyse(text, "ja")
    assert [s.text for s in analysis.sentences] == [
        "第3段階:72時間以内の米軍介入",
        "ロシアは安全の保証を一蹴しています。",
        "プーチン大統領は認めないと述べました。",
    ]
    assert [s.is_heading for s in analysis.sentences] == [True, False, False]
    for s in analysis.sentences:
        assert text[s.start : s.end] == s.text
    for m in analysis.mentions:
        assert text[m.start : m.end] == m.text
    linked = {(m.text, m.entity_id) for m in analysis.mentions if m.entity_id}
    assert linked == {
        ("米軍", "force:US"),
        ("ロシア", "country:RU"),
        ("安全の保証", "topic:security-guarantees"),
        ("プーチン大統領", "person:putin"),
    }


def test_ginza_ene_labels_are_mapped_to_coarse_types():
    assert coarse_label("Country") == "GPE"
    assert coarse_label("Military") == "ORG"
    assert coarse_label("Person") == "PERSON"
    assert coarse_label("GPE") == "GPE"  # English labels pass through


def test_gazetteer_is_a_spacy_component_with_kb_ids():
    nlp = load_pipeline("en")
    assert nlp.pipe_names[-1] == "extract_gazetteer"
    doc = nlp("Croatia and the Czech Republic will not send troops, Zelensky said.")
    assert [(s.text, s.kb_id_) for s in doc.spans["gazetteer"]] == [
        ("Croatia", "country:HR"),
        ("the Czech Republic", "country:CZ"),
        ("Zelensky", "person:zelensky"),
    ]
    ner = {e.text: e.label_ for e in doc.ents}
    assert ner.get("Croatia") == "GPE"


def test_unsupported_language_is_rejected():
    import pytest

    with pytest.raises(ValueError, match="no NLP pipeline"):
        load_pipeline("pl")


def test_span_of_finds_the_chunk_without_rebuilding_every_chunk_text():
    """``Doc.text`` is rebuilt from the tokens on each access: looking at every chunk's text for every sentence
    made ``span_of`` quadratic in the length of the document."""
    from extract.model import Sentence
    from extract.nlp.analyse import Analysis, Chunk

    class CountingDoc:
        text_reads = 0

        def __init__(self, text: str) -> None:
            self._text = text

        @property
        def text(self) -> str:
            CountingDoc.text_reads += 1
            return self._text

        def char_span(self, start: int, end: int, alignment_mode: str = "strict"):
            return (self._text, start, end)

    pieces = [f"Paragraph number {i} says something." for i in range(200)]
    offsets = [sum(len(p) + 1 for p in pieces[:i]) for i in range(len(pieces))]
    chunks = [Chunk(i, off, CountingDoc(p), len(p)) for i, (off, p) in enumerate(zip(offsets, pieces, strict=True))]
    sentences = [Sentence(i, i, off, off + len(p), p) for i, (off, p) in enumerate(zip(offsets, pieces, strict=True))]
    analysis = Analysis("en", sentences, [], chunks)
    spans = [analysis.span_of(s) for s in sentences]
    assert spans == [(p, 0, len(p)) for p in pieces]
    assert CountingDoc.text_reads == 0
    assert analysis.span_of(Sentence(0, 0, offsets[-1] + len(pieces[-1]) + 5, offsets[-1] + 9, "x")) is None


def test_japanese_runs_without_the_components_no_rule_reads_and_tokens_are_the_same():
    from conftest import JA_SAMPLE

    from extract.acquire.read import load
    from extract.nlp.analyse import every_component

    lite, every = load_pipeline("ja"), every_component("ja")
    assert "bunsetu_recognizer" in every.pipe_names and "compound_splitter" in every.pipe_names
    assert not {"bunsetu_recognizer", "compound_splitter"} & set(lite.pipe_names)
    assert "morphologizer" in lite.pipe_names  # it sets pos_, which the rules read

    def tokens(nlp):
        texts = [text for _, _, text in paragraphs(load(str(JA_SAMPLE)).text)]
        return [
            (t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_type_, t.is_sent_start)
            for doc in nlp.pipe(texts)
            for t in doc
        ]

    found = tokens(lite)
    assert found == tokens(every)
    assert not any(dep.endswith("_bunsetu") for _, _, _, dep, *_ in found)
