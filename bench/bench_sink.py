"""Posts/s of the PostgreSQL sink next to the Parquet lake, writing the same N posts (first write: inserts; second: updates).

    .venv/bin/python bench/bench_sink.py [--sizes 10000 100000]

The posts are the bundled sample (X and Instagram) replicated with new ids. The server is a throwaway PostgreSQL 15
started by `temporary_postgres` (tests/helpers/postgres.py) on 127.0.0.1 (fsync off, as in the tests), so the figures are the
client + server work on this machine, not disk flushes.
"""
import argparse, sys, tempfile, time
from pathlib import Path
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / 'tests' / 'helpers')]
from postgres import temporary_postgres
from tweetnb.lake import Lake
from tweetnb.collect.sinks import open_sink
from tweetnb.collect.sources import collect


def replicate(n: int) -> pa.Table:
    "n posts: the sample's posts copied with a 4-digit suffix on their ids."
    base = collect('sample', '2023-05-14', '2023-05-31', lake=None).posts
    parts, k = [], 0
    while sum(p.num_rows for p in parts) < n:
        ids = pc.binary_join_element_wise(base.column('id'), pa.scalar(f'{k:04d}'), '')
        parts.append(base.set_column(base.schema.get_field_index('id'), 'id', ids)); k += 1
    return pa.concat_tables(parts).slice(0, n)


def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--sizes', type=int, nargs='+', default=[10_000, 100_000])
    rows = []
    with temporary_postgres() as url:
        for n in ap.parse_args().sizes:
            posts = replicate(n)
            with tempfile.TemporaryDirectory() as d, open_sink(f'{url}?table=bench_{n}') as sink:
                for what, fn in (('lake', Lake(d).write), ('postgres', sink.write)):
                    for round_ in ('insert', 'update'):
                        t = time.perf_counter(); r = fn(posts); s = time.perf_counter() - t
                        assert r[round_.rstrip('e') + 'ed'] == n, r
                        rows.append((n, what, round_, s, n / s))
    print(f"{'posts':>8} {'target':9} {'write':7} {'seconds':>8} {'posts/s':>9}")
    for n, what, round_, s, pps in rows: print(f'{n:>8,} {what:9} {round_:7} {s:8.2f} {pps:9,.0f}')


if __name__ == '__main__':
    main()
