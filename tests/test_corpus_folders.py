"""Corpus folders: subfolders are read, ids stay unique, each folder's sources.csv applies
to its own files, hidden files and editor backups are never articles."""

from __future__ import annotations

from pathlib import Path

import kit

TEXT = "Flood update\n\nAbout {n} people were evacuated from Halvik, the council said.\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_articles_in_subfolders_are_read_with_unique_ids(tmp_path):
    root = write(tmp_path / "c", {"top.txt": TEXT.format(n=10),
                                  "2031-03-12/day.txt": TEXT.format(n=20),
                                  "2031-03-13/day.txt": TEXT.format(n=30),
                                  "wires/deep/more/x.md": TEXT.format(n=40)})
    articles = kit.load_corpus(root)
    assert len(articles) == 4
    assert articles["article_id"].is_unique
    assert {Path(p).relative_to(root).as_posix() for p in articles["path"]} == {
        "top.txt", "2031-03-12/day.txt", "2031-03-13/day.txt", "wires/deep/more/x.md"}
    assert sorted(kit.figures(articles)["low"].tolist()) == [10, 20, 30, 40]


def test_recursive_false_reads_only_the_folder_itself(tmp_path):
    root = write(tmp_path / "c", {"top.txt": TEXT.format(n=10), "sub/a.txt": TEXT.format(n=20)})
    assert len(kit.load_corpus(root, recursive=False)) == 1


def test_hidden_files_folders_and_editor_backups_are_ignored(tmp_path):
    root = write(tmp_path / "c", {
        "real.txt": TEXT.format(n=10),
        "real.txt~": TEXT.format(n=666), "#real.txt#": TEXT.format(n=667),
        ".real.txt.swp": "x", ".hidden.txt": TEXT.format(n=668), "old.txt.bak": "x",
        ".git/notes.txt": TEXT.format(n=669), ".ipynb_checkpoints/real-checkpoint.txt":
        TEXT.format(n=670), "~$draft.txt": TEXT.format(n=671)})
    articles = kit.load_corpus(root)
    assert [Path(p).name for p in articles["path"]] == ["real.txt"]
    assert not articles.attrs["skipped"]


def test_each_folders_sources_csv_applies_to_its_own_files(tmp_path):
    root = write(tmp_path / "c", {
        "a/day.txt": TEXT.format(n=10), "a/sources.csv": "file,outlet\nday.txt,Valley Courier\n",
        "b/day.txt": TEXT.format(n=20), "b/sources.csv": "file,outlet\nday.txt,Halvik Herald\n"})
    articles = kit.load_corpus(root).sort_values("path")
    assert articles["outlet"].tolist() == ["Valley Courier", "Halvik Herald"]


def test_a_link_to_a_folder_is_not_followed(tmp_path):
    root = write(tmp_path / "c", {"a/x.txt": TEXT.format(n=10)})
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    assert len(kit.load_corpus(root)) == 1
