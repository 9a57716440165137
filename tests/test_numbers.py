"""core.extract.numbers: a figure's own words read as (value, value_max, qualifier)."""
import pytest

from core.extract.numbers import digits_value, parse_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("one million", (1e6, None, "exact")),
        ("1,000", (1000.0, None, "exact")),
        ("7,000", (7000.0, None, "exact")),
        ("2.5 million", (2.5e6, None, "exact")),
        ("1.5bn", (1.5e9, None, "exact")),
        ("two", (2.0, None, "exact")),
        ("twenty-five", (25.0, None, "exact")),
        ("two hundred and fifty thousand", (250000.0, None, "exact")),
        ("half a million", (500000.0, None, "exact")),
        ("a dozen", (12.0, None, "exact")),
        ("two dozen", (24.0, None, "exact")),
        ("a million", (1e6, None, "exact")),
        ("dozens", (24.0, None, "vague")),
        ("hundreds", (200.0, None, "vague")),
        ("thousands", (2000.0, None, "vague")),
        ("several", (3.0, None, "vague")),
        ("a few", (2.0, None, "vague")),
        ("tens of thousands", (20000.0, None, "vague")),
        ("hundreds of thousands", (200000.0, None, "vague")),
        ("several hundred", (200.0, None, "vague")),
        ("a few thousand", (2000.0, None, "vague")),
        ("5-7", (5.0, 7.0, "exact")),
        ("5 to 7", (5.0, 7.0, "exact")),
        ("between 5 and 7", (5.0, 7.0, "exact")),
        ("two or three", (2.0, 3.0, "exact")),
        ("10,000 to 12,000", (10000.0, 12000.0, "exact")),
        ("10 to 12 million", (1e7, 1.2e7, "exact")),
        ("dozens to hundreds", (24.0, 200.0, "vague")),
    ],
)
def test_numbers_parse_number_reads_figures(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "the", "a", "first", "2nd", "10:30", "Hwasong-11", "many", "missiles"])
def test_numbers_parse_number_rejects_non_figures(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [("12", 12.0), ("1,000,000", 1e6), ("3.25", 3.25), ("5m", 5e6), ("20k", 20000.0), ("KN-23", None), ("G7", None),
     ("1,00", None)],
)
def test_numbers_digits_value(text, expected):
    assert digits_value(text) == expected
