#!/usr/bin/env python
"""A varied, news-like benchmark corpus: invented articles dense in cited figures.

    python scripts/varied_corpus.py OUT_DIR --mb 5 --seed 0

Copies of the five seed articles flatter the kit (the same few sentences, the
same numbers, over and over).  This writes deterministic (seeded) invented
articles on eight kinds of story (deployments, death tolls, protests, disasters,
strikes, epidemics, migration, aid): a headline, a byline, a dateline or outlet
line, a date line, then 6-20 shuffled paragraphs of template sentences filled
with random parts.  Numbers come in many forms ("about 1,500", "between 10,000
and 12,000", "tens of thousands", "1.5 million", "6K", "twelve") and are cited
in many ways ("X said", "according to X", "citing X", quotes, "police put the
turnout at N"); dates, years, times, percentages, money, ages and ordinals, and
page furniture (newsletter pitch, photo credit, "Read more") are mixed in.
Every country, agency, outlet and person is invented.  MB = 10**6 bytes.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

MB = 1_000_000

# --------------------------------------------------------------------------
# invented world

COUNTRIES = {  # name: (adjective, capital, other towns)
    "Westland": ("Westlandic", "Port Arlen", ["Halvik", "Marrowby", "Sallow Cross"]),
    "Norvania": ("Norvanian", "Tolvar", ["Brenmouth", "Vendry", "Lintmoor"]),
    "Calderia": ("Calderian", "Karsk", ["Ebbridge", "Orrin Falls", "Duskmere"]),
    "Velmora": ("Velmoran", "San Aurel", ["Quellin", "Mirado", "Estova"]),
    "Drusania": ("Drusanian", "Ostrelle", ["Pavlin", "Grodmar", "Ilvesk"]),
    "Kestria": ("Kestrian", "Amberhold", ["Fenwater", "Corvale", "Ruskin Bay"]),
}
REGIONS = ["the northern border", "the eastern provinces", "the Harrow Valley", "the coastal strip",
           "the Selm river delta", "the southern highlands", "the frontier districts"]
FIRST = ["Lorna", "Arvid", "Petra", "Tomas", "Ines", "Marek", "Helga", "Joss", "Amara", "Dmitar",
         "Selene", "Ravi", "Oona", "Caspar", "Yara", "Bertil", "Nadia", "Quentin", "Ilse", "Teodor"]
LAST = ["Vance", "Kole", "Lindqvar", "Oduya", "Brennick", "Sorel", "Maddox-Ray", "Tarvo", "Quill",
        "Haldane", "Ostrova", "Pemberly", "Ruzic", "Faulk", "Amsel", "Drayton", "Kestell", "Voss"]
WIRES = ["Meridian Wire", "Northgate Press", "Capstone News", "Beacon Agency"]
OUTLETS = ["The Harbour Ledger", "Valley Courier", "The Evening Lantern", "Daily Compass",
           "The Westland Observer", "Tolvar Tribune", "Kestrian Post"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen", "twenty"]

# Each story: counted nouns, typical size (low, high), figure clauses as (share of the
# size, clause; {q} = amount + noun), figure-free context sentences, headlines, and the
# sources that cite figures as (name, later mention); {C} country, {A} adjective, {T} town.
TOPICS: dict[str, dict] = {
    "military": dict(
        nouns=["troops", "soldiers", "military personnel", "special forces", "reservists",
               "combat engineers"], size=(300, 30000),
        facts=[(1, "{q} have been deployed to {R}"), (0.2, "{q} crossed into {R} overnight"),
               (0.5, "{q} are expected to arrive by the end of the month"),
               (1, "the {A} army has sent {q} to {R}"), (0.4, "{q} are now stationed near {T}"),
               (0.5, "{q} more could follow in the coming weeks"), (2, "{q} took part in the drills")],
        fill=["The deployment began on {D}, days after talks in {T} collapsed.",
              "Satellite images taken at {H} showed columns of vehicles on Route {n}.",
              "The defence budget rose by {p} this year to {M}.",
              "It is the {o} rotation of units to the area since {Y}.",
              "Convoys were seen moving along the highway at {H}, {n} km from the border.",
              "The two governments signed a defence pact in {MO} {Y}."],
        heads=["{A} troops mass on {R}", "{C} sends {h} soldiers to {R}",
               "Build-up near {T} alarms neighbours", "More troops head for {R}, officials say"],
        src=[("the Ministry of Defence of {C}", "the ministry"), ("the {A} General Staff", "the general staff"),
             ("the {A} Border Guard Service", "the agency"), ("Defence Minister {P}", "the minister")]),
    "casualties": dict(
        nouns=["people", "civilians", "soldiers", "children", "passengers"], size=(3, 2500),
        facts=[(1, "{q} were killed in the attack on {T}"), (2, "{q} were injured, {n2} of them critically"),
               (0.3, "{q} remain missing after the blast"), (1, "{q} have died since {D}"),
               (1.5, "{q} were wounded when shells hit the market"), (0.5, "{q} were reported dead in {R}")],
        fill=["Rescue teams worked through the night by floodlight, and the search resumed at {H}.",
              "The blast was the deadliest in {T} since {Y}, residents said.",
              "Hospitals in the region have asked for {M} in emergency funding.",
              "A {a}-year-old shopkeeper said she had heard {n2} explosions.",
              "Three days of mourning were declared from {D}.",
              "The market had reopened in {MO} after {n} weeks of repairs."],
        heads=["Death toll climbs in {T}", "{h} killed in strike on {T}",
               "Mourning in {T} as toll rises", "{C}: dozens dead after attack on market"],
        src=[("the {A} Health Ministry", "the ministry"), ("the {C} Emergency Service", "the agency"),
             ("the regional governor, {P}", "the governor")]),
    "protest": dict(
        nouns=["protesters", "demonstrators", "people", "marchers", "students"], size=(800, 400000),
        facts=[(1, "{q} marched through the centre of {T}"), (0.3, "{q} gathered outside parliament"),
               (1, "{q} joined the rally on {D}"), (0.002, "{q} were detained by riot police"),
               (0.8, "{q} took to the streets for the {o} weekend in a row")],
        fill=["The march set off at {H} from Liberty Square and ended near the old harbour.",
              "Organisers said {p} of those polled backed the demands.",
              "The reform would raise the retirement age to 6{d}.",
              "Demonstrations last took place on this scale in {Y}.",
              "Riot police fired tear gas shortly after {H}.",
              "The bill passed its {o} reading on {D}."],
        heads=["Huge crowds rally in {T}", "{h} march against reform in {T}",
               "Protests spread across {C}", "Police and protesters clash in {T}"],
        src=[("the {T} police", "police"), ("organisers", "organisers"),
             ("the Interior Ministry of {C}", "the ministry")]),
    "disaster": dict(
        nouns=["people", "residents", "families", "homes", "evacuees"], size=(40, 250000),
        facts=[(1, "{q} were evacuated from {R}"), (0.2, "{q} have been destroyed by the floods"),
               (2, "{q} were left without power"), (0.4, "{q} are sheltering in schools and sports halls"),
               (1, "floods have forced {q} from their homes")],
        fill=["Rivers peaked at {H} on {D}, {n} metres above normal.",
              "Damage is estimated at {M}, the worst since {Y}.",
              "Rainfall in {T} reached {p} of the annual average in three days.",
              "Forecasters expect more rain from {D}.",
              "The dam above {T}, completed in {Y}, held, engineers said.",
              "Schools will stay closed until {D}."],
        heads=["Floods force {h} from homes in {R}", "Storm batters {T}",
               "{C} declares emergency as rivers rise", "Thousands flee floods in {R}"],
        src=[("the Ministry of Civil Protection of {C}", "the ministry"),
             ("the {A} Red Lantern Society", "the society"), ("Mayor {P}", "the mayor")]),
    "strike": dict(
        nouns=["workers", "employees", "nurses", "dockworkers", "union members"], size=(200, 120000),
        facts=[(1, "{q} walked out on {D}"), (0.5, "{q} joined the strike in {T}"),
               (0.8, "{q} have voted to extend the stoppage"), (0.1, "{q} could lose their jobs under the plan"),
               (0.01, "{q} picketed the main gate")],
        fill=["The union wants a pay rise of {p}; management has offered half that.",
              "The stoppage is costing the port about {M} a day.",
              "Talks resume at {H} on {D} at the labour court.",
              "It is the {o} strike at the plant since {Y}.",
              "Ships were queuing {n} km off the coast on {D}."],
        heads=["Strike halts port of {T}", "{h} workers walk out in {C}",
               "Union vows to widen strike", "Talks fail as strike enters {o} week"],
        src=[("the {A} Federation of Transport Workers", "the union"),
             ("the union leader, {P}", "the union"), ("the Labour Ministry of {C}", "the ministry")]),
    "epidemic": dict(
        nouns=["cases", "patients", "people", "health workers"], size=(20, 90000),
        facts=[(1, "{q} have been confirmed since {D}"), (0.1, "{q} were hospitalised last week", ["patients", "people", "children"]),
               (5, "{q} have been vaccinated in {R}", ["people", "health workers", "children"]),
               (0.01, "{q} have died of the infection in {T}", ["patients", "people"]),
               (0.05, "{q} were reported in the past 24 hours")],
        fill=["Clinics in {T} will open at {H} and stay open late.",
              "Vaccination coverage stands at {p}, below the target.",
              "The government has set aside {M} for testing.",
              "The outbreak is the worst since {Y}.",
              "Children under {n} and adults over 6{d} are most at risk, doctors said."],
        heads=["Outbreak spreads in {R}", "{h} cases reported in {C}",
               "Hospitals in {T} stretched by fever outbreak", "{C} steps up vaccination drive"],
        src=[("the National Health Institute of {C}", "the institute"),
             ("the {A} Health Ministry", "the ministry"), ("the chief medical officer, {P}", "she")]),
    "migration": dict(
        nouns=["migrants", "asylum seekers", "arrivals", "people", "children"], size=(50, 700000),
        facts=[(0.1, "{q} crossed the border in {MO}"), (0.02, "{q} arrived on the islands this week"),
               (1, "{q} have applied for asylum since {Y}"), (0.05, "{q} are waiting in camps near {T}"),
               (0.01, "{q} were rescued at sea")],
        fill=["Crossings usually fall after {MO}, when the weather turns.",
              "The reception centre in {T}, built in {Y}, was designed for far fewer.",
              "The {o} boat of the day landed at {H}.", "The scheme will cost {M} over two years.",
              "A {a}-year-old woman said she had walked for {n} days."],
        heads=["Arrivals surge on {R}", "{h} migrants reach {C}",
               "Camps near {T} overwhelmed", "{C} tightens border as crossings rise"],
        src=[("the Office for Migration of {C}", "the office"), ("the {A} Coast Guard", "the agency"),
             ("the Interior Minister, {P}", "the minister")]),
    "aid": dict(
        nouns=["tonnes of food", "trucks", "containers", "tents", "aid workers"], size=(10, 50000),
        facts=[(0.3, "{q} reached {T} on {D}"), (0.2, "{q} are waiting at the crossing"),
               (1, "{q} have been delivered since {MO}"), (0.5, "{q} will be shipped next week"),
               (0.05, "a convoy of {q} was turned back at the checkpoint")],
        fill=["The convoy left {T} at {H} and took {n} hours to cover the road.",
              "Donors have pledged {M}, {p} of what was requested.",
              "The warehouse, opened in {Y}, is the {o} in the region.",
              "The crossing opens at {H} and closes at dusk."],
        heads=["Aid convoy reaches {T}", "{h} trucks of aid wait at border",
               "Donors pledge help for {R}", "Food runs short in {T}"],
        src=[("the World Grain Relief Office", "the agency"), ("the Corvale Relief Network", "the network"),
             ("the {A} Aid Coordination Council", "the council")]),
}
RELATED = {"military": ["casualties", "migration"], "casualties": ["aid", "military"],
           "protest": ["casualties", "strike"], "disaster": ["aid", "casualties"],
           "strike": ["protest"], "epidemic": ["aid", "casualties"],
           "migration": ["aid", "casualties"], "aid": ["disaster", "migration"]}
TOPIC_NAMES = sorted(TOPICS)

GENERIC_FILL = [
    "The figures could not be independently verified.",
    "Officials gave no further details.",
    "{P}, {a}, said the situation had changed quickly since {D}.",
    "A spokesperson declined to comment further.",
    "The {o} round of talks is due to open in {T} on {D}.",
    "Reporters were not allowed near {R}.",
]
BOILER = ["Sign up for our newsletter to get the latest news in your inbox every morning.",
          "Photo: {P} / {W}", "Read more: {head}", "Advertisement",
          "Support our journalism. Become a member today.", "Share this article"]


# --------------------------------------------------------------------------
# numbers


def commas(v: float) -> str:
    return f"{int(v):,}"


def round_nice(v: float) -> int:
    if v < 25:
        return max(int(v), 2)
    digits = len(str(int(v))) - 2
    step = 10 ** max(digits, 0) * (5 if v > 1000 else 1)
    return max(int(round(v / step) * step), step)


def amount(rng: random.Random, v: int) -> str:
    """An amount in one of many news forms; the counted noun follows it."""
    v = round_nice(v)
    r = rng.random()
    if v <= 20 and r < 0.5:
        return rng.choice(["", "at least ", "nearly ", "some "]) + SMALL[v]
    if 20 <= v <= 30 and r < 0.3:
        return rng.choice(["nearly two dozen", "about two dozen", "more than two dozen"])
    if v >= 1_000_000 and r < 0.6:
        m = round(v / 1_000_000, 1)
        return rng.choice(["", "about ", "nearly ", "more than "]) + f"{m:g} million"
    if 350_000 <= v < 700_000 and r < 0.3:
        return rng.choice(["half a million", "nearly half a million", "about half a million"])
    if 20_000 <= v < 100_000 and r < 0.15:
        return "tens of thousands of"
    if 2_000 <= v < 10_000 and r < 0.1:
        return "thousands of"
    if 1_000 <= v < 100_000 and r < 0.17:
        return f"{v // 1000}K"
    r = rng.random()
    hedge = rng.choice(["about ", "around ", "more than ", "nearly ", "at least ", "some ",
                        "an estimated ", "roughly ", "up to ", "as many as ", "over "])
    if r < 0.35:
        return commas(v)
    if r < 0.75:
        return hedge + commas(v)
    hi = round_nice(v * rng.uniform(1.15, 1.6))
    if r < 0.9:
        return f"between {commas(v)} and {commas(hi)}"
    return rng.choice([f"{commas(v)} to {commas(hi)}", f"{commas(v)}-{commas(hi)}"])


# --------------------------------------------------------------------------
# articles


class Article:
    def __init__(self, rng: random.Random, topic: str):
        self.rng, self.topic = rng, topic
        self.country = rng.choice(list(COUNTRIES))
        adj, capital, towns = COUNTRIES[self.country]
        self.adj, self.town = adj, rng.choice([capital, *towns])
        self.year, self.month, self.day = rng.randint(2019, 2025), rng.randrange(12), rng.randint(1, 28)
        self.wire, self.outlet = rng.choice(WIRES), rng.choice(OUTLETS)
        self.people = [self.person() for _ in range(3)]
        # the main story, and a related one mixed in (aid to a disaster zone, deaths at a protest)
        self.stories = [self.story(topic), self.story(rng.choice(RELATED[topic]))]
        self.pool: list[str] = []

    def story(self, topic: str) -> dict:
        t = TOPICS[topic]
        srcs = [(self.fill(name), self.fill(short), "{P}" in name) for name, short in t["src"]]
        return dict(topic=topic, t=t, base=self.rng.uniform(*t["size"]), src=srcs)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def fill(self, s: str, **extra: str) -> str:
        rng = self.rng
        parts = {
            "C": self.country, "A": self.adj, "T": self.town, "R": rng.choice(REGIONS),
            "D": f"{rng.choice(DAYS)}, {MONTHS[self.month][:3]}. {rng.randint(1, self.day)}",
            "MO": MONTHS[rng.randrange(12)], "Y": str(rng.randint(1990, self.year - 1)),
            "H": rng.choice([f"{rng.randint(1, 11)}:{rng.choice(['00', '15', '30', '45'])} "
                             f"{rng.choice(['a.m.', 'p.m.'])}", f"{rng.randint(0, 23):02d}:00 GMT"]),
            "p": rng.choice([f"{rng.randint(2, 90)} percent", f"{rng.randint(2, 90)}%",
                             f"{rng.randint(2, 60)}.{rng.randint(1, 9)} per cent"]),
            "M": rng.choice([f"${rng.randint(2, 900)} million", f"€{rng.randint(10, 990) * 1000:,}",
                             f"{rng.randint(2, 40)}.{rng.randint(1, 9)} billion crowns"]),
            "o": rng.choice(["second", "third", "fourth", "fifth", "10th", "21st"]),
            "a": str(rng.randint(19, 88)), "n": str(rng.randint(2, 40)), "d": str(rng.randint(2, 7)),
            "n2": SMALL[rng.randint(2, 12)], "P": self.person(), "W": self.wire,
        }
        if "{h}" in s:
            base = self.stories[0]["base"]
            parts["h"] = commas(round_nice(base)) if base > 20 else SMALL[max(int(base), 2)]
        parts.update(extra)
        return s.format(**parts).replace("m..", "m.")

    def cite(self, st: dict) -> tuple[str, str, str]:
        """(claimant as subject, as object, later mention): a source, its spokesperson or media."""
        rng = self.rng
        r = rng.random()
        name, short, is_person = rng.choice(st["src"])
        if r < 0.2 and name.startswith("the "):
            p = rng.choice(self.people)
            name, short = f"{p}, a spokesperson for {name}", p.split()[-1]
        elif r > 0.85:
            name = rng.choice([self.wire, self.outlet, "local media"])
            return name, name, name
        return (name + "," if "," in name else name), name, short

    def figure_sentence(self, st: dict) -> str:
        rng = self.rng
        share, fact, *nouns = rng.choice(st["t"]["facts"])
        v = max(2, int(st["base"] * share * rng.uniform(0.6, 1.6) * rng.choice([1, 1, 1, 0.3, 0.05])))
        clause = self.fill(fact, q=f"{amount(rng, v)} {rng.choice(nouns[0] if nouns else st['t']['nouns'])}")
        subj, obj, later = self.cite(st)
        c, base = cap(clause), int(st["base"])
        if obj in (self.wire, self.outlet, "local media"):
            return rng.choice([f"{c}, {obj} reported.", f"According to {obj}, {clause}.",
                               f"{cap(obj)} reported that {clause}."])
        forms = [f"{c}, {subj} said.", f"{c}, said {obj}.", f"According to {obj}, {clause}.",
                 f"{cap(subj)} told reporters that {clause}.", f"{cap(subj)} said {clause}.",
                 f"{c}, {self.wire} reported, citing {obj}.", f"In a statement, {subj} said {clause}.",
                 f"{c}, {rng.choice([later, subj])} said on {rng.choice(DAYS)}.", f"{c}.",
                 f'"{c}," said {rng.choice(self.people)}, a spokesperson for {rng.choice(["the agency", later])}.',
                 f"{cap(subj)} estimated that {clause}, though the figure could not be verified."]
        if st["topic"] == "protest":
            forms += [f"Police put the turnout at {amount(rng, int(base * 0.4))}, while organisers "
                      f"claimed {amount(rng, int(base * 1.5))}.", f"Turnout was {amount(rng, base)}, {subj} said."]
        if st["topic"] == "casualties":
            forms += [f"The toll rose to {amount(rng, base)} on {rng.choice(DAYS)}, {subj} said.",
                      f"The death toll now stands at {commas(round_nice(base))}, according to {obj}."]
        return rng.choice(forms)

    def other_sentence(self) -> str:
        if not self.pool:  # without repeats until every context sentence is used
            self.pool = self.stories[0]["t"]["fill"] + GENERIC_FILL
            self.rng.shuffle(self.pool)
        return self.fill(self.pool.pop())

    def paragraph(self) -> str:
        rng = self.rng
        sents = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 4])):
            r = rng.random()
            sents.append(self.figure_sentence(self.stories[0]) if r < 0.3 else
                         self.figure_sentence(self.stories[1]) if r < 0.38 else self.other_sentence())
        return " ".join(sents)

    def render(self) -> str:
        rng = self.rng
        head = cap(self.fill(rng.choice(self.stories[0]["t"]["heads"])))
        mon = MONTHS[self.month]
        date = rng.choice([f"{mon} {self.day}, {self.year}", f"{self.day} {mon} {self.year}",
                           f"Published {self.year}-{self.month + 1:02d}-{self.day:02d} "
                           f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d} GMT",
                           f"Updated {rng.choice(DAYS)} {self.day} {mon[:3]} {self.year}"])
        lines = [rng.choice([head, f"# {head}"]), "", f"By {self.people[0]}"]
        if rng.random() < 0.5:
            lines += [self.outlet, date, ""]
            lead = ""
        else:
            lines += [date, ""]
            lead = f"{self.town.upper()}, {mon[:3]} {self.day} ({self.wire}) - "
        paras = [self.paragraph() for _ in range(rng.randint(6, 20))]
        rng.shuffle(paras)
        paras[0] = lead + paras[0]
        for _ in range(rng.randint(1, 3)):
            other_head = rng.choice(TOPICS[rng.choice(TOPIC_NAMES)]["heads"])
            paras.insert(rng.randint(1, len(paras)), self.fill(rng.choice(BOILER), head=self.fill(other_head)))
        return "\n".join(lines) + "\n" + "\n\n".join(paras) + "\n"


def cap(s: str) -> str:
    return s[0].upper() + s[1:]


def article_text(seed: int, index: int) -> tuple[str, str]:
    """(topic, text) of article number ``index`` of the corpus ``seed``: deterministic."""
    rng = random.Random(seed * 1_000_003 + index)
    topic = TOPIC_NAMES[index % len(TOPIC_NAMES)] if rng.random() < 0.5 else rng.choice(TOPIC_NAMES)
    return topic, Article(rng, topic).render()


def write_corpus(folder: Path, target_mb: float, seed: int = 0) -> tuple[int, int]:
    """Write invented articles (``NNNNNN_<topic>.txt``) into ``folder`` until ``target_mb``
    MB are written.  Returns (bytes written, number of articles)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = n = 0
    while total < target_mb * MB:
        topic, text = article_text(seed, n)
        data = text.encode("utf-8")
        (folder / f"{n:06d}_{topic}.txt").write_bytes(data)
        total += len(data)
        n += 1
    return total, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write the articles into (created if missing)")
    ap.add_argument("--mb", type=float, default=5, help="corpus size in MB (default 5)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = ap.parse_args(argv)
    total, n = write_corpus(args.out, args.mb, args.seed)
    print(f"wrote {n} articles, {total / MB:.2f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
