"""Each stage notebook runs top to bottom with its default parameters from nbs/stages/, as JupyterLab runs it."""
import os, shutil, subprocess
from pathlib import Path
from conftest import ROOT, BIN
from tweetnb.core import STAGES, resolve_path, read_manifests
from tweetnb.report.build import stage_table

LAB = ROOT / 'outputs' / 'lab'


def test_stage_defaults_from_the_notebook_folder(tmp_path):
    assert resolve_path('outputs/lab', start=ROOT / 'nbs' / 'stages') == LAB
    backup = tmp_path / 'lab-backup'
    if LAB.exists(): shutil.move(LAB, backup)          # keep a user's own lab run safe
    try:
        env = {**os.environ, 'TWEETNB_LAKE': str(tmp_path / 'lake'), 'HF_HUB_OFFLINE': '1'}
        for i, s in enumerate(STAGES, 1):
            nb = ROOT / 'nbs' / 'stages' / f'{i:02d}_{s}.ipynb'
            p = subprocess.run([str(BIN / 'papermill'), str(nb), str(tmp_path / nb.name), '--cwd', str(nb.parent),
                                '--log-level', 'ERROR'], env=env, capture_output=True, text=True)
            assert p.returncode == 0, f'{s}: {p.stderr[-3000:]}'
        assert (LAB / 'report.html').stat().st_size > 1_000_000
        assert stage_table(read_manifests(LAB))['adds_up'].all()
    finally:
        shutil.rmtree(LAB, ignore_errors=True)
        if backup.exists(): shutil.move(backup, LAB)
