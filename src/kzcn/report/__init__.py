"""The quality report: what a person looks at to trust a release.

What lives here: the stage's entry point (stage: load inputs, process, save outputs), the
frames it reads (frames), Great Expectations suites compiled from the Table Schemas
(expectations), their run and offline Data Docs (gx_run, gx_docs, templates/gx_docs), the
summary page's charts (charts, templates/) and headless Chromium for screenshots (browser).

May import: kzcn.validate, kzcn.package, kzcn.errors, kzcn.atomic. great_expectations,
matplotlib and jinja2 are imported only here, and only inside the functions that use them.
"""
