"""The models of matching: what the search index stores (search.py), and the index of claims
for matching with the editors' confirmed links between claims (similar.py)."""

from matching.models.search import SearchWord
from matching.models.similar import (
    ClaimRelation,
    ClaimRelationQuerySet,
    IndexStats,
    MatchEntry,
    MatchUrl,
    Posting,
    RelationKind,
    Term,
)

__all__ = [
    "ClaimRelation",
    "ClaimRelationQuerySet",
    "IndexStats",
    "MatchEntry",
    "MatchUrl",
    "Posting",
    "RelationKind",
    "SearchWord",
    "Term",
]
