"""AppTest of pages/quantities.py."""
import pytest
from conftest import no_errors, plotly_specs, run_page

PAGE = "pages/quantities.py"


def test_app_quantities_chart_and_table_keep_qualifiers(sample_store):
    at = run_page(PAGE)
    assert no_errors(at) == []
    table = at.get_by_key("quantities_table").value
    assert list(table["label"]) == ["1,000 containers", "7,000 containers", "more than 11,000 containers",
                                    "about 50 missiles"]
    labels = sorted(x for t in plotly_specs(at)["quantities_chart"]["data"] for x in t["text"])
    assert labels == ["1,000 containers", "7,000 containers", "about 50 missiles", "more than 11,000 containers"]


def test_app_quantities_by_claimant(sample_store):
    at = run_page(PAGE)
    at.get_by_key("quantities_categories").set_value(["container"]).run()
    traces = {t["legendgroup"].split(",")[0]: t["text"] for t in plotly_specs(at)["quantities_chart"]["data"]}
    assert traces == {"(unattributed)": ["1,000 containers"], "Ukraine": ["7,000 containers"],
                      "South Korea": ["more than 11,000 containers"]}


@pytest.mark.parametrize("query, n_rows", [({}, 4), ({"actor": "South Korea"}, 1), ({"q": "missiles"}, 1),
                                           ({"from": "2024-02-01"}, 2)])
def test_app_quantities_filters_change_rows(sample_store, query, n_rows):
    at = run_page(PAGE, query=query)
    assert len(at.get_by_key("quantities_table").value) == n_rows
