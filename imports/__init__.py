"""Reading other publishers' ClaimReviews and our own archive (DESIGN.md section 2)."""
