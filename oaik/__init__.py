"""OAIK: the knowledge graph of open-source AI collaboration."""

__version__ = "0.1.0"
