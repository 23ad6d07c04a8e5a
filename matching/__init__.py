"""Search and claim matching: the search index, similar claims, claim relations.

DESIGN.md section 2.
"""
