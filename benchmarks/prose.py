"""The hand-written parts of RESULTS.md: how the engine gets its speed, and scaling past one machine.

Why apart from the rendering: these are prose, written by whoever changes the engine and read
beside the measured tables; the renderer (results_md.py) only places them. The numbers in them
are from profiles described in the text, not from the run that writes the page.
"""

ENGINE = """## How `kzcn validate` gets its speed, and what it costs

- One read of the bytes: a numpy scan finds records, quotes, line endings and the line of every
  record; the bytes are then dropped and pyarrow parses the rows from the file, all cells as
  text (so one bad cell never changes how its column is read). On two cores or fewer pyarrow
  parses in one thread: it costs 0.05-0.15 s per million rows and pyarrow then numbers the rows
  it cannot take (ragged), which spares a second pass over the file to find them.
- Every check is a kernel over a whole column (Arrow compute, numpy), in two threads; only
  faulty cells become Python objects. Keys are hashed once; repeated values are found by
  counting codes, not by sorting the column.
- The rules (layer 3) read typed columns converted on first use (a rule reading four columns of
  a million-row table converts four), select rows column-wise and judge the candidate rows cell
  by cell as before; pandas (0.4 s to import) is imported in a second thread while layers 1 and
  2 run.
- The CLI process uses Arrow's jemalloc pool with no decay delay (freed memory goes back to the
  system at once; about 65 MB less at the peak at 1M rows); YAML is parsed by libyaml when PyYAML
  has it (a quarter of a cold run on this repository was YAML), the JSON report is written with
  the C string encoder, byte for byte what `json.dumps(indent=2)` gives.
- Where the 1M-row run still spends its time (one process, clean file, profiled here): Python
  start-up and imports 0.2 s, reading and scanning the bytes 0.25 s, pyarrow's parse of every
  cell as text 0.4-0.5 s (one thread), types and constraints of 24 columns 0.5 s (two threads),
  formula cells 0.1 s, keys, foreign keys and the seven rules 0.2 s, and about 0.3 s more for
  the descriptor, the report, and pandas' import competing for the two cores. The floor it is compared
  with is a start-up (0.2 s) and a two-thread parse with type inference (0.3 s), checking
  nothing: 3x that (1.5 s) leaves 0.6 s after our own start-up, scan and parse, for checks that
  take 0.8 s plus the overheads above. On the faulty file add the 10,769 findings, finding duplicate keys by hashing a
  million ids, and reading the ragged rows one by one (0.6 s). Closing the gap needs the checks
  fused into the parse (a native reader that judges cells as it splits them), not more
  vectorising in Python.
- Cost: none in the reports, which are byte-identical on this repository and on every clean
  package, with one deliberate exception found by this benchmark: a rule requiring a field no
  longer reports "must be filled" for a cell that is filled with a value layer 2 rejects (a
  type or enum error already reported there); before, each such cell was reported twice. The
  price is code: a lazily converted table (`kzcn.validate.run.TypedTable`) beside the DataFrame,
  and a per-column fast path beside each cell-by-cell judgement.
"""


SCALE_OUT = """## When one machine is not enough

Where the time goes today: one pass over the bytes (numpy) to find records, quotes and line
numbers; pyarrow parses the cells as text; every check is a vectorised operation on
an Arrow or numpy column; only faulty cells become Python objects. All of a table is in memory
at once, about 2-4x its CSV size at the peak. So one machine serves tables up to a few GB of CSV;
past that, memory runs out before time does.

What each check needs:
- per cell or per row (encoding, quoting, ragged rows, types, required, enum, bounds, pattern,
  formula cells, and the per-row rules: conditional required, date order): nothing but the
  row, so any split of the file into record-aligned chunks works, each chunk independently;
- line numbers: each chunk needs the count of lines before it (a prefix sum over chunks: a
  first cheap pass, or files already split);
- unique and primary keys: all rows with the same key in one place (hash-partition by key);
- foreign keys: the set of referenced keys (small: broadcast it; large: an anti-join);
- cross-row rules (part within whole, parts add up, shares, growth, ranks, sources agree):
  the rows of one match group together (partition by the match fields).

The engine to use, in order of need:
1. **DuckDB** on one machine past its memory: `read_csv(..., all_varchar=true)` keeps every cell
   as text, `TRY_CAST` and `regexp_full_match` judge cells one by one, `GROUP BY key HAVING
   count(*) > 1` finds duplicates, an anti-join finds unknown foreign keys, and it spills to disk
   and uses every core. Polars' streaming engine (`scan_csv(infer_schema=False)`) is the other
   choice; DuckDB's out-of-core joins and group-bys are the more mature.
2. **Spark** (or Dask) when one machine is not enough at all: the data kept as many CSV (or
   Parquet) files partitioned by period or by source, one task per file for layers 1 and 2, so
   that every line number stays local to its file and exact; keys and cross-row rules as
   shuffles (group by key / by match fields); foreign keys as a broadcast or shuffle anti-join.

What of ours would change: the layer-1 scan would read a file in record-aligned chunks with a
line offset instead of all at once (the quote-parity scan already knows where records end);
`check_cells` is unchanged per chunk (it is already columnar and stateless per cell); key and
foreign-key checks become a group-by and an anti-join in the engine, keeping the first line of
each key to name it in the message; the rule kinds, today pandas code over typed frames, need a
second form as engine expressions (date order and conditional required are filters; part
within whole and parts add up are joins on the match fields). The findings and the report stay
as they are (code, line, field, message), merged and sorted by file and line at the end; at a
billion rows a 1% fault rate is ten million findings, so the JSON report would need to stream
(JSON lines) or summarise by code beyond a limit, which is a change to the published contract.
"""
