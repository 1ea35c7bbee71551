"""Where a document comes from: its URL's host and registered domain, found with the public
suffix list snapshot bundled in `tldextract` (never fetched), so `ncbi.nlm.nih.gov` → `nih.gov`."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import tldextract


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() and no cache dir: only the snapshot shipped in the package, no network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def host_of(url: str) -> str | None:
    """The URL's host name, lower-cased, without a leading `www.` (None if the URL has none)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def registered_domain(url: str) -> str | None:
    """The domain a registrant owns (`nih.gov`, `bbc.co.uk`); an IP or bare host is kept."""
    host = host_of(url)
    if host is None:
        return None
    parts = _extractor()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    return host
