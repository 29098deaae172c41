"""pressroom: a static site generator for a bilingual press-summary archive."""

__version__ = "0.1.0"
