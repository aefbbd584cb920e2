"""WARC files (read with warcio): the HTML pages of a crawl's response records.

A news-crawl archive holds requests, responses, metadata and pages of every kind; only
``response`` records with HTTP status 200 and an HTML content type are articles.  The
record's WARC-Date is when the page was fetched.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from kit.add.fetch import Response

HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_warc(path: Path) -> bool:
    """A WARC file by its name, or by its first bytes (gzipped or not)."""
    return path.name.lower().endswith((".warc", ".warc.gz")) or _head(path) == b"WARC/"


def _head(path: Path) -> bytes:
    """The first five bytes of the file, gunzipped if it is gzipped (b"" if unreadable)."""
    import gzip

    try:
        with path.open("rb") as fh:
            start = fh.read(2)
            fh.seek(0)
            return gzip.GzipFile(fileobj=fh).read(5) if start == b"\x1f\x8b" else fh.read(5)
    except (OSError, EOFError, zlib.error):
        return b""


def pages(path: Path, max_bytes: int) -> Iterator[Response | tuple[str, str]]:
    """Each HTML page of the archive as a ``Response``, or (where, reason) for a page that
    cannot be used (too large); raise ``ValueError`` naming the file when it is no WARC."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if _head(path) != b"WARC/":  # warcio would read some other text as a record
        raise ValueError("not a WARC file: it does not start with 'WARC/' (gzipped or not)")
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                status = record.http_headers.get_statuscode()
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                ctype = headers.get("content-type", "").split(";")[0].strip().lower()
                if status != "200" or ctype not in HTML_TYPES:
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield (f"{path} {url}", f"the page is larger than the limit of "
                                            f"{max_bytes:,} bytes (--max-bytes)")
                    continue
                fetched = record.rec_headers.get_header("WARC-Date") or ""
                yield Response(url, 200, headers, body, fetched[:19] + "Z" if fetched else "")
    except (ArchiveLoadFailed, EOFError, zlib.error) as err:
        raise ValueError(f"not a readable WARC file: {err or type(err).__name__}") from None
