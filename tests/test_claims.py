"""Claims across sources: grouping, discrepancies, the timeline chart and exports.

On the seeds (the issue's acceptance points) and on tests/data/multiday, a
small fictional corpus over several dates (see its ABOUT file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import kit
from kit import charts, export, group, present, schema
from kit.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
MULTIDAY = ROOT / "tests" / "data" / "multiday"


@pytest.fixture(scope="module")
def seeds():
    articles = kit.load_corpus(SEEDS)
    figs = present.numbered(kit.figures(articles))
    return articles, figs, kit.claims(figs)


@pytest.fixture(scope="module")
def multiday():
    articles = kit.load_corpus(MULTIDAY)
    figs = present.numbered(kit.figures(articles, lexicon=kit.lexicon.load(MULTIDAY / "lexicon")))
    return articles, figs, kit.claims(figs)


def one(claims: pd.DataFrame, **where) -> pd.Series:
    hit = claims
    for col, val in where.items():
        hit = hit[hit[col] == val]
    assert len(hit) == 1, f"{where}: {len(hit)} claims\n{claims}"
    return hit.iloc[0]


def outlets(claim) -> set[str]:
    return set(claim["outlets"].split("; "))


# ---------------------------------------------------------------- seeds (acceptance)

def test_claims_conform_and_cover_every_figure_once(seeds):
    _, figs, claims = seeds
    schema.check(claims, "claims")
    ids = [i for ids in claims["figure_ids"] for i in ids.split("; ")]
    assert sorted(ids) == sorted(figs["figure_id"])
    assert claims["n_figures"].sum() == len(figs)
    assert list(claims["claim_id"]) == [f"C{i}" for i in range(1, len(claims) + 1)]
    assert group.claim_ids(figs, claims).notna().all()


def test_nis_about_12000_planned_is_one_claim_with_all_its_outlets(seeds):
    _, figs, claims = seeds
    c = one(claims, claimant="NIS (South Korea)", status="planned", what="troops", best=12000)
    reporting = figs[(figs["claimant"] == "NIS (South Korea)") & (figs["status"] == "planned")
                     & (figs["low"] == 12000)]
    assert len(reporting) == 3
    assert outlets(c) == set(reporting["outlet"].fillna(present.UNKNOWN_OUTLET))
    assert outlets(c) == {"The Guardian", "The Kyiv Independent", "unknown outlet"}
    assert c["value"] == "about 12,000" and c["qualifier"] == "approx"
    assert (c["low"], c["high"], c["n_outlets"], c["n_figures"]) == (12000, 12000, 3, 3)
    assert set(c["nouns"].split("; ")) == {"soldiers", "special forces", "troops"}


def test_nis_1500_deployed_is_one_claim(seeds):
    _, _, claims = seeds
    c = one(claims, claimant="NIS (South Korea)", status="deployed", what="troops")
    assert c["best"] == 1500 and c["n_figures"] == 5
    assert outlets(c) == {"AFP", "The Guardian", "The Moscow Times", "unknown outlet"}
    assert c["first_published"] == c["last_published"] == "2024-10-21"


def test_zelensky_and_the_range_stay_distinct(seeds):
    _, _, claims = seeds
    z = one(claims, claimant="Zelensky", status="planned")
    r = one(claims, claimant="Ukrainian officials", qualifier="range")
    assert z["claim_id"] != r["claim_id"]
    assert (z["low"], z["best"], z["high"]) == (10000, 10000, 10000)
    assert (r["low"], r["best"], r["high"]) == (10000, 11000, 12000)  # best: the midpoint
    # "around 10,000" (Ukrainian officials) is inside 10,000-12,000 but is not merged into it
    around = one(claims, claimant="Ukrainian officials", status="planned", qualifier="approx")
    assert around["claim_id"] != r["claim_id"]


def test_containers_and_vague_figures(seeds):
    _, figs, _ = seeds
    claims = kit.claims(figs)
    vague = claims[claims["qualifier"] == "vague"]
    assert vague[["low", "best", "high"]].isna().all().all()
    sk = one(claims, claimant="South Korean government", status="deployed")
    assert sk["value"] == "thousands" and sk["n_outlets"] == 2
    all_figs = present.numbered(kit.figures(kit.load_corpus(SEEDS)))
    c = one(kit.claims(all_figs), what="containers")
    assert c["qualifier"] == "more_than" and c["low"] == 13000 and pd.isna(c["best"])
    assert pd.isna(c["high"]) and c["n_outlets"] == 2


def test_seed_discrepancies(seeds):
    _, figs, claims = seeds
    d = kit.discrepancies(figs, claims)
    schema.check(d, "discrepancies")
    by = dict(list(d.groupby("discrepancy_id")))
    issues = {(g["issue"].iloc[0], frozenset(g["claimant"])) for g in by.values()}
    assert ("claimants differ", frozenset({"Zelensky", "Ukrainian officials"})) in issues
    assert ("values differ", frozenset({"Ukrainian officials"})) in issues
    # every row cites its figure and its sentence, the figure's words at `offset`
    for _, r in d.iterrows():
        assert r["sentence"][r["offset"]:r["offset"] + len(r["surface"])] == r["surface"]
        assert r["n"] == int(figs.loc[figs["figure_id"] == r["figure_id"], "n"].iloc[0])


# ---------------------------------------------------------------- rules

@pytest.mark.parametrize("a,b,same", [
    ((1480, 1480), (1500, 1500), True),          # rounding
    ((11800, 11800), (12000, 12000), True),
    ((1400, 1400), (1500, 1500), False),         # 6.7 %
    ((12000, 12000), (10000, 12000), False),     # a point inside a wider range
    ((1500, 1500), (1450, 1520), True),          # a range within rounding of the point
    ((10000, 12000), (10000, 12000), True),
    ((13000, None), (13000, 13000), False),      # "more than 13,000" vs "13,000"
    ((13000, None), (13200, None), True),
    ((None, 500), (None, 500), True),
])
def test_compatible(a, b, same):
    assert group.compatible(a, b) is same
    assert group.compatible(b, a) is same


@pytest.mark.parametrize("what,family", [
    ("special forces soldiers", "troops"), ("military personnel", "troops"),
    ("North Korean troops", "troops"), ("special forces", "troops"), ("soldier", "troops"),
    ("containers", "containers"), ("quarry workers", "workers"), ("artillery shells", "shells"),
    ("bananas", "bananas"), (None, "people"),
])
def test_family(what, family):
    assert group.family(what, "people") == family


def test_families_file_is_editable(tmp_path):
    (tmp_path / "fam.csv").write_text("noun,family\nbananas,fruit\n", encoding="utf-8")
    fams = group.load_families(tmp_path / "fam.csv")
    assert group.family("green bananas", "materiel", fams) == "fruit"
    assert group.family("troops", "people", fams) == "troops"


def test_claims_of_no_figures():
    empty = schema.empty("figures")
    c = kit.claims(empty)
    assert c.empty and list(c.columns) == [x.name for x in schema.CLAIMS]
    assert kit.discrepancies(empty, c).empty


def test_claims_do_not_chain_beyond_the_tolerance():
    rows = [(f"Outlet {i}", f"a{i}", 10, f"{v:,}", v, v, "exact", "troops", "planned", "X",
             f"X said {v:,} troops will go.") for i, v in enumerate([1000, 1040, 1080, 1120])]
    from handmade import figures_frame

    c = kit.claims(figures_frame(rows))
    assert list(c["n_figures"]) == [2, 2]  # 1000+1040, then 1080+1120: no chain 1000..1120


# ---------------------------------------------------------------- multi-day corpus

def test_multiday_rounding_is_one_claim(multiday):
    _, _, claims = multiday
    c = one(claims, claimant="Velmorian Defence Ministry", status="deployed", low=1480)
    assert (c["low"], c["best"], c["high"]) == (1480, 1480, 1500)  # tie: the unhedged value
    assert c["value"] == "1,480" and c["qualifier"] == "approx"
    assert outlets(c) == {"The Halvenport Courier", "Brask Evening Post"}
    assert (c["first_published"], c["last_published"]) == ("2031-03-02", "2031-03-04")


def test_multiday_ranges(multiday):
    _, figs, claims = multiday
    r = one(claims, claimant="Governor Rook", status="planned", qualifier="range")
    assert (r["low"], r["best"], r["high"], r["n_figures"]) == (2000, 2250, 2500, 2)
    assert r["what"] == "workers"
    about = one(claims, claimant="Governor Rook", status="planned", qualifier="approx")
    assert about["best"] == 2000 and about["outlets"] == "Greyfen Gazette"
    d = kit.discrepancies(figs, claims)
    g = d[d["claimant"] == "Governor Rook"]
    assert set(g["issue"]) == {"values differ"}  # reported on overlapping dates
    assert set(g["claim_id"]) == {r["claim_id"], about["claim_id"]}


def test_multiday_estimate_changing_over_time(multiday):
    _, figs, claims = multiday
    omo = claims[claims["claimant"] == "Ostrand Monitoring Office"]
    assert list(omo.sort_values("first_published")["best"]) == [3000, 8000, 11000]
    assert list(omo.sort_values("first_published")["first_published"]) == [
        "2031-03-02", "2031-03-09", "2031-03-16"]
    d = kit.discrepancies(figs, claims)
    g = d[(d["claimant"] == "Ostrand Monitoring Office") & (d["issue"] == "value changed")]
    assert list(dict.fromkeys(g["value"])) == ["3,000", "8,000", "11,000"]  # earliest first


def test_multiday_misattribution(multiday):
    _, figs, claims = multiday
    d = kit.discrepancies(figs, claims)
    g = d[d["issue"] == "claimants differ"]
    assert g["discrepancy_id"].nunique() == 1
    assert set(g["claimant"]) == {"Ostrand Monitoring Office", "Velmorian Defence Ministry"}
    assert set(g["value"]) == {"11,000"}
    assert set(g["outlet"]) == {"The Halvenport Courier", "Brask Evening Post"}
    assert g["sentence"].str.contains("11,000 troops").all()


def test_discrepancies_html_escapes_and_sits_side_by_side(multiday):
    _, figs, claims = multiday
    hostile = figs.copy()
    hostile["outlet"] = "<script>alert(1)</script>"
    hostile["sentence"] = hostile["sentence"].str.replace(
        "said", "said <img src=x onerror=alert(2)>", regex=False)
    html = group.discrepancies_html(kit.discrepancies(hostile, kit.claims(hostile)))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and 'class="kit-side"' in html
    assert "<mark>" in html
    table = group.claims_html(claims, figs)
    assert "[1]" in table and "&lt;NA&gt;" not in table and "<NA>" not in table


# ---------------------------------------------------------------- timeline

def _layers(spec):
    return spec.get("layer", [spec])


def test_timeline_spec_over_several_dates(multiday):
    _, figs, _ = multiday
    spec = charts.timeline(figs).to_dict()
    marks = [layer["mark"]["type"] for layer in _layers(spec)]
    assert marks == ["area", "rule", "line", "point", "text"]
    for layer in _layers(spec):
        enc = layer["encoding"]
        assert enc["x"]["field"] == "date" and enc["x"]["type"] == "temporal"
        if layer["mark"]["type"] != "text":
            assert enc["color"]["field"] == "series"
    text = _layers(spec)[-1]["encoding"]["text"]["field"]
    data, _ = charts.timeline_frame(figs)
    assert text == "text"
    # every placed figure's citation number is on a label
    labels = " ".join(data["label"])
    placed = figs[figs["low"].notna() | figs["high"].notna()]
    assert all(f"[{n}]" in labels for n in placed["n"])
    area = _layers(spec)[0]["encoding"]
    assert area["y"]["field"] == "low" and area["y2"]["field"] == "high"
    series = set(data["series"])
    assert "Ostrand Monitoring Office · deployed · troops" in series
    assert "not shown: 1 without a number" in " ".join(spec["title"]["subtitle"]).lower()
    charts.to_svg(charts.timeline(figs))  # draws


def test_timeline_degrades_on_one_date_and_on_empty_input(seeds):
    _, figs, claims = seeds
    spec = charts.timeline(figs).to_dict()
    assert all(layer["encoding"]["x"]["field"] == "series" for layer in _layers(spec))
    assert "line" not in [layer["mark"]["type"] for layer in _layers(spec)]
    assert "2024-10-21" in spec["title"]["subtitle"][0]
    charts.to_svg(charts.timeline(figs))
    empty = charts.timeline(schema.empty("figures"))
    assert empty.to_dict()["mark"]["type"] == "text"
    charts.to_svg(empty)
    # a claims frame works too: points labelled with claim ids
    data, _ = charts.timeline_frame(claims)
    assert set(data["label"]) <= set(claims["claim_id"])
    charts.to_svg(charts.timeline(claims))


# ---------------------------------------------------------------- export

def test_parquet_round_trip_keeps_dtypes(tmp_path, seeds):
    articles, _, _ = seeds
    frames = export.frames(articles)
    written = export.export_frames(frames, tmp_path, "parquet")
    assert [p.name for p in written] == [f"{n}.parquet" for n in export.FRAMES]
    for name, frame in frames.items():
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert dict(back.dtypes) == dict(frame.dtypes), name
        pd.testing.assert_frame_equal(back, frame.reset_index(drop=True))
        schema.check(back, name)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_csv_and_json_exports(tmp_path, seeds, fmt):
    articles, _, _ = seeds
    frames = export.frames(articles)
    export.export_frames(frames, tmp_path, fmt)
    for name, frame in frames.items():
        path = tmp_path / f"{name}.{fmt}"
        back = pd.read_csv(path) if fmt == "csv" else pd.DataFrame(json.loads(path.read_text()))
        assert list(back.columns) == list(frame.columns) and len(back) == len(frame)
    manifest = json.loads((tmp_path / export.MANIFEST).read_text())
    assert set(manifest["files"]) == {f"{n}.{fmt}" for n in export.FRAMES}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_export_refuses_to_overwrite_foreign_files(tmp_path, seeds):
    articles, _, _ = seeds
    frames = export.frames(articles)
    (tmp_path / "claims.csv").write_text("mine\n")
    with pytest.raises(export.ExportError, match="claims.csv"):
        export.export_frames(frames, tmp_path, "csv")
    assert (tmp_path / "claims.csv").read_text() == "mine\n"
    assert not (tmp_path / "articles.csv").exists()  # nothing written
    other = tmp_path / "other"
    other.mkdir()
    (other / export.MANIFEST).write_text("not json")
    with pytest.raises(export.ExportError, match="manifest"):
        export.export_frames(frames, other, "csv")
    again = tmp_path / "again"
    export.export_frames(frames, again, "csv")
    export.export_frames(frames, again, "csv")  # its own files: overwritten in place


def test_kit_export_command(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["export", "--format", "parquet", "--out", str(out), str(SEEDS)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{n}.parquet" for n in export.FRAMES] + [export.MANIFEST])
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "figures.json").write_text("[]")
    assert cli_main(["export", "--format", "json", "--out", str(tmp_path / "mine"),
                     str(SEEDS)]) == 1
    assert "refusing" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli_main(["export", "--format", "xlsx", "--out", str(out)])
    assert exc.value.code == 2
