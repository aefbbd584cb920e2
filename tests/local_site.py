"""A web site for tests on 127.0.0.1 only (an ephemeral port, a thread of this process):
routes of canned answers, slow or failing ones, and a log of every request."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0  # seconds before answering
    chunked: bool = False  # no Content-Length: the body is streamed until the end


@dataclass
class Hit:
    path: str
    user_agent: str
    start: float
    end: float = 0.0


class Site:
    """``with Site(routes) as site``: ``site.url("/a")``; ``site.hits`` the requests."""

    def __init__(self, routes: dict[str, Route | Callable[[], Route]]):
        self.routes = routes
        self.hits: list[Hit] = []
        self.busy = 0
        self.most_busy = 0
        self._guard = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server name
                site._serve(self)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]

    def __enter__(self) -> Site:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        hit = Hit(handler.path, handler.headers.get("User-Agent", ""), time.monotonic())
        with self._guard:
            self.hits.append(hit)
            self.busy += 1
            self.most_busy = max(self.most_busy, self.busy)
        try:
            route = self.routes.get(handler.path.split("?")[0])
            if callable(route):
                route = route()
            if route is None:
                route = Route(b"not found", 404, {"Content-Type": "text/plain"})
            time.sleep(route.delay)
            with contextlib.suppress(OSError):  # the client may have given up (a timeout)
                handler.send_response(route.status)
                for key, value in route.headers.items():
                    handler.send_header(key, value)
                if route.chunked:
                    handler.send_header("Connection", "close")
                    handler.end_headers()
                    handler.wfile.write(route.body)
                    handler.close_connection = True
                else:
                    handler.send_header("Content-Length", str(len(route.body)))
                    handler.end_headers()
                    handler.wfile.write(route.body)
        finally:
            with self._guard:
                self.busy -= 1
                hit.end = time.monotonic()


def article(title: str, *paragraphs: str, author: str = "Rosa Delacourt",
            date: str = "2026-04-02", site: str = "The Tarnby Sentinel",
            canonical: str | None = None) -> bytes:
    """An invented news page with the usual furniture around the article."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title><meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}T09:00:00Z">{link}</head>
<body><div class="cookies">We and our 1,024 partners use cookies.</div>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>{body}</article>
<aside><h3>Top 10 stories</h3><ol><li>Gala raises 3,000 for the lifeboat</li></ol></aside>
<footer>Join 250,000 readers of our morning email.</footer></body></html>""".encode()
