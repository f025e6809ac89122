"""URL helpers with no heavy imports, so the store and the analysts' commands can use them without loading the
fetcher or trafilatura."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?i)\b(https?://)[^\s/?#@]*@")


def without_credentials(text: str) -> str:
    """``text`` (a URL, or a message naming URLs) with the ``user:password@`` of every http(s) URL removed.

    Credentials in a URL are never sent by the fetcher, so dropping them loses nothing; kept, they would be
    stored in documents, fetch state, errors and the analysts' snapshot, and split one page into two documents.
    """
    return _USERINFO.sub(r"\1", text)
