"""Every write to claims that has rules, one module per entity: `reviews` (and the workflow),
`claims` (with their appearances), `claimants`, `evidence`; `common` holds what they share and
states the contract every service keeps."""
