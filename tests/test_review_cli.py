"""`python -m core review list|export|import|revert`, run through core.cli.main on stores made
with the review tests' fake pipeline."""
from __future__ import annotations

import pytest
from test_review import A, event_at, hash_of, new_store, the_corrections

from core.cli import main


@pytest.fixture
def reviewed(tmp_path):
    store = new_store(tmp_path / "store")
    return store, the_corrections(store)


def review(capsys, store, *args) -> tuple[int, str, str]:
    code = main(["review", *args, "--store", str(store.path)])
    out, err = capsys.readouterr()
    return code, out, err


def test_review_cli_list_prints_one_line_per_correction(reviewed, capsys):
    store, ids = reviewed
    code, out, err = review(capsys, store, "list")
    lines = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and [line[0] for line in lines] == list(ids.values())
    assert {line[1] for line in lines} == {"in force"}
    merge = lines[3]
    assert merge[3:7] == ["bob", "actors", "merge", "KCNA"] and "Korean Central News Agency" in merge[7]
    start = A.index("visited")
    assert lines[0][6] == f"{hash_of(store.tables(), A)[:16]}:{start}-{start + len('visited')}"
    assert "6 corrections, 0 orphaned" in err
    code, out, _ = review(capsys, store, "list", "--orphans")
    assert code == 0 and out == ""


def test_review_cli_export_import_is_idempotent(reviewed, capsys, tmp_path):
    store, _ = reviewed
    path = tmp_path / "shared.csv"
    code, out, _ = review(capsys, store, "export", str(path))
    assert code == 0 and "exported 6 corrections" in out and path.exists()
    fresh = new_store(tmp_path / "fresh")
    code, out, _ = review(capsys, fresh, "import", str(path))
    assert code == 0 and "imported 6 corrections, 0 already there" in out
    code, out, _ = review(capsys, fresh, "import", str(path))
    assert code == 0 and "imported 0 corrections, 6 already there" in out
    assert event_at(fresh.tables(), A, "visited")["review"] == "corrected"


def test_review_cli_revert_records_who_and_why(reviewed, capsys):
    store, ids = reviewed
    code, out, _ = review(capsys, store, "revert", ids["edit"], "--user", "carol", "--reason", "too hasty")
    assert code == 0 and f"reverted {ids['edit']}" in out
    last = store.corrections().iloc[-1]
    assert (last["user"], last["action"], last["target"], last["reason"]) == (
        "carol", "revert", ids["edit"], "too hasty")
    assert event_at(store.tables(), A, "visited")["review"] == "auto"
    _, out, _ = review(capsys, store, "list")
    assert out.splitlines()[0].split("\t")[1] == "reverted"


def test_review_cli_bad_input_is_a_clear_error_and_writes_nothing(reviewed, capsys, tmp_path):
    store, _ = reviewed
    version = store.version()
    bad = tmp_path / "bad.csv"
    bad.write_text("hello,world\n1,2\n", encoding="utf-8")
    code, _, err = review(capsys, store, "import", str(bad))
    assert code == 2 and "error:" in err and "bad.csv: not a corrections file" in err
    code, _, err = review(capsys, store, "revert", "0123456789abcdef")
    assert code == 2 and "no correction '0123456789abcdef'" in err
    code, _, err = review(capsys, store, "import")
    assert code == 2 and "needs a FILE" in err
    assert store.version() == version and len(store.corrections()) == 6
