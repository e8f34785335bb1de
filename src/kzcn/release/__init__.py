"""Build and release: from the validated sources to the package a stranger downloads.

What lives here: the pipeline's validate stage that records the report and DVC metrics
(metrics), `kzcn build` writing the Frictionless package (build) with canonical CSV bytes
(csvnorm) and a data dictionary generated from the schemas (datadict), `kzcn release` zipping
it into dist/ with its sha256 and notes (dist) through deterministic zips (detzip), the
maintainers' side of the release registry (registry), `kzcn diff` between two releases or
revisions (diff) reading each side's files within a size cap (members), and reading git
history without touching the work tree (gitread).

May import: kzcn.validate, kzcn.package, kzcn.errors, kzcn.atomic. Never report or cli.
"""
