"""Run: the one run loop (``runner.run(items, executor, sink)``), the work done per document (``extraction``),
where it runs (``executors``: this process or worker processes; ``ray``: Ray actors) and the jobs that feed
it (``ingest``: files, folders and URLs; ``nightly``: a pipeline file)."""
