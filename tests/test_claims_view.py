"""core.query.claims: the claim tracker's series, spans, groups and colours, on made-up rows."""
import pandas as pd
import pytest

from core.query import claims, views

ARTICLES = pd.DataFrame({
    "article_id": ["a1", "a2", "a3"], "title": ["Containers keep coming", "Missiles fired", "Spokesman speaks"],
    "source": ["Yonhap", "Reuters", "TASS"], "url": ["https://x/1", None, "https://x/3"],
    "published": ["2024-05-20", "2024-01-15", "2024-02-01"], "published_precision": ["day", "day", "day"],
})


def quantity(qid, aid, value, qualifier, claimant, date=None, precision=None, since=None, text="", category="container",
             unit="container"):
    return dict(quantity_id=qid, article_id=aid, value=value, value_max=None, qualifier=qualifier, unit=unit,
                category=category, item=None, claimant=claimant, date=date, date_precision=precision, since=since,
                text=text, sentence_id=0, sentence=f"Sentence of {qid}.")


QUANTITIES = pd.DataFrame([
    # Made on 20 May 2024 (publication day), covering the period since 2023.
    quantity("q1", "a1", 7000.0, "about", "South Korea", since="2023-01-01", text="about 7,000 containers"),
    # Said in October 2023, reported in January 2024: made in October.
    quantity("q2", "a2", 6000.0, "more_than", "South Korea", date="2023-10-01", precision="month",
             text="more than 6,000 containers"),
    quantity("q3", "a2", 24.0, "vague", "Ministry of Defence of Russia", date="2024-01-10", precision="day",
             text="dozens of ballistic missiles", category="missile", unit="missile"),
    quantity("q4", "a3", 30.0, "exact", "Dmitry Peskov", text="30 missiles", category="missile", unit="missile"),
    quantity("q5", "a3", 5.0, "exact", None, text="five containers"),
])
ACTORS = pd.DataFrame({"name": ["South Korea", "Dmitry Peskov", "Russia"], "type": ["state", "person", "state"],
                       "country": ["KOR", "RUS", "RUS"], "code": ["KOR", "RUSGOV", "RUS"]})


@pytest.fixture
def series():
    return views.quantity_series(QUANTITIES, ARTICLES)


def test_claims_made_at_the_statement_with_the_period_it_covers(series):
    points = claims.claim_points(series, claims.claimant_groups(series["claimant"], ACTORS))
    q1 = points.set_index("quantity_id").loc["q1"]
    assert (q1["made"], q1["span_start"], q1["span_end"]) == (
        pd.Timestamp("2024-05-20"), pd.Timestamp("2023-01-01"), pd.Timestamp("2024-05-20"))
    q2 = points.set_index("quantity_id").loc["q2"]
    assert q2["made"] == pd.Timestamp("2023-10-01") and pd.isna(q2["span_start"])
    assert q2["made_label"] == "October 2023 (month only)"
    assert q1["made_label"] == "20 May 2024"


def test_claims_one_series_per_claimant_whatever_the_wording(series):
    points = claims.claim_points(series, claims.claimant_groups(series["claimant"], ACTORS))
    korea = points[points["claimant"] == "South Korea"]
    assert set(korea["series_name"]) == {"South Korea"}
    assert list(korea["symbol"]) == ["triangle-up", "diamond"]  # the qualifier is the marker, in order made


def test_claims_words_as_written_then_the_estimate(series):
    labels = series.set_index("quantity_id")["label"]
    assert labels["q3"] == "dozens of ballistic missiles (est. 24)"  # the words lead, the estimate after
    assert labels["q5"] == "five containers (est. 5)"  # ...so the estimate follows them
    assert labels["q2"] == "more than 6,000 containers"
    assert views.figure_label(24.0, None, "vague", "missile") == "an estimated 24 missiles"
    assert views.short_figure(24.0, "vague") == "~ 24"


@pytest.mark.parametrize("level, expected", [
    ("claimant", {"South Korea": "South Korea", "Dmitry Peskov": "Dmitry Peskov",
                  "Ministry of Defence of Russia": "Ministry of Defence of Russia"}),
    ("organisation", {"South Korea": "South Korea", "Dmitry Peskov": "Russia (government)",
                      "Ministry of Defence of Russia": "Russia (military)"}),
    ("state", {"South Korea": "South Korea", "Dmitry Peskov": "Russia", "Ministry of Defence of Russia": "Russia"}),
])
def test_claims_claimants_roll_up_to_organisation_and_state(series, level, expected):
    # The ministry is not in the corpus' actors table: the gazetteer gives its code (RUSMIL).
    groups = claims.claimant_groups(series["claimant"], ACTORS)
    got = dict(zip(groups["claimant"], groups[level], strict=True))
    assert {k: got[k] for k in expected} == expected
    assert got[views.UNATTRIBUTED] == views.UNATTRIBUTED


def test_claims_unknown_names_stand_for_themselves():
    groups = claims.claimant_groups(["Some Think Tank"], ACTORS)
    assert groups.iloc[0].tolist() == ["Some Think Tank"] * 3


def test_claims_level_is_checked(series):
    with pytest.raises(ValueError, match="'city'"):
        claims.claim_points(series, claims.claimant_groups(series["claimant"], ACTORS), level="city")


def test_claims_colours_keyed_by_name_survive_new_data():
    palette = ["#a", "#b", "#c", "#d", "#e", "#f", "#g", "#h"]
    before = claims.stable_colors(["South Korea", "Ukraine"], palette)
    after = claims.stable_colors(["South Korea", "Ukraine", "Aardvark Institute"], palette)
    assert after["South Korea"] == before["South Korea"] and after["Ukraine"] == before["Ukraine"]
    assert len(set(after.values())) == 3


def test_claims_step_lines_and_table_follow_the_points(series):
    points = claims.claim_points(series, claims.claimant_groups(series["claimant"], ACTORS), level="state")
    steps = claims.step_lines(points)
    russia = steps[(steps["category"] == "missile") & (steps["series_name"] == "Russia")]
    assert list(russia["value"]) == [24.0, 30.0]  # Ministry (Jan) then Peskov (Feb): one state line
    table = claims.claims_table(points)
    assert list(table["quantity_id"]) == ["q1", "q5", "q4", "q3", "q2"]  # newest first
    assert table.iloc[0]["title"] == "Containers keep coming" and table.iloc[0]["source"] == "Yonhap"
    assert table.iloc[0]["covers"] == "Jan 2023 – 20 May 2024" and table.iloc[1]["covers"] == ""


def test_claims_chart_draws_the_busiest_lines_and_their_latest_claims():
    made = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"])
    points = pd.DataFrame({"series_name": ["A", "A", "B", "A", "C", "C"], "made": made,
                           "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "quantity_id": list("uvwxyz")})
    assert claims.chart_claims(points, most=10, lines=5) is points
    two_lines = claims.chart_claims(points, most=10, lines=2)  # A (3 claims), then C (2, latest in June)
    assert list(two_lines["quantity_id"]) == ["u", "v", "x", "y", "z"]
    assert list(claims.chart_claims(points, most=2, lines=2)["quantity_id"]) == ["y", "z"]
