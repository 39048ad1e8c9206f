"""What every stage shares: typed records, closed sets, errors, the table schema, CJK text helpers.

Nothing here imports any other part of planingest.
"""
