"""The editorial API (DESIGN.md section 6): `views` (claimants, claims, reviews and the
workflow actions of claims.workflow) and `serializers` (their input and output payloads)."""
