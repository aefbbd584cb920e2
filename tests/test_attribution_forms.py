"""Who each figure is attributed to, for every form news uses to attribute a number.

Each case is an invented passage (fictional people and places) and, for the figure
given by its words, the claimant a reader would name.  ``expected`` is matched as
``kit evaluate`` matches claimants: the kit's name or the words naming the claimant
must be the expected name (case, "the" and possessives aside) or contain it, or the
knowledge files must give that name the kit's canonical one.
"""

from __future__ import annotations

import pytest

import kit
from kit import lexicon
from kit.evaluate import claimant_right

LEX = lexicon.load()

# (passage, the figure's words, acceptable claimants)
CASES = [
    # 1. speaker and reporting verb in the figure's sentence
    ("subject-verb-that",
     "The ministry said about 400 people had been evacuated from the valley.",
     "about 400", ["ministry"]),
    ("verb-after-clause",
     "Some 2,000 troops have crossed the border, the Ostrand Monitoring Office said.",
     "Some 2,000", ["Ostrand Monitoring Office"]),
    ("inverted-verb-spokeswoman-for",
     "At least 35 people were injured, said Maria Duval, a spokeswoman for the Red Cross.",
     "At least 35", ["Red Cross", "Maria Duval"]),
    ("title-and-name",
     "Health Minister Jonas Berg told reporters that 57 people had died in the outbreak.",
     "57", ["health ministry", "Health Minister Jonas Berg", "Jonas Berg"]),
    ("head-of-agency",
     "NIS Director Cho Tae-yong told lawmakers that Pyongyang plans to send 10,000 troops "
     "by December.", "10,000", ["NIS"]),
    ("estimated-the-crowd-at",
     "Police estimated the crowd at 40,000 on Saturday afternoon.", "40,000", ["police"]),
    ("put-the-turnout-at",
     "Organisers put the turnout at 510,000, far above the previous record.", "510,000",
     ["organisers"]),
    ("noun-of-estimating-which-said",
     "An estimate from the coastguard which said at least 300 people were missing was "
     "published late on Tuesday.", "at least 300", ["coastguard"]),
    ("tally-shows",
     "The Relief Agency of Marrow's latest tally shows 1,284 deaths across the region.",
     "1,284", ["Relief Agency of Marrow"]),
    ("according-to-the-latest-update-from",
     "At least 600 soldiers have died, according to the latest update from the National "
     "Intelligence Service.", "At least 600", ["NIS"]),
    ("according-to-data-from",
     "More than 15,000 cases have been recorded, according to data from the Tavora health "
     "ministry.", "More than 15,000", ["Tavora health ministry", "health ministry"]),
    ("citing-sources",
     "The Northgate Herald, citing hospital sources, reported 23 deaths in the city.", "23",
     ["hospital sources"]),
    ("in-a-statement",
     "In a statement, the Interior Ministry gave the number of arrivals as 1,758.", "1,758",
     ["Interior Ministry"]),
    ("believes",
     "Western officials believe about 11,000 soldiers are in the region.", "about 11,000",
     ["Western officials"]),
    ("says-present-headline",
     "Fire brigade says over 300 homes destroyed", "over 300", ["fire brigade"]),
    # 2. the speaker in another sentence of the same paragraph
    ("lead-names-source-figures-follow",
     "The spy agency of Pellmark briefed lawmakers on Tuesday. It said about 3,000 soldiers "
     "had arrived and 500 more were on their way.", "500", ["spy agency of Pellmark"]),
    ("figures-first-source-next-sentence",
     "Approximately 3,000 troops have been moved to the front. The estimate was given by the "
     "Ostrand Monitoring Office in a closed-door briefing.", "Approximately 3,000",
     ["Ostrand Monitoring Office"]),
    ("quote-over-sentences-speaker-after",
     "\u201cWe counted 4,500 people at the square. Many more were in the side streets,\u201d said "
     "organiser Lena Fox.", "4,500", ["organisers", "Lena Fox", "organiser Lena Fox"]),
    ("quote-speaker-in-previous-sentence",
     "The mayor of Dunmore was blunt. \u201cTwenty families have lost everything.\u201d",
     "Twenty", ["mayor of Dunmore", "mayor"]),
    ("role-noun-refers-back",
     "President Ilse Marken spoke to reporters in Halvik. The leader stated that 12,000 "
     "soldiers had already arrived.", "12,000", ["Ilse Marken", "President Ilse Marken"]),
    ("pronoun-refers-back",
     "Governor Anton Reyes visited the camp on Friday. He said 1,200 families were still "
     "without shelter.", "1,200", ["Anton Reyes", "Governor Anton Reyes"]),
    # 3. the headline
    ("headline-colon",
     "Pyongyang to send 6K workers to rebuild Kursk: Shoigu | Some News", "6K", ["Shoigu"]),
    ("headline-trailing-says",
     "Death toll rises to 26, says health ministry", "26", ["health ministry"]),
    ("headline-leading-source",
     "Kyiv: 3,000 North Korean soldiers already in Kursk", "3,000",
     ["Ukrainian officials", "Kyiv"]),
    # 4. relays and references
    ("wire-citing-agency",
     "Yonhap, citing the NIS, said 12,000 soldiers would be sent.", "12,000", ["NIS"]),
    ("lawmaker-after-briefing",
     "Lee Seong-kweun spoke after a closed-door briefing by the NIS. \u201cThere have been at "
     "least 100 deaths,\u201d he said.", "at least 100", ["NIS"]),
    ("newspaper-quoting-officials",
     "The Daily Courier, quoting two US officials, said about 10,000 troops were in the "
     "area.", "about 10,000", ["US officials"]),
    ("unknown-speaker-phrase",
     "\u201cOver 200 people were killed,\u201d said a member of the local resistance committee.",
     "Over 200", ["local resistance committee", "member of the local resistance committee"]),
    # 5. several sources at once
    ("joint-subject",
     "Seoul and Kyiv accused Pyongyang of preparing between 10,000 and 12,000 troops.",
     "between 10,000 and 12,000", ["South Korean government", "Ukrainian officials"]),
    ("contrasted-first",
     "Police counted 28,000 marchers, while organisers claimed 87,000.", "28,000", ["police"]),
    ("contrasted-second",
     "Police counted 28,000 marchers, while organisers claimed 87,000.", "87,000",
     ["organisers"]),
    # 6. not a claimant
    ("weekday-is-no-claimant",
     "On Tuesday 45 buses left the city.", "45", ["unattributed"]),
    ("subject-of-the-event-is-no-source",
     "Russia sent 500 drones over the weekend.", "500", ["unattributed"]),
]


MORE_CASES = [
    ("speaker-of-a-relative-clause",
     "Police arrested 12 protesters at the march, which organisers said drew 2,000 people.",
     "2,000", ["organisers"]),
    ("public-body-named-by-its-place",
     "The blaze forced 3,400 residents from their homes, the county said on Sunday.",
     "3,400", ["county"]),
    ("state-as-speaker",
     "The state said 1,200 homes were still without power on Tuesday.", "1,200", ["state"]),
    ("contrast-after-semicolon",
     "Organisers claim 150,000 on the streets; police estimate 29,000.", "29,000", ["police"]),
    ("title-refers-back",
     "Director of the Westland Security Bureau Olaf Dunn briefed the committee on Tuesday. "
     "Also the Director informed the deputies that not less than 7,200 containers had "
     "arrived.", "7,200", ["Westland Security Bureau", "Olaf Dunn"]),
    ("organisation-refers-back",
     "Riverside Relief Trust opened three kitchens in the valley. In the district alone, the "
     "organisation estimates that 21,000 people need food.", "21,000",
     ["Riverside Relief Trust"]),
    ("time-words-are-not-speakers",
     "Last Saturday the force counted 38,000 marchers, while organisers said 120,000.",
     "38,000", ["force", "the force"]),
    # two sources in one sentence, the second clause joined by "and" or left without its
    # verb (gapping)
    ("second-clause-after-and",
     "Police said 3,500 people marched through Valdoria City, and the transport ministry "
     "said 40 trains were cancelled.", "40", ["transport ministry", "ministry"]),
    ("first-clause-before-and",
     "Police said 3,500 people marched through Valdoria City, and the transport ministry "
     "said 40 trains were cancelled.", "3,500", ["police"]),
    ("second-clause-after-and-without-comma",
     "Police put the crowd at 3,500 and the transport ministry said 40 trains were "
     "cancelled.", "40", ["transport ministry", "ministry"]),
    ("gapped-estimate",
     "Police put the crowd at 3,500, organisers at more than 10,000.", "more than 10,000",
     ["organisers"]),
    ("gapped-estimate-first",
     "Police put the crowd at 3,500, organisers at more than 10,000.", "3,500", ["police"]),
    ("gapped-estimate-after-and",
     "Health officials put the death toll at 14 and local volunteers at more than 30.",
     "more than 30", ["local volunteers", "volunteers"]),
    ("trailing-speaker-then-new-clause",
     "More than 10,000 people marched, police said, and organisers put the figure at "
     "30,000.", "More than 10,000", ["police"]),
    ("no-speaker-in-a-gap",
     "Police estimated the crowd at 3,500, the largest at any rally this year.", "3,500",
     ["police"]),
]


def _figure(text: str, words: str):
    figs = kit.figures_in_text(text)
    at = text.index(words)
    rows = figs[(figs.start < at + len(words)) & (figs.end > at)]
    assert len(rows), f"no figure at {words!r}: {figs[['surface', 'claimant']].to_dict('records')}"
    return rows.iloc[0]


@pytest.mark.parametrize("name,text,words,expected", CASES + MORE_CASES,
                         ids=[c[0] for c in CASES + MORE_CASES])
def test_claimant_of_each_attribution_form(name, text, words, expected):
    row = _figure(text, words)
    assert claimant_right(row.claimant, row.claimant_text, expected, LEX), (
        row.claimant, row.claimant_text)


def _corpus_claimants(tmp_path, outlet: str, text: str) -> list[str]:
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "sources.csv").write_text(f"file,outlet\na.txt,{outlet}\n", encoding="utf-8")
    return list(kit.figures(kit.load_corpus(tmp_path)).claimant)


def test_a_press_release_is_the_source_of_what_it_reports_unattributed(tmp_path):
    text = ("Riverside Relief Trust delivers aid to the valley\n\n"
            "Riverside Relief Trust delivered 400 blankets and 12 tonnes of food on Monday.\n")
    assert _corpus_claimants(tmp_path, "Riverside Relief Trust", text) == [
        "Riverside Relief Trust", "Riverside Relief Trust"]


def test_a_news_outlet_is_never_the_source_of_unattributed_figures(tmp_path):
    text = ("Floods in the valley\n\n"
            "About 400 homes were flooded, the Valley Courier learned on Monday.\n")
    assert _corpus_claimants(tmp_path, "Valley Courier", text) == ["unattributed"]


def test_a_speaker_inside_a_later_relative_clause_does_not_claim_the_figure_before_it():
    # the police did the arresting; nobody is said to report the 12 (ATTRIBUTION: the
    # subject of the counted event is not its source)
    row = _figure("Police arrested 12 protesters at the march, which organisers said drew "
                  "2,000 people.", "12")
    assert row.claimant == "unattributed"
