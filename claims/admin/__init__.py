"""The newsroom's admin, one module per part of the domain; importing them registers them.

- `claims`: claims (saved through the services, locked while published), claimants, topics,
  appearances;
- `reviews`: reviews, their evidence and the workflow buttons of claims.workflow;
- `scale`: the rating scale and other publishers;
- `revisions`: revisions of published reviews, their workflow and the comparison with the
  public version;
- `records`: evidence, corrections and the audit trail, read-only;
- `forms`: the forms these use.
"""

from claims.admin import claims, records, reviews, revisions, scale

__all__ = ["claims", "records", "reviews", "revisions", "scale"]
