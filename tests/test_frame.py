"""ui.frame stays light: a page draws its heading with it before pandas, DuckDB and the corpus
are imported, so on a new server the heading does not wait for them."""
import subprocess
import sys

from conftest import REPO

HEAVY = ("pandas", "numpy", "duckdb", "pyarrow", "core", "ui.data", "ui.layout", "ui.widgets")


def test_importing_the_frame_loads_nothing_heavy_beyond_streamlit():
    # A fresh interpreter: the test process has everything imported already.
    code = ("import sys, streamlit; before = set(sys.modules); import ui.frame; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    added = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout.split()
    assert "ui.frame" in added
    assert [m for m in added if m.split(".")[0] in HEAVY or m in HEAVY] == []
