"""Claims: the language-neutral rules over the language data files (``extract/lang/*.toml``): clauses of
sentences (``clauses``), claims of clauses (``rules``), plan ladders (``tiers``), quantities and windows, claim
identity and values (``keys``) and PLOVER codes (``plover``)."""
