"""Polite fetching over HTTP(S): the only place ``kit add`` talks to the network.

* one request at a time (so never two at once to a host), and at least ``delay``
  seconds between two requests to the same host (longer if its robots.txt asks with
  Crawl-delay);
* a User-Agent that names the kit and how to reach its documentation;
* robots.txt honoured (RFC 9309: a missing robots.txt (4xx) allows everything, an
  unreachable one (5xx, no answer) disallows everything on that host);
* redirects followed (at most ``MAX_REDIRECTS``), each hop checked against robots.txt;
* a timeout for each request, retries with exponential back-off for what may pass (a
  timeout, a refused connection, 429 and 5xx answers; a Retry-After of a few seconds is
  honoured), and no retry for what will not (404, a page too large);
* a size limit: a response larger than ``max_bytes`` is refused, by its Content-Length
  before reading it, or as soon as its body passes the limit.

The standard library's HTTP client is enough for one request at a time; it needs no
extra dependency and its redirects are switched off so that each hop is checked here.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from kit import __version__

USER_AGENT = f"estimates-kit/{__version__} (kit add; an analyst's notebook kit fetching news articles)"
#: Robots.txt rules are matched on this name ("User-agent: estimates-kit").
AGENT_NAME = "estimates-kit"
MAX_REDIRECTS = 5
RETRY_STATUS = {429, 500, 502, 503, 504}
#: A Retry-After longer than this is not waited for (the fetch fails with the reason).
MAX_RETRY_AFTER = 30.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class FetchError(Exception):
    """A URL that could not be fetched; the message says why."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    fetched: str  # UTC, ISO 8601 to the second

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                return value.strip().strip('"\'')
        return None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # each hop is followed (and checked) by us
        return None


@dataclass
class Fetcher:
    """Fetches URLs politely; ``sleep`` and ``clock`` are injectable for tests."""
    user_agent: str = USER_AGENT
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    delay: float = 1.0
    max_bytes: int = DEFAULT_MAX_BYTES
    sleep: object = time.sleep
    clock: object = time.monotonic
    _robots: dict = field(default_factory=dict, repr=False)
    _last: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._opener = urllib.request.build_opener(_NoRedirect)

    def get(self, url: str) -> Response:
        """The response of ``url`` after redirects; raise ``FetchError`` with the reason."""
        for _ in range(MAX_REDIRECTS + 1):
            _check_url(url)
            if not self.allowed(url):
                raise FetchError(url, "disallowed by the site's robots.txt")
            resp = self._with_retries(url)
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                url = urljoin(url, resp.headers["location"])
                continue
            if resp.status >= 400:
                raise FetchError(url, f"HTTP {resp.status}")
            return resp
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    # ------------------------------------------------------------------ robots.txt

    def allowed(self, url: str) -> bool:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        return self._robots[origin].can_fetch(AGENT_NAME, url)

    def _read_robots(self, origin: str) -> RobotFileParser:
        rules = RobotFileParser(origin + "/robots.txt")
        url = origin + "/robots.txt"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                resp = self._with_retries(url)
                if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("location"):
                    url = urljoin(url, resp.headers["location"])
                    continue
                break
        except FetchError:
            rules.disallow_all = True  # unreachable: assume every path is disallowed
            return rules
        if resp.status >= 500 or resp.status in (301, 302, 303, 307, 308):
            rules.disallow_all = True
        elif resp.status >= 400:
            rules.allow_all = True
        else:
            rules.parse(resp.body.decode("utf-8", "replace").splitlines())
            rules.modified()  # can_fetch answers only rules read at a known time
        return rules

    def _wait_for(self, origin: str) -> None:
        """Sleep until this host may be asked again."""
        rules = self._robots.get(origin)
        asked = rules.crawl_delay(AGENT_NAME) if rules is not None else None
        gap = max(self.delay, float(asked or 0))
        last = self._last.get(origin)
        if last is not None:
            wait = last + gap - self.clock()
            if wait > 0:
                self.sleep(wait)

    # ------------------------------------------------------------------ requests

    def _with_retries(self, url: str) -> Response:
        tries = self.retries + 1
        for attempt in range(tries):
            wait = self.backoff * 2 ** attempt
            try:
                resp = self._request(url)
            except (OSError, http.client.HTTPException) as err:  # no answer: try again
                reason = _no_answer(err)
                if attempt == tries - 1:
                    timeout = f" ({self.timeout:g} s each)" if reason == "timed out" else ""
                    raise FetchError(url, f"{reason} after {tries} tries{timeout}") from None
                self.sleep(wait)
                continue
            if resp.status not in RETRY_STATUS:
                return resp
            if attempt == tries - 1:
                raise FetchError(url, f"HTTP {resp.status} after {tries} tries")
            after = _retry_after(resp.headers.get("retry-after"))
            if after is not None and after > MAX_RETRY_AFTER:
                raise FetchError(url, f"HTTP {resp.status}; the site asks to retry after "
                                      f"{after:g} s")
            self.sleep(max(wait, after or 0.0))
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(self, url: str) -> Response:
        origin = _origin(url)
        self._wait_for(origin)
        request = urllib.request.Request(url, headers={
            "User-Agent": self.user_agent, "Accept-Encoding": "identity",
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                      "application/atom+xml,application/xml;q=0.9,*/*;q=0.5"})
        try:
            try:
                raw = self._opener.open(request, timeout=self.timeout)
            except urllib.error.HTTPError as err:  # 3xx (not followed here), 4xx, 5xx
                raw = err
            with raw:
                headers = {k.lower(): v for k, v in raw.headers.items()}
                status = raw.status if raw.status is not None else raw.code
                body = self._read(url, raw, headers)
        finally:
            self._last[origin] = self.clock()
        return Response(url, status, headers, body, _utc_now())

    def _read(self, url: str, raw, headers: dict[str, str]) -> bytes:
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(url, f"the page is {int(length):,} bytes, larger than the limit "
                                  f"of {self.max_bytes:,} (--max-bytes)")
        deadline = self.clock() + self.timeout
        chunks, size = [], 0
        while True:
            chunk = raw.read(64 * 1024)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(url, f"the page is larger than the limit of "
                                      f"{self.max_bytes:,} bytes (--max-bytes)")
            if self.clock() > deadline:
                raise TimeoutError
            chunks.append(chunk)


def _no_answer(err: Exception) -> str:
    """Why a request got no answer, in a few words."""
    reason = getattr(err, "reason", err)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return f"no answer ({reason or type(err).__name__})"


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(url, "not an http(s) URL")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), "", "", ""))


def _retry_after(value: str | None) -> float | None:
    """Seconds of a Retry-After header given in seconds (a date is not waited for)."""
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
