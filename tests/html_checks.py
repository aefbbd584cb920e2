"""Checks of HTML the kit writes: offline (no script, no remote resource), no active
markup an attacker could use, and the SVG charts embedded in a report page."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser


def assert_offline(page: str) -> None:
    """No script, no remote resource: nothing in the page can reach the network."""
    assert "<script" not in page.lower()
    assert not re.search(r"""<(link|iframe|object|embed|audio|video|source|base)\b""", page, re.IGNORECASE)
    for img in re.findall(r"<img\b[^>]*>", page, re.IGNORECASE):  # charts: SVG as data: URI only
        assert re.search(r'\ssrc="data:image/svg\+xml;base64,', img), img[:200]
    assert not re.search(r"""(src|srcset|poster|data)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page, re.IGNORECASE)
    assert "Content-Security-Policy" in page


class _Audit(HTMLParser):
    """Collects every active element or attribute an attacker could use."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "base", "form", "link", "meta") and \
                not (tag == "meta" and dict(attrs).get("http-equiv") in
                     ("Content-Security-Policy",)) and \
                not (tag == "meta" and set(dict(attrs)) & {"charset", "name"}):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                ok = value.startswith(("https://", "http://", "#", "data:image/svg+xml;base64,",
                                       "estimates.", "runs.jsonl"))
                if not ok or (tag != "a" and value.startswith("http")):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")


def markup_problems(page: str) -> list[str]:
    audit = _Audit()
    audit.feed(page)
    return audit.problems


def chart_svgs(page: str) -> list[str]:
    """The SVG charts of a report page (nbconvert embeds them as data: URIs)."""
    return [base64.b64decode(b).decode("utf-8")
            for b in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)]


PAYLOADS = {
    "script": "<script>window.__pwned=1</script>",
    "endscript": "</script><script>window.__pwned=2</script>",
    "img": '<img src=x onerror="window.__pwned=3">',
    "attr": '" onmouseover="window.__pwned=4" x="',
    "svg": "<svg onload=window.__pwned=5>",
    "comment": "--><script>window.__pwned=6</script><!--",
    "cdata": "]]><script>window.__pwned=7</script>",
}
EVIL = " ".join(PAYLOADS.values())


class ActiveMarkup(HTMLParser):
    """Collects every tag or attribute that could run code or load something."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "img", "iframe", "object", "embed", "svg", "base", "form",
                   "foreignobject", "math", "link"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "xlink:href", "action") and not (value or "").startswith(
                    ("http://", "https://", "#")):
                self.found.append(f"<{tag} {name}={value!r}>")


def active_markup(page: str) -> list[str]:
    p = ActiveMarkup()
    p.feed(page)
    return p.found


def assert_payloads_inert(page: str) -> None:
    """No active markup, no payload verbatim, no javascript: link."""
    assert active_markup(page) == []
    for name, payload in PAYLOADS.items():
        if name != "attr":  # quotes in text content are harmless: ActiveMarkup checks tags
            assert payload not in page
    assert "href=\"javascript" not in page.lower()  # a javascript: URL may show as text only
