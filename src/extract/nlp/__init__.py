"""NLP: a document's sentences and mentions (``analyse``, the spaCy pipelines; ``shallow`` for languages
without a parser), entity links (``gazetteer``, ``gazetteer_component``), dates and windows (``timex``) and the
optional transformer NER (``ner_transformers``)."""
