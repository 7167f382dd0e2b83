"""Compare the tables of two run folders: rows per stage, the posts each stage passed on, sentiment labels, topics.

    .venv/bin/python scripts/compare_runs.py outputs/demo-before outputs/demo

Prints one line per table (identical or how it differs) and exits 1 if any differs. Used to show that a refactoring
left the demo's results as they were.
"""
import json, sys
from pathlib import Path
import pandas as pd

STAGES = ('crawl', 'clean', 'language', 'sentiment', 'topics')


def counts(run: Path) -> pd.DataFrame:
    "posts_in, posts_out and the set-aside total of each stage, from its manifest."
    rows = []
    for s in STAGES:
        c = json.loads((run / 'manifest' / f'{s}.json').read_text())['counts']
        rows.append(dict(stage=s, posts_in=c['posts_in'], posts_out=c['posts_out'],
                         set_aside=sum((c.get('set_aside') or {}).values())))
    return pd.DataFrame(rows)


def table(run: Path, name: str, cols: list, sort: list) -> pd.DataFrame:
    df = pd.read_parquet(run / f'{name}.parquet', columns=cols)
    return df.sort_values(sort).reset_index(drop=True)


def compare(a: Path, b: Path) -> bool:
    "Print how the tables of runs `a` and `b` compare; True when all are identical."
    pairs = {
        'rows per stage': (counts(a), counts(b)),
        'posts (platform, id)': (table(a, 'posts', ['platform', 'id'], ['platform', 'id']),
                                 table(b, 'posts', ['platform', 'id'], ['platform', 'id'])),
        'kept posts': tuple(table(r, 'clean', ['platform', 'id', 'keep', 'drop_reason'], ['platform', 'id'])
                            for r in (a, b)),
        'languages': tuple(table(r, 'language', ['platform', 'id', 'lang_pred', 'lang_conf'], ['platform', 'id'])
                           for r in (a, b)),
        'sentiment labels and scores': tuple(
            table(r, 'sentiment', ['platform', 'id', 'sentiment_label', 'sentiment_score'], ['platform', 'id'])
            for r in (a, b)),
        'topic per post': tuple(table(r, 'topics', ['platform', 'id', 'topic'], ['platform', 'id']) for r in (a, b)),
        'topic table': tuple(table(r, 'topic_info', ['topic', 'posts', 'label', 'top_words'], ['topic'])
                             for r in (a, b)),
    }
    same = True
    for name, (x, y) in pairs.items():
        ok = x.shape == y.shape and x.equals(y)
        same &= ok
        detail = f'{len(x):,} rows' if ok else f'{len(x):,} vs {len(y):,} rows; first difference:\n{_diff(x, y)}'
        print(f"{'identical' if ok else 'DIFFERENT':9}  {name}: {detail}")
    labels = {r.name: pd.read_parquet(r / 'sentiment.parquet')['sentiment_label'].value_counts().to_dict() for r in (a, b)}
    print('sentiment labels:', labels)
    return same


def _diff(x: pd.DataFrame, y: pd.DataFrame) -> str:
    if x.shape != y.shape or list(x.columns) != list(y.columns):
        return f'{x.head(3)}\n---\n{y.head(3)}'
    rows = (x != y).any(axis=1)
    return f'{x[rows].head(3)}\n---\n{y[rows].head(3)}'


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(0 if compare(Path(sys.argv[1]), Path(sys.argv[2])) else 1)
