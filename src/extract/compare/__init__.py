"""Compare: what changed between versions (``diff``, ``diffreport``), wire copies (``syndication``), where
outlets disagree (``disagreements``) and rendering rows as tables and files (``render``)."""
