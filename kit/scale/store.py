"""The incremental store: each article's sentences and figures, remembered by content.

``STORE/manifest.json`` names the extraction that filled the store (the kit's
version and a hash of its extraction code, the knowledge in force) and its
parts; each part is three Parquet files written by one run: the content hashes
of the articles it extracted (also those with no figure), their sentences and
their figures, each row keyed by ``content_hash``.

An article's content hash covers what its figures depend on: its text and its
outlet (a press release's issuer is its outlet).  A run extracts only the
articles whose hash the store lacks; the rest are read back and given the
article's current id, path and metadata, so a renamed or re-dated file costs
nothing.  A different kit or knowledge empties the store first (everything is
extracted again), as does ``full=True``.  Parts are written to a temporary name
and renamed, the manifest last: a killed run leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kit import schema
from kit.output.atomic import atomic_write

MANIFEST = "manifest.json"
TOOL = "kit store"
#: The figure columns that come from the article, not from its text.
ARTICLE_COLUMNS = ("article_id", "path", "outlet", "published", "url")


class StoreError(Exception):
    """The store folder cannot be used (names it and why)."""


def content_hashes(articles: pd.DataFrame) -> list[str]:
    """The content hash of each article (text and outlet)."""
    out = []
    for text, outlet in zip(articles["text"].tolist(), articles["outlet"].tolist()):
        h = hashlib.sha256(str(text).encode("utf-8", "surrogatepass"))
        h.update(b"\x00" + (outlet if isinstance(outlet, str) else "").encode("utf-8"))
        out.append(h.hexdigest()[:32])
    return out


def extraction_version() -> str:
    """The kit's version and a hash of its extraction code: a kit upgrade changes it."""
    import kit
    from kit.claims.compare import EARLIER

    h = hashlib.sha256(kit.__version__.encode())
    root = Path(kit.__file__).parent
    # the extraction and what it imports: numbers, dates, patterns, knowledge, columns
    for source in [*sorted((root / "extract").glob("*.py")), root / "dates.py", root / "fastre.py",
                   root / "lexicon.py", root / "schema.py", root / "load" / "outlets.py"]:
        h.update(source.name.encode() + source.read_bytes())
    h.update(EARLIER.pattern.encode())  # (the figures dataset's restates_earlier flag)
    return f"{kit.__version__}+{h.hexdigest()[:16]}"


@dataclass
class Update:
    """What a run did: the frames of the whole corpus and what it had to extract."""

    sentences: pd.DataFrame
    figures: pd.DataFrame
    extracted: int  # articles extracted by this run
    reused: int  # articles read back from the store
    failed: list[dict]
    reset: str | None  # why the store was emptied first, if it was


class Store:
    """An incremental store in ``folder`` (created on first use)."""

    def __init__(self, folder: Path, lexicon) -> None:
        self.folder = Path(folder)
        self.lex = lexicon
        self.version = {"kit": extraction_version(), "knowledge": lexicon.fingerprint}

    def _manifest(self) -> dict:
        path = self.folder / MANIFEST
        if not path.exists():
            if self.folder.exists() and any(self.folder.iterdir()):
                raise StoreError(f"store {self.folder} holds files but no {MANIFEST}: not a kit "
                                 "store; refusing to write into it")
            return {"tool": TOOL, "version": self.version, "parts": []}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"{path} is not a kit store manifest ({err})") from None
        if not isinstance(data, dict) or data.get("tool") != TOOL or \
                not isinstance(data.get("parts"), list) or not isinstance(data.get("version"), dict):
            raise StoreError(f"{path} is not a kit store manifest (run with --full to rebuild "
                             "the store)")
        data["parts"] = list(dict.fromkeys(data["parts"]))
        return data

    def update(self, articles: pd.DataFrame, extract, *, full: bool = False) -> Update:
        """The sentences and figures of ``articles``: those the store lacks computed by
        ``extract(articles) -> (sentences, figures, failed)`` and stored, the rest read back."""
        if not articles["article_id"].is_unique:
            raise StoreError("the articles' ids must be unique to be stored (kit.load_corpus "
                             "makes them so)")
        manifest = self._manifest()
        reset = None
        if full:
            reset = "--full"
        elif manifest["version"] != self.version:
            old = manifest["version"]
            reset = ("the kit's extraction changed" if old.get("kit") != self.version["kit"]
                     else "the knowledge files changed")
        if reset:
            manifest = {"tool": TOOL, "version": self.version, "parts": []}
        hashes = content_hashes(articles)
        known = set(self._read("articles", manifest["parts"])["content_hash"])
        todo = [k for k, h in enumerate(hashes) if h not in known]
        first: dict[str, int] = {}  # the same text twice is extracted once
        for k in todo:
            first.setdefault(hashes[k], k)
        new_rows = sorted(first.values())
        failed: list[dict] = []
        done: list[str] = []
        if new_rows:
            fresh = articles.iloc[new_rows]
            sents, figs, failed = extract(fresh)
            # remembered: what came back whole (a skipped article or a lost partition is
            # extracted again next run)
            bad = {f["article_id"] for f in failed if "article_id" in f}
            ids = articles["article_id"].tolist()
            if any("article_id" not in f for f in failed):  # a partition lost: what came back
                got = set(sents["article_id"]) - bad
                done = [hashes[k] for k in new_rows if str(ids[k]) in got]
            else:  # every article not named (also one with no sentence)
                done = [hashes[k] for k in new_rows if str(ids[k]) not in bad]
            manifest["parts"].append(self._write(fresh, hashes, new_rows, done, sents, figs))
        if new_rows or reset:
            manifest["version"] = self.version
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self.folder / MANIFEST, json.dumps(manifest, indent=1) + "\n")
        if reset:
            self._prune(manifest["parts"])
        sentences, figures = self._assemble(articles, hashes, manifest["parts"])
        extracted = len(done) if new_rows else 0
        return Update(sentences, figures, extracted, len(articles) - len(todo), failed, reset)

    # ------------------------------------------------------------------ parts

    def _write(self, fresh, hashes, rows, done, sents, figs) -> str:
        by_id = {str(a): hashes[k] for a, k in zip(fresh["article_id"].tolist(), rows)}
        name = f"part-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}"  # never reused
        self.folder.mkdir(parents=True, exist_ok=True)
        tables = {
            "articles": pd.DataFrame({"content_hash": pd.Series(done, dtype="string")}),
            "sentences": sents.assign(content_hash=sents["article_id"].map(by_id)).drop(
                columns=["article_id"]),
            "figures": figs.assign(content_hash=figs["article_id"].map(by_id)).drop(
                columns=[*ARTICLE_COLUMNS, "figure_id"]),
        }
        for kind, table in tables.items():
            target = self.folder / f"{name}.{kind}.parquet"
            tmp = target.with_suffix(".tmp")
            table.to_parquet(tmp, index=False)
            os.replace(tmp, target)
        return name

    def _read(self, kind: str, parts: list[str]) -> pd.DataFrame:
        frames = []
        for name in parts:
            path = self.folder / f"{name}.{kind}.parquet"
            if not path.exists():
                raise StoreError(f"store {self.folder}: {path.name} named in {MANIFEST} is "
                                 "missing; run with --full to rebuild the store")
            try:
                frames.append(pd.read_parquet(path))
            except (OSError, ValueError) as err:  # pyarrow's errors are ValueErrors too
                raise StoreError(f"store {self.folder}: {path.name} cannot be read ({err}); run "
                                 "with --full to rebuild the store") from None
        if not frames:
            return pd.DataFrame({"content_hash": pd.Series([], dtype="string")})
        return pd.concat(frames, ignore_index=True)

    def _prune(self, parts: list[str]) -> None:
        keep = {f"{p}.{k}.parquet" for p in parts for k in ("articles", "sentences", "figures")}
        for path in self.folder.glob("part-*.parquet"):
            if path.name not in keep:
                path.unlink(missing_ok=True)

    def _assemble(self, articles, hashes, parts) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The stored rows of every article, in the single-process order, with the
        article's own id and metadata."""
        current = pd.DataFrame({"content_hash": hashes, "_order": range(len(articles))})
        for column in ARTICLE_COLUMNS:
            current[column] = articles[column].to_numpy()
        out = {}
        for kind in ("sentences", "figures"):
            stored = self._read(kind, parts)
            if not len(stored):
                out[kind] = schema.empty(kind)
                continue
            stored = stored.drop_duplicates(subset=["content_hash", "start"] if kind == "figures"
                                            else ["content_hash", "sentence_id"])
            stored["_row"] = range(len(stored))
            merged = as_current(stored, current, kind, ["_order"])
            merged = merged.sort_values(["_order", "_row"], kind="stable")
            out[kind] = schema.conform(merged.drop(columns=["content_hash", "_order", "_row"])
                                       .reset_index(drop=True), kind)
        return out["sentences"], out["figures"]


def as_current(stored: pd.DataFrame, current: pd.DataFrame, kind: str,
               extra: list[str] | tuple = ()) -> pd.DataFrame:
    """Stored sentences or figures (keyed by ``content_hash``, without the article's
    columns) given the id (and, for figures, the metadata and figure id) of each current
    article with that content (``current``: content_hash, the article columns and
    ``extra``); an article whose content is stored twice gets its rows twice."""
    keep = ["content_hash", *extra, "article_id"] + (
        list(ARTICLE_COLUMNS[1:]) if kind == "figures" else [])
    merged = current[keep].merge(stored, on="content_hash", how="inner")
    if kind == "figures":
        merged["figure_id"] = [f"{a}:{s}" for a, s in zip(merged["article_id"], merged["start"])]
    return merged
