"""core.query.filters.restrict_with_report: a shared link's values the corpus lacks are named."""
from core.query import filters as flt
from core.query.filters import Filters


def test_restrict_with_report_names_what_it_dropped(tables):
    options = flt.filter_options(tables)
    asked = Filters(actors=("Russia", "Atlantis"), types=("visit", "picnic"), statuses=("reported",),
                    sources=("Nowhere",), text="x")
    kept, dropped = flt.restrict_with_report(asked, options)
    assert kept == Filters(actors=("Russia",), types=("visit",), statuses=("reported",), text="x")
    assert dropped == {"actors": ("Atlantis",), "types": ("picnic",), "sources": ("Nowhere",)}
    assert flt.restrict_to_options(asked, options) == kept


def test_restrict_with_report_is_empty_when_every_value_is_known(tables):
    asked = Filters(actors=("Kim Jong Un",), sources=("Yonhap",), date_from="2024-01-01")
    assert flt.restrict_with_report(asked, flt.filter_options(tables)) == (asked, {})
