"""A month's small files are merged into few, the smallest first, and taken apart again
row for row (``kit.output.compact``)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kit.output import compact
from kit.output.compact import merge, merge_plan, split


def test_a_month_of_few_files_is_left_as_it_is():
    assert merge_plan({f"f{k}": (100, 1) for k in range(compact.MAX_FILES)}) == []


def test_the_smallest_files_are_merged_into_one_leaving_keep_files():
    files = {f"small{k:02d}": (1_000 + k, 1) for k in range(20)}
    files["big"] = (50 * 2**20, 1)
    groups = merge_plan(files)
    assert groups == [sorted(f"small{k:02d}" for k in range(20 - compact.KEEP + 2))]
    assert len(files) - len(groups[0]) + 1 == compact.KEEP


def test_full_files_and_fixed_ones_are_never_merged_and_a_merge_is_cut_near_its_size(
        monkeypatch):
    monkeypatch.setattr(compact, "MERGED_BYTES", 1_000)
    files = {f"f{k:02d}": (400, 1) for k in range(20)}
    files["large"] = (1_000, 1)
    files["many"] = (10, compact.MAX_MEMBERS)  # holds as many pieces' rows as a file may
    groups = merge_plan(files, fixed={"f00"})
    merged = [f for g in groups for f in g]
    assert not {"large", "many", "f00"} & set(merged)
    assert all(400 * len(g) <= 1_000 for g in groups) and len(groups) > 1


def test_a_merge_holds_at_most_max_members_pieces():
    files = {f"f{k:03d}": (100, 1) for k in range(100)}
    files["m"] = (50, compact.MAX_MEMBERS - 1)  # the smallest, nearly full
    groups = merge_plan(files)
    assert all(sum(files[f][1] for f in g) <= compact.MAX_MEMBERS for g in groups)
    assert sum(len(g) for g in groups) == len(files) - compact.KEEP + 1
    assert [len(g) for g in groups if "m" in g] == [2]


def _table(tmp_path, name, values):
    path = tmp_path / name
    pq.write_table(pa.table({"article_id": [f"a{v}" for v in values], "v": values}), path)
    return str(path)


def test_merged_rows_are_taken_apart_again_by_member(tmp_path):
    one = _table(tmp_path, "one.parquet", [1, 2])
    two = _table(tmp_path, "two.parquet", [3])
    three = _table(tmp_path, "three.parquet", [4, 5, 6])
    first, members = merge([(one, "p1"), (two, "p2")], str(tmp_path), "figures/month=2024-10")
    assert members == [("p1", 2), ("p2", 1)]
    # a merged file merged again keeps its members
    second, members = merge([(str(tmp_path / first), members), (three, "p3")], str(tmp_path),
                            "figures/month=2024-10")
    assert members == [("p1", 2), ("p2", 1), ("p3", 3)]
    assert pq.read_table(tmp_path / second)["v"].to_pylist() == [1, 2, 3, 4, 5, 6]
    together, rest, own = split(str(tmp_path / second), members, str(tmp_path / "stage"),
                                apart={"p2"}, stay={"p1"})
    assert rest == [("p1", 2)]
    assert together.startswith("figures/month=2024-10/part-merged-")
    assert pq.read_table(tmp_path / "stage" / together)["v"].to_pylist() == [1, 2]
    assert pq.read_table(tmp_path / "stage" / own["p2"])["v"].to_pylist() == [3]
    assert set(own) == {"p2"}  # p3, neither apart nor staying, is dropped


def test_a_merged_file_that_does_not_hold_its_members_rows_is_named(tmp_path):
    path = _table(tmp_path, "m.parquet", [1, 2, 3])
    with pytest.raises(ValueError, match="m.parquet: holds 3 rows, its members 4"):
        split(path, [("p1", 4)], str(tmp_path), apart={"p1"}, stay=set())
