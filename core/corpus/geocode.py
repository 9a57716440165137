"""Optional online geocoding for places the offline gazetteer has no coordinates for.

Off by default (the dashboard must work with no network). Turned on with
`NEWSDASH_GEOCODER=nominatim` or `extract --geocode`; every answer, found or not, is cached on
disk, requests are rate-limited (Nominatim asks for one per second) and time out quickly, and
the first network failure stops the lookups for the rest of the batch with one clear message.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter

from core.corpus.cache import default_cache_dir
from core.errors import FetchError

USER_AGENT = "newsdash-geocoder"


def enabled_from_env() -> bool:
    """True when env NEWSDASH_GEOCODER asks for online geocoding ("nominatim")."""
    return os.environ.get("NEWSDASH_GEOCODER", "").lower() == "nominatim"


class Geocoder:
    """name -> (lat, lon) through an online geocoder, cached in a JSON file.

    `service` is any object with geopy's `geocode(query, timeout=...)`; by default Nominatim.
    """

    def __init__(self, *, service=None, cache_path=None, timeout: float = 5.0, min_delay: float = 1.0):
        if service is None:
            from geopy.geocoders import Nominatim

            service = Nominatim(user_agent=USER_AGENT, timeout=timeout)
        self.timeout = timeout
        self._lookup = RateLimiter(service.geocode, min_delay_seconds=min_delay, max_retries=0,
                                   swallow_exceptions=False)
        self.cache_path = Path(cache_path) if cache_path else default_cache_dir() / "geocode.json"
        try:
            self.cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.cache = {}

    def locate(self, name: str) -> tuple[float, float] | None:
        """(lat, lon) of `name`, or None when the service does not know it.

        Raises FetchError (naming the place and the cause) when the service cannot be reached.
        """
        if name in self.cache:
            hit = self.cache[name]
            return tuple(hit) if hit else None
        try:
            loc = self._lookup(name, timeout=self.timeout)
        except (GeopyError, OSError) as exc:
            raise FetchError(f"geocoding {name!r} failed: {type(exc).__name__}: {exc}") from exc
        self.cache[name] = [loc.latitude, loc.longitude] if loc is not None else None
        return tuple(self.cache[name]) if self.cache[name] else None

    def save(self) -> None:
        """Write the cache atomically (a failed write only loses this batch's answers)."""
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.cache, f)
            os.replace(tmp, self.cache_path)
        except OSError:
            pass


def fill_coordinates(places: pd.DataFrame, geocoder: Geocoder) -> tuple[pd.DataFrame, list[str]]:
    """(places with missing lat/lon looked up, warnings). Stops at the first network failure."""
    out = places.copy()
    warnings = []
    for i in out.index[out["lat"].isna()]:
        try:
            hit = geocoder.locate(str(out.at[i, "name"]))
        except FetchError as exc:
            warnings.append(f"{exc}; online geocoding skipped for the remaining places")
            break
        if hit is not None:
            out.at[i, "lat"], out.at[i, "lon"] = hit
    geocoder.save()
    return out, warnings
