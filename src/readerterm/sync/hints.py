"""What a sync URL and a failed reply say about where the API really is: the server's
name for messages, the API URL a user copied with a client's suffix made whole, and a hint
naming the right URL when the one given is another API, the web interface or no API.

These replies cannot change by trying again, so their messages tell the user what to fix
instead of "try again later" or "wrong password?" (which sent users chasing the password
for a URL mistake).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urljoin, urlsplit

_CLIENT_SUFFIX = re.compile(r"(/reader/api/0)/*$", re.IGNORECASE)
_AFTER_SCRIPT = re.compile(r"/(greader|fever)\.php/+[^/]", re.IGNORECASE)
_FRESHRSS_API_OFF = b"Service Unavailable!"
"""The whole body FreshRSS's greader.php and fever.php send (with HTTP 503) when an
administrator has not allowed API access (`api_enabled` false in its config.php)."""
_FRESHRSS_API_PAGE = b"<title>FreshRSS API endpoints</title>"


def without_credentials(url: str) -> str:
    """`url` without a `user:password@` before its host, for messages and the stored
    account: cut at the last "@", as a password may hold "@" (or, written unescaped, "/",
    "?" or "#"); an "@" after a plain host and port ("/@name", "?to=a@b") is kept."""
    head, sep, tail = url.partition("//")
    at = tail.rfind("@")
    if not sep or at < 0:
        return url
    end = min((i for i in map(tail.find, "/?#") if i >= 0), default=len(tail))
    if end < at:  # the "@" is past the first "/", "?" or "#": a password's, or a path's
        first = tail[:end]
        if ":" not in first or first.rpartition(":")[2].isdigit():
            return url  # a host, or a host and its port: the "@" is the path's
    return f"{head}//{tail[at + 1 :]}"


def account_url(url: str, kind: str) -> str:
    """The URL that names a sync account: the API's as the client asks it (`api_url`),
    without credentials, so dropping a client's suffix is no change of account."""
    return api_url(without_credentials(url.strip()), kind)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_server(stored: str, given: str) -> bool:
    """Whether two account URLs name one server, read as the server reads them
    (`server_address`): a trailing slash or "HTTP://" is no switch of account, which would
    drop the decisions waiting to be sent. (Also for accounts stored by earlier versions,
    as written.)"""
    return server_address(stored) == server_address(given)


def server_address(url: str) -> str:
    """`url` as the server reads it: scheme and host in lower case, this machine's names
    as one, the scheme's own port left out, doubled and trailing slashes dropped."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:  # (a port that is no number: compared as written)
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    host = "localhost" if is_loopback(host) else host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    return f"{scheme}://{host}{path}" + (f"?{parts.query}" if parts.query else "")


def is_loopback(host: str) -> bool:
    """Whether `host` (a URL's host name) is this machine: localhost, 127/8 or ::1."""
    name = host.rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def server_name(url: str) -> str:
    """The server software for messages, when the API URL shows it; else neutral."""
    path = urlsplit(url).path.lower()
    if "greader.php" in path or "fever.php" in path:
        return "FreshRSS"
    if path.rstrip("/").endswith("/fever"):
        return "Miniflux"  # Miniflux serves Fever under /fever/
    return "The server"


def api_url(url: str, kind: str) -> str:
    """The Google Reader API URL without the `/reader/api/0` a client appends to it (a
    URL copied with it made every request go to …/reader/api/0/reader/api/0/…, which
    FreshRSS refuses with 401 as if the password were wrong)."""
    if kind != "greader":
        return url
    parts = urlsplit(url)
    path = _CLIENT_SUFFIX.sub("", parts.path)
    if path == parts.path:
        return url
    return parts._replace(path=path or "/").geturl()


def _with_script(url: str, script: str) -> str:
    """`url` with its FreshRSS API script (greader.php, fever.php) and anything after it
    replaced by `script`."""
    parts = urlsplit(url)
    head = re.split(r"(?i)(greader|fever)\.php", parts.path, maxsplit=1)[0]
    return parts._replace(path=head + script).geturl()


def url_problem(url: str, kind: str) -> str | None:
    """What is wrong with the API URL for `kind`, with the right one, if the URL shows it."""
    path = urlsplit(url).path.lower()
    if kind == "fever" and "greader.php" in path:
        good = _with_script(url, "fever.php")
        return f'FreshRSS\'s Fever API is at {good} (or set service = "greader")'
    if kind == "greader" and "fever.php" in path:
        good = _with_script(url, "greader.php")
        return f'FreshRSS\'s Google Reader API is at {good} (or set service = "fever")'
    if _AFTER_SCRIPT.search(path):
        script = "greader.php" if "greader.php" in path else "fever.php"
        return f"the URL must end at {script}: use {_with_script(url, script)}"
    return None


def api_turned_off(status: int, body: bytes) -> bool:
    """Whether the reply is FreshRSS saying its API access is turned off."""
    return status == 503 and body.strip() == _FRESHRSS_API_OFF


def freshrss_site(url: str, status: int, location: str, body: bytes) -> str | None:
    """The address of the FreshRSS site when `url` is its web interface (which redirects
    to its …/i/ pages) or its page listing the API addresses; else None."""
    parts = urlsplit(url)
    if 300 <= status < 400 and location:
        target = urlsplit(urljoin(url, location))
        same_site = (target.scheme, target.netloc) == (parts.scheme, parts.netloc)
        if same_site and target.path.endswith("/i/") and target.query.startswith("rid="):
            return parts._replace(path=target.path[: -len("i/")]).geturl()
    if status == 200 and _FRESHRSS_API_PAGE in body[:2000]:
        path = parts.path.rstrip("/")
        path = path[: -len("/api")] if path.endswith("/api") else path.rpartition("/api/")[0]
        return parts._replace(path=path + "/").geturl()
    return None


def api_of_site(site: str, kind: str) -> str:
    """FreshRSS's URL of the API `kind` on the FreshRSS site at `site`."""
    script = "greader.php" if kind == "greader" else "fever.php"
    return f"{site.rstrip('/')}/api/{script}"


def what_it_looks(body: bytes, kind: str) -> str:
    """What a reply that is not the API's looks like, for a message."""
    start = body.lstrip()[:200].lower()
    if not start:
        return "an empty reply"
    if start.startswith((b"<!doctype html", b"<html")) or b"<body" in start:
        return "an HTML page"
    if kind == "greader" and start.startswith(b"{") and b'"api_version"' in start:
        return "a Fever API reply"
    return "something else"
