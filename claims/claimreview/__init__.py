"""schema.org ClaimReview for our reviews: the one builder and the one validator.

- `builder`: `build_claimreview()`, the only place a review becomes JSON-LD (page, API, feed);
- `validator`: `validate_claimreview()`, Google's rules and the schema.org vocabulary, shared by
  the admin, the editorial API and the publish step (`review_claimreview()` builds and checks);
- `schemaorg`: the vocabulary extract (schemaorg-vocabulary.json) and its checker.
"""

from claims.claimreview.builder import (
    JsonDict,
    build_claimreview,
    claim_page_url,
    publisher_jsonld,
)
from claims.claimreview.validator import (
    ValidationResult,
    review_claimreview,
    validate_claimreview,
)

__all__ = [
    "JsonDict",
    "ValidationResult",
    "build_claimreview",
    "claim_page_url",
    "publisher_jsonld",
    "review_claimreview",
    "validate_claimreview",
]
