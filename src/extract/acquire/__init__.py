"""Acquire: what to read (``sources``), fetching it politely (``fetch``), reading it into a ``Document``
(``read``: decoding, main text, metadata) and its language (``langid``)."""
