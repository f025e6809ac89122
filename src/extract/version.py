"""The package version, in a module of its own: any module can import it without importing the package's
façade (``extract.open``, which imports the store)."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = f"extract/{__version__}"
