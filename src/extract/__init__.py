"""extract: multilingual claim extraction from news and documents."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = f"extract/{__version__}"
