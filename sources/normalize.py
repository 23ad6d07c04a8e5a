"""URL normalisation for sources, so one document is one Source however it was linked.

The rules are mirrored by the `source_url_normalised` check constraint on `Source.url`; keep the
two in step (tests/sources/test_models.py proves the database refuses what this would change).
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError

# Query parameters that identify a campaign or a click, never the document.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}

INVALID_URL = "Enter an absolute http:// or https:// URL."


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def normalize_url(url: str) -> str:
    """Return the canonical form of `url`.

    Lower-case scheme and host, no user info, no default port, no fragment, no tracking
    parameters, no trailing slash except for the root path. Raises ValidationError when `url` is
    not an absolute http(s) URL.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ValidationError(INVALID_URL, code="invalid") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise ValidationError(INVALID_URL, code="invalid")
    if ":" in host:  # IPv6 literal: urlsplit strips the brackets
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not is_tracking_parameter(key)
        ]
    )
    return urlunsplit((scheme, netloc, path, query, ""))
