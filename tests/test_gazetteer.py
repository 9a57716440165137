"""The gazetteer's data and lookups (no spaCy model needed)."""
from __future__ import annotations

import re

import pytest

from core.extract.gazetteer import WORD_LISTS, Gazetteer, load_gazetteer, normalise
from core.extract.geo import capital_of, locate
from core.model import Actor


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_gazetteer_is_loaded_once(gaz):
    assert load_gazetteer() is gaz


@pytest.mark.parametrize("text, key", [
    ("Kim Jong-un", "kim jong un"),
    ("U.S.", "us"),
    ("Workers’ Party", "workers party"),
    ("Kharkiv Prosecutor's Office", "kharkiv prosecutors office"),
    ("  Russian   Federation ", "russian federation"),
])
def test_gazetteer_normalise_folds_variants(text, key):
    assert normalise(text) == key


@pytest.mark.parametrize("text, key", [
    ("  New   York ", "New York"),  # plain words: only the spaces fold
    ("Rostov-on-Don", "Rostov on Don"),
    ("N. Korea's", "N Koreas"),
    ("São Paulo", "São Paulo"),
    ("Kyiv\t(Kiev)", "Kyiv Kiev"),
])
def test_gazetteer_normalise_keeps_case_when_asked(text, key):
    assert normalise(text, keep_case=True) == key
    assert normalise(text) == key.lower()


@pytest.mark.parametrize("surface, expected", [
    ("Democratic People's Republic of Korea", Actor("North Korea", "state", "PRK", "PRK")),
    ("DPRK", Actor("North Korea", "state", "PRK", "PRK")),
    ("N. Korea", Actor("North Korea", "state", "PRK", "PRK")),
    ("Republic of Korea", Actor("South Korea", "state", "KOR", "KOR")),
    ("ROK", Actor("South Korea", "state", "KOR", "KOR")),
    ("Russian Federation", Actor("Russia", "state", "RUS", "RUS")),
    ("the Russians", Actor("Russia", "state", "RUS", "RUS")),
    ("North Koreans", Actor("North Korea", "state", "PRK", "PRK")),
    ("U.S.", Actor("United States", "state", "USA", "USA")),
    ("Kiev", Actor("Ukraine", "state", "UKR", "UKR")),
    ("Kim Jong-un", Actor("Kim Jong Un", "person", "PRK", "PRKGOV")),
    ("Choe Son-hui", Actor("Choe Son Hui", "person", "PRK", "PRKGOV")),
    ("Putin", Actor("Vladimir Putin", "person", "RUS", "RUSGOV")),
    ("the Kremlin", Actor("Kremlin", "organisation", "RUS", "RUSGOV")),
    ("SBU", Actor("Security Service of Ukraine", "organisation", "UKR", "UKRSPY")),
    ("unification ministry", Actor("Ministry of Unification", "organisation", "KOR", "KORGOV")),
    ("U.N. Security Council", Actor("United Nations Security Council", "organisation", None, "IGOUNO")),
    ("Workers' Party", Actor("Workers' Party of Korea", "organisation", "PRK", "PRKPTY")),
    ("Yonhap", Actor("Yonhap News Agency", "media", "KOR", "KORMED")),
    ("RIA", Actor("RIA Novosti", "media", "RUS", "RUSMED")),
])
def test_gazetteer_actor_resolves_aliases(gaz, surface, expected):
    assert gaz.actor(surface) == expected


@pytest.mark.parametrize("surface", ["us", "un", "the North", "Far East", "Hwasong-11", "Telegram", "Felix Light"])
def test_gazetteer_actor_refuses_non_names(gaz, surface):
    assert gaz.actor(surface) is None


@pytest.mark.parametrize("surface, name, country, lat, lon", [
    ("Primorsky Krai", "Primorsky Krai", "RUS", 45.05, 135.0),
    ("Russia's far east", "Russian Far East", "RUS", 55.0, 135.0),
    ("East Sea", "Sea of Japan", None, 40.0, 135.0),
    ("Sunan airport", "Sunan International Airport", "PRK", 39.22, 125.67),
    ("Vostochny Cosmodrome", "Vostochny Cosmodrome", "RUS", 51.88, 128.33),
    ("Pyongyang", "Pyongyang", "PRK", 39.0, 125.8),
    ("Vladivostok", "Vladivostok", "RUS", 43.1, 131.9),
    ("Kiev", "Kyiv", "UKR", 50.5, 30.5),
])
def test_gazetteer_place_has_coordinates(gaz, surface, name, country, lat, lon):
    place = gaz.place(surface)
    assert (place.name, place.country) == (name, country)
    assert place.lat == pytest.approx(lat, abs=0.2) and place.lon == pytest.approx(lon, abs=0.2)


@pytest.mark.parametrize("surface", ["Russia", "North Korea", "Ukraine"])
def test_gazetteer_countries_are_not_places(gaz, surface):
    assert gaz.place(surface) is None and gaz.actor(surface).type == "state"


@pytest.mark.parametrize("surface, state", [("Pyongyang", "North Korea"), ("Moscow", "Russia"), ("Kyiv", "Ukraine"),
                                            ("Washington", "United States"), ("Tehran", "Iran"), ("Minsk", "Belarus")])
def test_gazetteer_capital_state(gaz, surface, state):
    assert gaz.capital_state(surface).name == state


def test_gazetteer_data_is_consistent(gaz):
    codes_ok = re.compile(r"^([A-Z]{3}([A-Z]{3})?|IGO[A-Z0-9]+|NGO[A-Z]+)$")
    bad = [a for a in gaz.actors.values()
           if a.type not in ("person", "organisation", "media", "state")
           or (a.code and not codes_ok.match(a.code))
           or (a.country and a.code and not a.code.startswith(("IGO", "NGO")) and not a.code.startswith(a.country))]
    assert bad == []
    assert len([a for a in gaz.actors.values() if a.type == "state"]) >= 193
    assert all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in gaz.places.values())
    assert gaz.place_patterns() and gaz.actor_patterns()


@pytest.mark.parametrize("surface, name", [
    ("Kursk region", "Kursk"), ("Kursk Oblast", "Kursk"), ("Krasnodar Krai", "Krasnodar"),
    ("Zaporizhzhia region", "Zaporizhzhia"), ("Primorsky region", "Primorsky Krai"),
])
def test_gazetteer_region_named_after_centre_city_goes_by_its_name(gaz, surface, name):
    assert gaz.place(surface).name == name


def test_gazetteer_lexicons_of_things_and_targets(gaz):
    assert {"ship", "rocket", "satellite", "treaty", "calendar"} <= gaz.thing_nouns
    assert "attack" in gaz.target_nouns and "among" in gaz.list_preps
    assert {"Ground", "Range", "Guesthouse"} <= gaz.landmark_heads


def test_every_word_list_is_a_typed_frozenset_attribute(gaz):
    annotated = {name for name, kind in Gazetteer.__annotations__.items() if kind == "frozenset[str]"}
    assert annotated == set(WORD_LISTS)
    assert all(isinstance(getattr(gaz, name), frozenset) and getattr(gaz, name) for name in WORD_LISTS)


@pytest.mark.parametrize("name, iso3", [("Jordan", "JOR"), ("Mexico", "MEX"), ("Lebanon", "LBN"), ("Holland", "NLD")])
def test_a_state_is_placed_at_its_capital_not_at_a_town_of_its_name(gaz, name, iso3):
    town = gaz.city(name)  # a GeoNames town of that name exists, elsewhere
    assert town is not None and town.country != iso3
    assert locate(name) == capital_of(iso3)
    assert gaz.state_named(name).country == iso3


def test_a_capital_or_a_landmark_keeps_its_own_coordinates(gaz):
    la_paz = gaz.city("La Paz")  # Bolivia's seat of government, not its capital in GeoNames (Sucre)
    assert locate("La Paz") == (la_paz.lat, la_paz.lon)
    assert gaz.state_named("La Paz") is None and gaz.state_named("Moscow") is None
    square = gaz.listed_place("Kim Il Sung Square")
    assert square is not None and locate("Kim Il Sung Square") == (square.lat, square.lon)


@pytest.mark.parametrize("surface, beginnings", [
    ("Kim Jong-un", ["Kim", "Kim Jong", "Kim Jong-"]),
    ("the U.S. State Department", ["U", "U.", "U.S", "U.S.", "U.S. State", "US State"]),
    ("Workers' Party of Korea", ["Workers", "Workers'", "WORKERS' PARTY", "workers party of"]),
])
def test_gazetteer_may_continue_every_beginning_of_an_alias(gaz, surface, beginnings):
    assert gaz.aliases(surface) or gaz.actor(surface)
    for b in beginnings:
        assert gaz.may_continue(b), b


@pytest.mark.parametrize("surface", ["the talks", "Moscow said", "Kim Jong-un met", "North Korea's missile"])
def test_gazetteer_may_not_continue_past_every_alias(gaz, surface):
    assert not gaz.may_continue(surface)


def test_gazetteer_may_continue_any_key_outside_ascii(gaz):
    assert gaz.may_continue("ΟΔΟΣ")  # lower-casing a final sigma depends on what follows
