"""Reading a data package: the first stage, which every other stage reads through.

What lives here: finding and reading the descriptor and its Table Schemas (descriptor), YAML
with libyaml's speed and PyYAML's errors (yamlfast), Table Schema types read from CSV text on
Arrow columns (cast/), pandas dtypes per field (dtypes), typed loading (`kzcn.load`,
load), the pandera schema compiled from a Table Schema (pandera_schema), schema inference for
resources that declare none (infer), published releases fetched within a deadline and a byte
cap (fetch) and checked against the sha256 registry (download, archive), and the bounds every
read of untrusted input stays within, with their defaults and overrides (limits).

May import: kzcn.errors and kzcn.atomic only. Nothing here imports validate, release, report
or cli, so `kzcn.load` stays light.
"""
