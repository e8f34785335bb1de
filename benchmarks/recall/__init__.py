"""Recall harness for the consistency rules (`make recall`, writes benchmarks/RECALL.md).

Why: a rule's author cannot grade it. The harness seeds one curator's slip at a time (a ×10 slip, a
scale slip, a part above its whole, a shifted period, a span that no longer carries the figure,
...) into a copy of the package, only where it creates a real inconsistency, and counts how many
`kzcn validate` reports, per rule family and figure table. It reads field roles from the schemas
and never looks at ids or line numbers, so it measures rules it was not written for.

Modules: csvcells (edit one CSV cell, keep every other byte), model (field roles, intervals, the
domain relations), families (the ground truth of each family), spans (does a span carry a figure),
mutations (the slips), matrix (which cells apply, the seeded draw), run (validate and detect),
report (RECALL.md).
"""
