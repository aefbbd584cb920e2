"""``kit add``: articles from URLs, feeds and WARC files into a corpus folder, fetched
politely from a local site on 127.0.0.1 (tests/local_site.py; no outside network)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from local_site import Route, Site, article

from kit.add import AddError, CorpusWriteError, Fetcher, add, read_sources
from kit.add.corpus import RAW_FOLDER
from kit.cli import main
from kit.load import load_corpus

FERRY = article("Ferry crews end strike after 11 days",
                "Ferry crews in Tarnby returned to work on Thursday after an 11-day strike "
                "that cancelled 380 sailings, the operator said.",
                "The union said 1,450 members had voted, and 71 percent backed the deal.")
MARKET = article("Market hall to close for 18 months",
                 "The Tarnby market hall will close for 18 months from June while its roof "
                 "is replaced, the council said, and its 64 traders will move to the quay.",
                 author="Piet Albrand", date="2026-04-05")
DAM = article("Dam repairs to cost 12 million",
              "Repairs to the Hollin dam will cost 12 million crowns, twice the first "
              "estimate, engineers told councillors on Monday.", date="2026-04-07")
ROBOTS = Route(b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"})


def fast(**kw) -> Fetcher:
    """A fetcher with short waits (the defaults are for real sites)."""
    return Fetcher(**{"timeout": 2.0, "retries": 2, "backoff": 0.02, "delay": 0.0, **kw})


def rows(corpus: Path) -> list[dict]:
    with (corpus / "sources.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run(sources: list[str], corpus: Path, **kw):
    return add(read_sources(sources), corpus, fast(**kw))


# --------------------------------------------------------------------------- pages


def test_a_page_is_stored_as_text_raw_page_and_sources_row_and_loaded_once(tmp_path):
    with Site({"/robots.txt": ROBOTS, "/news/ferry-strike-ends": Route(FERRY)}) as site:
        out = run([site.url("/news/ferry-strike-ends")], tmp_path)
    assert out.added == ["127-ferry-strike-ends.txt"] and not out.failed
    text = (tmp_path / "127-ferry-strike-ends.txt").read_text(encoding="utf-8")
    assert text.startswith("Ferry crews end strike after 11 days\n\nFerry crews in Tarnby")
    assert "1,024 partners" not in text and "250,000" not in text
    assert (tmp_path / RAW_FOLDER / "127-ferry-strike-ends.html").read_bytes() == FERRY
    [row] = rows(tmp_path)
    assert row["file"] == "127-ferry-strike-ends.txt"
    assert (row["title"], row["byline"], row["published"], row["outlet"]) == (
        "Ferry crews end strike after 11 days", "Rosa Delacourt", "2026-04-02",
        "The Tarnby Sentinel")
    assert row["url"] == site.url("/news/ferry-strike-ends")
    assert row["fetched"].endswith("Z") and len(row["sha256"]) == 64
    articles = load_corpus(tmp_path)
    assert len(articles) == 1 and articles.attrs["problems"] == []
    assert articles["text"].iloc[0] == text and articles["byline"].iloc[0] == "Rosa Delacourt"


def test_requests_name_the_kit_and_robots_txt_is_read_before_the_page(tmp_path):
    with Site({"/robots.txt": ROBOTS, "/a": Route(FERRY)}) as site:
        run([site.url("/a")], tmp_path)
    assert site.paths() == ["/robots.txt", "/a"]
    assert all(h.user_agent.startswith("estimates-kit/") for h in site.hits)


def test_a_redirect_is_followed_and_the_final_url_recorded(tmp_path):
    with Site({"/old": lambda: Route(status=301, headers={"Location": "/new"}),
               "/new": Route(MARKET)}) as site:
        out = run([site.url("/old")], tmp_path)
        assert len(out.added) == 1
        assert rows(tmp_path)[0]["url"] == site.url("/new")
        again = run([site.url("/new")], tmp_path)  # known by its final URL: not fetched
    assert again.duplicates and site.paths().count("/new") == 1


def test_a_page_robots_txt_disallows_is_never_requested(tmp_path):
    with Site({"/robots.txt": ROBOTS, "/private/memo": Route(DAM), "/a": Route(FERRY)}) as site:
        out = run([site.url("/private/memo"), site.url("/a")], tmp_path)
    assert out.failed == [(site.url("/private/memo"), "disallowed by the site's robots.txt")]
    assert "/private/memo" not in site.paths() and len(out.added) == 1


def test_an_unreachable_robots_txt_disallows_the_host(tmp_path):
    with Site({"/robots.txt": Route(status=500), "/a": Route(FERRY)}) as site:
        out = run([site.url("/a")], tmp_path, retries=0)
    assert out.failed[0][1] == "disallowed by the site's robots.txt"
    assert "/a" not in site.paths()


def test_a_slow_host_times_out_after_its_retries_and_is_reported(tmp_path):
    with Site({"/slow": Route(FERRY, delay=1.5)}) as site:
        out = run([site.url("/slow")], tmp_path, timeout=0.3, retries=1)
    assert out.failed == [(site.url("/slow"), "timed out after 2 tries (0.3 s each)")]
    assert site.paths().count("/slow") == 2 and not (tmp_path / "sources.csv").exists()


def test_a_failing_host_is_retried_with_growing_back_off_then_reported(tmp_path):
    with Site({"/down": Route(b"oops", status=503)}) as site:
        out = run([site.url("/down")], tmp_path, retries=3, backoff=0.1)
    assert out.failed == [(site.url("/down"), "HTTP 503 after 4 tries")]
    starts = [h.start for h in site.hits if h.path == "/down"]
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(gaps) == 3 and gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4


def test_a_retry_that_succeeds_adds_the_page(tmp_path):
    answers = iter([Route(status=502), Route(FERRY)])
    with Site({"/flaky": lambda: next(answers)}) as site:
        out = run([site.url("/flaky")], tmp_path)
    assert len(out.added) == 1 and not out.failed


def test_a_page_over_the_size_limit_is_refused_by_length_or_while_read(tmp_path):
    big = FERRY + b"<!-- " + b"x" * 5000 + b" -->"
    with Site({"/big": Route(big), "/stream": Route(big, chunked=True)}) as site:
        out = run([site.url("/big"), site.url("/stream")], tmp_path, max_bytes=4000)
    assert [why for _, why in out.failed] == [
        f"the page is {len(big):,} bytes, larger than the limit of 4,000 (--max-bytes)",
        "the page is larger than the limit of 4,000 bytes (--max-bytes)"]
    assert not out.added


def test_requests_to_one_host_are_one_at_a_time_and_spaced_by_the_delay(tmp_path):
    with Site({"/a": Route(FERRY), "/b": Route(MARKET), "/c": Route(DAM)}) as site:
        run([site.url("/a"), site.url("/b"), site.url("/c")], tmp_path, delay=0.25)
    assert site.most_busy == 1
    ends_starts = [(a.end, b.start) for a, b in zip(site.hits, site.hits[1:])]
    assert all(start - end >= 0.2 for end, start in ends_starts)


def test_a_non_html_answer_is_reported_not_stored(tmp_path):
    with Site({"/photo.jpg": Route(b"\xff\xd8\xff", headers={"Content-Type": "image/jpeg"})}) \
            as site:
        out = run([site.url("/photo.jpg")], tmp_path)
    assert out.failed == [(site.url("/photo.jpg"), "not a web page (content type image/jpeg)")]


# --------------------------------------------------------------------------- feeds


def rss(site: Site, *paths: str) -> bytes:
    items = "".join(f"<item><title>Story {i}</title><link>{site.url(p)}</link>"
                    f"<pubDate>Thu, 0{i + 1} Apr 2026 08:00:00 GMT</pubDate></item>"
                    for i, p in enumerate(paths))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Tarnby news</title>'
            f"<link>{site.url('/')}</link><description>News</description>{items}"
            f"</channel></rss>").encode()


def atom(site: Site, *paths: str) -> bytes:
    entries = "".join(f"<entry><title>Entry {i}</title><link href=\"{site.url(p)}\"/>"
                      f"<id>urn:x:{i}</id><updated>2026-04-0{i + 1}T08:00:00Z</updated>"
                      f"<author><name>Desk {i}</name></author></entry>"
                      for i, p in enumerate(paths))
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Tarnby</title><id>urn:x</id><updated>2026-04-09T00:00:00Z</updated>"
            f"{entries}</feed>").encode()


def test_an_rss_feed_adds_the_page_of_each_entry(tmp_path):
    routes = {"/a": Route(FERRY), "/b": Route(MARKET)}
    with Site(routes) as site:
        routes["/feed.xml"] = Route(rss(site, "/a", "/b"),
                                    headers={"Content-Type": "application/rss+xml"})
        out = run([site.url("/feed.xml")], tmp_path)
    assert len(out.added) == 2 and not out.failed
    assert {r["title"] for r in rows(tmp_path)} == {"Ferry crews end strike after 11 days",
                                                    "Market hall to close for 18 months"}


def test_an_atom_feed_adds_its_entries_with_the_feeds_metadata_where_the_page_has_none(
        tmp_path):
    bare = b"<html><body><article><p>" + b"The council said 45 street lamps were " \
           b"replaced on the quay this week, at a cost of 9,000 crowns. " * 3 + \
           b"</p></article></body></html>"
    routes = {"/a": Route(DAM), "/bare": Route(bare)}
    with Site(routes) as site:
        routes["/atom"] = Route(atom(site, "/a", "/bare"),
                                headers={"Content-Type": "application/atom+xml"})
        out = run([site.url("/atom")], tmp_path)
    assert len(out.added) == 2
    by_url = {r["url"]: r for r in rows(tmp_path)}
    bare_row = by_url[site.url("/bare")]
    assert (bare_row["title"], bare_row["byline"], bare_row["published"]) == (
        "Entry 1", "Desk 1", "2026-04-02")
    assert by_url[site.url("/a")]["title"] == "Dam repairs to cost 12 million"  # the page wins


def test_a_feed_saved_as_a_file_is_read_from_disk(tmp_path):
    with Site({"/a": Route(FERRY)}) as site:
        feed = tmp_path / "saved-feed.xml"
        feed.write_bytes(rss(site, "/a"))
        out = run([str(feed)], tmp_path / "corpus")
    assert len(out.added) == 1 and site.paths() == ["/robots.txt", "/a"]


# --------------------------------------------------------------------------- WARC


def write_warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    """A gzipped WARC of (url, content type, body) responses and one request record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        request = writer.create_warc_record(records[0][0], "request", payload=io.BytesIO(
            b"GET / HTTP/1.1\r\nHost: tarnby.example\r\n\r\n"))
        writer.write_record(request)
        for url, ctype, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-04-08T06:30:00Z"}))


def test_a_warc_file_adds_its_html_responses_only(tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    write_warc(crawl, [("https://tarnby.example/news/ferry", "text/html; charset=utf-8", FERRY),
                       ("https://tarnby.example/logo.png", "image/png", b"\x89PNG..."),
                       ("https://tarnby.example/news/market", "text/html", MARKET)])
    out = add(read_sources([str(crawl)]), tmp_path / "corpus", fast())
    assert out.added == ["tarnby-ferry.txt", "tarnby-market.txt"] and not out.failed
    found = rows(tmp_path / "corpus")
    assert [r["fetched"] for r in found] == ["2026-04-08T06:30:00Z"] * 2
    assert found[0]["url"] == "https://tarnby.example/news/ferry"
    assert len(load_corpus(tmp_path / "corpus")) == 2


def test_a_broken_warc_file_is_reported_with_its_name_and_the_rest_still_added(tmp_path):
    good, bad = tmp_path / "good.warc.gz", tmp_path / "broken.warc.gz"
    write_warc(good, [("https://tarnby.example/news/dam", "text/html", DAM)])
    bad.write_bytes(b"<html>saved under the wrong name</html>")
    out = add(read_sources([str(bad), str(good)]), tmp_path / "corpus", fast())
    assert [what for what, _ in out.failed] == [str(bad)]
    assert out.failed[0][1] == "not a WARC file: it does not start with 'WARC/' (gzipped or not)"
    assert out.added == ["tarnby-dam.txt"]


def test_a_file_that_is_no_warc_feed_or_url_list_is_a_usage_error_naming_its_line(tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# my list\nhttps://tarnby.example/a\n\nftp://tarnby.example/b\n",
                    encoding="utf-8")
    with pytest.raises(AddError, match=r"urls.txt line 4: not an http\(s\) URL: 'ftp://"):
        read_sources([str(urls)])
    with pytest.raises(AddError, match="no such file, and not an http"):
        read_sources([str(tmp_path / "missing.txt")])


def test_a_file_of_urls_is_read_one_url_a_line(tmp_path):
    with Site({"/a": Route(FERRY), "/b": Route(MARKET)}) as site:
        urls = tmp_path / "urls.txt"
        urls.write_text(f"# morning list\n{site.url('/a')}\n\n{site.url('/b')}\n",
                        encoding="utf-8")
        out = run([str(urls)], tmp_path / "corpus")
    assert len(out.added) == 2


# --------------------------------------------------------------------------- duplicates


def test_the_same_url_twice_is_added_once_and_not_fetched_again(tmp_path):
    with Site({"/a": Route(FERRY)}) as site:
        out = run([site.url("/a"), site.url("/a") + "#comments"], tmp_path)
        later = run([site.url("/a")], tmp_path)
    assert len(out.added) == 1 and len(out.duplicates) == 1
    assert later.duplicates == [(site.url("/a"), out.added[0])] and not later.added
    assert site.paths().count("/a") == 1 and len(rows(tmp_path)) == 1


def test_the_same_text_at_two_urls_is_added_once(tmp_path):
    with Site({"/news/ferry": Route(FERRY), "/amp/ferry": Route(FERRY)}) as site:
        out = run([site.url("/news/ferry"), site.url("/amp/ferry")], tmp_path)
    assert len(out.added) == 1
    assert out.duplicates == [(site.url("/amp/ferry"), out.added[0])]
    assert len(load_corpus(tmp_path)) == 1


def test_an_analysts_own_article_with_the_same_text_counts_as_a_duplicate(tmp_path):
    with Site({"/a": Route(DAM)}) as site:
        run([site.url("/a")], tmp_path / "first")
        text = next((tmp_path / "first").glob("*.txt")).read_text(encoding="utf-8")
        mine = tmp_path / "mine"
        mine.mkdir()
        (mine / "dam.txt").write_text(text, encoding="utf-8")
        (mine / "sources.csv").write_text("file,outlet\ndam.txt,My notes\n", encoding="utf-8")
        out = run([site.url("/a")], mine)
    assert out.duplicates == [(site.url("/a"), "dam.txt")]


# --------------------------------------------------------------------------- sources.csv


def test_rows_and_columns_already_in_sources_csv_are_kept_and_read_without_problem(tmp_path):
    (tmp_path / "own.txt").write_text("Police said 40 people were arrested.", encoding="utf-8")
    (tmp_path / "sources.csv").write_text(
        "File,Outlet,published,notes\nown.txt,The Quay Bugle,2026-03-01,checked by phone\n",
        encoding="utf-8")
    with Site({"/a": Route(FERRY)}) as site:
        run([site.url("/a")], tmp_path)
    lines = (tmp_path / "sources.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "File,Outlet,published,notes,title,byline,url,fetched,sha256"
    assert lines[1] == "own.txt,The Quay Bugle,2026-03-01,checked by phone,,,,,"
    articles = load_corpus(tmp_path)
    assert len(articles) == 2
    assert [p["reason"] for p in articles.attrs["problems"]] == [
        "unknown column(s) ignored: notes (known: file, outlet, title, byline, published, "
        "url, fetched, sha256)"]  # the analyst's column, not ours


def test_a_crash_while_writing_sources_csv_leaves_the_old_file_whole(tmp_path, monkeypatch):
    import kit.output.atomic

    with Site({"/a": Route(FERRY), "/b": Route(MARKET)}) as site:
        run([site.url("/a")], tmp_path)
        before = (tmp_path / "sources.csv").read_bytes()
        real = kit.output.atomic.os.replace

        def crash(src, dst):
            if str(dst).endswith("sources.csv"):
                raise OSError(28, "No space left on device")
            return real(src, dst)

        monkeypatch.setattr(kit.output.atomic.os, "replace", crash)
        with pytest.raises(CorpusWriteError, match="No space left"):
            run([site.url("/b")], tmp_path)
    assert (tmp_path / "sources.csv").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kit-tmp-")]


def test_a_text_file_left_without_its_row_by_a_crash_is_taken_over_not_doubled(tmp_path):
    with Site({"/a": Route(FERRY)}) as site:
        first = run([site.url("/a")], tmp_path)
        (tmp_path / "sources.csv").unlink()  # as if the run died before writing its row
        again = run([site.url("/a")], tmp_path)
    assert again.added == first.added
    assert sorted(p.name for p in tmp_path.glob("*.txt")) == first.added
    assert len(rows(tmp_path)) == 1


def test_a_sources_csv_without_a_file_column_stops_the_run_before_any_fetch(tmp_path):
    (tmp_path / "sources.csv").write_text("name,outlet\na.txt,X\n", encoding="utf-8")
    with Site({"/a": Route(FERRY)}) as site, pytest.raises(CorpusWriteError,
                                                           match="no 'file' column"):
        run([site.url("/a")], tmp_path)
    assert site.hits == []


# --------------------------------------------------------------------------- command line


def test_the_command_prints_a_summary_and_exits_by_what_happened(tmp_path, capsys):
    opts = ["--retries", "0", "--backoff", "0", "--delay", "0", "--timeout", "2"]
    with Site({"/a": Route(FERRY), "/down": Route(status=500)}) as site:
        corpus = tmp_path / "corpus"
        assert main(["add", site.url("/a"), "--to", str(corpus), *opts]) == 0
        out, err = capsys.readouterr()
        assert out.strip() == str(corpus / "127-a.txt")
        assert err.strip() == f"kit add: added 1, duplicates 0, failed 0 into {corpus}"
        assert main(["add", site.url("/a"), site.url("/down"), "--to", str(corpus), *opts]) == 3
        err = capsys.readouterr().err
        assert f"kit add: failed: {site.url('/down')}: HTTP 500 after 1 tries" in err
        assert err.strip().splitlines()[-1] == (
            f"kit add: added 0, duplicates 1, failed 1 into {corpus}")
        assert main(["add", site.url("/down"), "--to", str(corpus), *opts]) == 1
        assert "failed 1" in capsys.readouterr().err
        assert main(["add", site.url("/a"), "--to", str(corpus), "--quiet", *opts]) == 0
        assert capsys.readouterr().err == ""


@pytest.mark.parametrize("args, message", [
    (["nowhere.txt"], "nowhere.txt: no such file, and not an http(s) URL"),
    (["http://127.0.0.1:9/a", "--timeout", "0"], "--timeout must be a number above 0"),
    (["http://127.0.0.1:9/a", "--retries", "x"], "--retries must be a number of 0 or more"),
])
def test_bad_usage_exits_2_naming_the_source_or_option(tmp_path, capsys, args, message):
    assert main(["add", *args, "--to", str(tmp_path / "c")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_a_corpus_path_that_is_a_file_exits_1_naming_it(tmp_path, capsys):
    (tmp_path / "c").write_text("x", encoding="utf-8")
    assert main(["add", "http://127.0.0.1:9/a", "--to", str(tmp_path / "c")]) == 1
    assert f"--to {tmp_path / 'c'}: not a folder" in capsys.readouterr().err


# --------------------------------------------------------------------------- kit report --if-changed


def test_the_report_hash_changes_when_an_article_is_added_not_when_all_were_there(tmp_path):
    from kit.report.run import run_hash

    with Site({"/a": Route(FERRY), "/b": Route(MARKET)}) as site:
        run([site.url("/a")], tmp_path)
        first = run_hash(tmp_path, {})
        run([site.url("/a")], tmp_path)  # a duplicate: nothing written
        assert run_hash(tmp_path, {}) == first
        run([site.url("/b")], tmp_path)
    assert run_hash(tmp_path, {}) != first
