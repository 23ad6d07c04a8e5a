"""Every write to claims that has rules, one module per entity: `reviews` (and the workflow),
`claims` (with their appearances), `claimants`, `evidence`; `common` holds what they share and
states the contract every service keeps."""

# The revisions' workflow actions register their performers (claims.services.reviews.PERFORMERS)
# on import, like the reviews' own.
from claims.services import revisions  # noqa: E402,F401
