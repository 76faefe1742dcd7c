"""Officer return workbooks: make them, ingest them, and see who has sent theirs back.

``template`` works out a return's sheets from the data contract and the frameworks,
``workbook`` writes one, ``outbox`` makes a round's returns, ``read`` reads and checks a
returned one cell by cell, and ``ledger`` keeps returns as received, writes their tables
to the interim folder and reports status. See ``docs/officer-returns.md``.
"""
