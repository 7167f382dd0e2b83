"""The lake under a killed writer: every day file is whole (the old or the new one), never half-written."""
import signal, subprocess, sys, time
import pyarrow.parquet as pq
from conftest import ROOT


def test_lake_writes_survive_sigkill(tmp_path):
    "A writer killed mid-write leaves every day file whole (old or new), never half-written."
    code = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
from tweetnb.lake import Lake
from tweetnb.schema import posts_table, empty_post
lake = Lake({str(tmp_path / 'lake')!r})
rows = [empty_post(id=str(i), platform='x', created_at=f'2023-05-{{14 + i % 3}}T00:00:{{i % 60:02d}}Z', text='t' * 200 + str(i)) for i in range(30000)]
t = posts_table(rows)
print('ready', flush=True)
while True: lake.write(t)
"""
    from tweetnb.lake import Lake
    for attempt in range(5):
        proc = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == 'ready'
        time.sleep(1.0 + 0.37 * attempt)
        proc.send_signal(signal.SIGKILL); proc.wait()
        lake = Lake(tmp_path / 'lake')
        files = lake.day_files()
        for f in files: assert pq.read_table(f).num_rows == 10000, f
        if files: assert lake.sql('select count(*) n from posts')['n'][0] == 10000 * len(files)
    lake.write(lake.read())   # the next writer removes what killed writers left behind
    assert not list(lake.posts_dir.glob('date=*/.*.tmp'))
