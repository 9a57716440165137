"""AppTest of pages/quantities.py: the claim tracker (claims at the day made, one line per
claimant, grouped by level) and the table that follows it."""
import re

import pytest
from conftest import no_errors, plotly_specs, run_page


def unescaped(markdown: str) -> str:
    """Markdown escaped by ui.plain.md, read back as the words shown."""
    return re.sub(r"\\(.)", r"\1", markdown)


PAGE = "pages/quantities.py"


def claim_traces(at) -> dict[str, list]:
    """Series name -> point labels of the chart's claim traces (spans and the marker key left out)."""
    out: dict[str, list] = {}
    for t in plotly_specs(at)["quantities_chart"]["data"]:
        if t.get("meta") == "claims":
            out.setdefault(t["name"], []).extend(t["text"])
    return out


def test_app_quantities_chart_and_table_keep_the_words(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    table = at.get_by_key("quantities_table").value
    # Newest claim first; labels are the article's words (the qualifier and the item kept).
    assert list(table["label"]) == ["more than 11,000 containers", "7,000 containers",
                                    "about 50 Hwasong-11 missiles", "1,000 containers"]
    labels = sorted(x for texts in claim_traces(at).values() for x in texts)
    assert labels == ["1,000 containers", "7,000 containers", "about 50 Hwasong-11 missiles",
                      "more than 11,000 containers"]


def test_app_quantities_one_line_per_claimant_step_shaped(sample_store):
    at = run_page(PAGE)
    at.get_by_key("quantities_categories").set_value(["container"]).run()
    assert claim_traces(at) == {"(unattributed)": ["1,000 containers"], "Ukraine": ["7,000 containers"],
                                "South Korea": ["more than 11,000 containers"]}
    lines = [t for t in plotly_specs(at)["quantities_chart"]["data"] if t.get("meta") == "claims"]
    assert {t["line"]["shape"] for t in lines} == {"hv"}
    symbols = {t["name"]: t["marker"]["symbol"] for t in lines}
    assert symbols["South Korea"] == ["triangle-up"]  # "more than": a marker shape, not a series


def test_app_quantities_grouped_by_state_and_table_follows(sample_store):
    at = run_page(PAGE)
    at.get_by_key("quantities_level").set_value("state").run()
    assert no_errors(at) == []
    # States stand for themselves; the prosecutors' office is not in this corpus' actors table
    # nor in the gazetteer, so it stands for itself (tests/test_claims_view.py has the roll-ups).
    assert sorted(claim_traces(at)) == ["(unattributed)", "Kharkiv Prosecutor&#x27;s Office", "South Korea",
                                        "Ukraine"]
    table = at.get_by_key("quantities_table").value
    assert set(table["their state"]) == {"(unattributed)", "Kharkiv Prosecutor's Office", "South Korea", "Ukraine"}
    at.get_by_key("quantities_categories").set_value(["missile"]).run()
    assert list(at.get_by_key("quantities_table").value["claimant"]) == ["Kharkiv Prosecutor's Office"]


@pytest.mark.parametrize("query, n_rows", [({}, 4), ({"actor": "South Korea"}, 1), ({"q": "missiles"}, 1),
                                           ({"from": "2024-02-01"}, 2)])
def test_app_quantities_filters_change_rows(sample_store, query, n_rows):
    at = run_page(PAGE, query=query)
    assert len(at.get_by_key("quantities_table").value) == n_rows


def test_app_quantities_says_what_the_dates_hide(sample_store):
    at = run_page(PAGE, query={"from": "2024-02-01"})
    assert any("2 claims outside the dates" in unescaped(c.value) for c in at.caption)
    at.get_by_key("quantities_hidden_widen").click().run()
    assert len(at.get_by_key("quantities_table").value) == 4


def test_app_quantities_empty_result_explained(sample_store):
    at = run_page(PAGE, query={"actor": "South Korea", "to": "2023-12-31"})
    assert any("gives 0 claims" in unescaped(i.value) and "1 is in 2024" in unescaped(i.value) for i in at.info)
