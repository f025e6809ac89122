"""Evaluation of each stage against gold data (see ``extract eval``)."""
