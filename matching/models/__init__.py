"""The models of matching: what the search index stores (search.py)."""

from matching.models.search import SearchWord

__all__ = ["SearchWord"]
