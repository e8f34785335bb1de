"""Reading a data package: the first stage, which every other stage reads through.

What lives here: finding and reading the descriptor and its Table Schemas (descriptor), YAML
with libyaml's speed and PyYAML's errors (yamlfast), Table Schema types read from CSV text on
Arrow columns (cast/), pandas dtypes per field (dtypes), typed loading (`kzcn.load`,
load), the pandera schema compiled from a Table Schema (pandera_schema), schema inference for
resources that declare none (infer), and published releases fetched and checked against the
sha256 registry (download, archive).

May import: kzcn.errors and kzcn.atomic only. Nothing here imports validate, release, report
or cli, so `kzcn.load` stays light.
"""
