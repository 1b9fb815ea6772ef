#!/usr/bin/env python3
"""Writes tests/quality/judged.tsv from judgments made by reading the seeds.

Each query's expected paragraphs are the seed lines that contain one of the
word forms listed here (decided by a person: which forms, inflections and
compounds a German reader means by the query), or the phrase given. This
script only applies those judgments to the seed files; it never runs
fundstelle. Rerun it after editing a judgment and review the diff.
"""
import glob, os, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEEDS = sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt")))

def lines():
    for path in SEEDS:
        doc = os.path.basename(path)[:-4]
        for i, line in enumerate(open(path, encoding="utf-8").read().split("\n")):
            if line.strip():
                yield doc, i + 1, line

def tokens(line):
    return [t.lower() for t in re.findall(r"[^\W_]+", line)]

def having(*forms):
    forms = {f.lower() for f in forms}
    return {(d, n) for d, n, l in lines() if forms & set(tokens(l))}

def phrase(words, slop=0, prefix_last=False):
    words = [w.lower() for w in words]
    out = set()
    for d, n, l in lines():
        t = tokens(l)
        for i, w in enumerate(t):
            if w != words[0]:
                continue
            ok = True
            for k, want in enumerate(words[1:], 1):
                lo, hi = max(0, i + k - slop), min(len(t) - 1, i + k + slop)
                match = (lambda x: x.startswith(want)) if (prefix_last and k == len(words) - 1) else (lambda x: x == want)
                if not any(match(t[j]) for j in range(lo, hi + 1)):
                    ok = False
            if ok:
                out.add((d, n))
    return out

def doc(prefix):
    return {(d, n) for d, n, _ in lines() if d.startswith(prefix)}

def golden(prefix, kind=None, agency=None):
    """Paragraph lines of a seed whose golden segmentation (itself decided
    by reading) has this kind / agency."""
    path = glob.glob(os.path.join(ROOT, "tests", "golden", prefix + "*.tsv"))[0]
    d = os.path.basename(path)[:-4]
    out = set()
    for row in open(path, encoding="utf-8"):
        cols = row.rstrip("\n").split("\t")
        if row.startswith("#") or not cols[0].isdigit():
            continue
        if (kind is None or cols[1] == kind) and (agency is None or agency in cols[3].split(",")):
            out.add((d, int(cols[0])))
    return out

def all_golden(kind=None, agency=None):
    return set().union(*(golden(p, kind, agency) for p in ["000", "001", "002", "003", "004"]))

GARANTIEN = having("Garantien", "Garantie", "Sicherheitsgarantien")
VERTEIDIGUNG = having("Verteidigung", "Luftverteidigung", "Verteidigungsministerium",
                      "Verteidigungsministerin", "Verteidigungsminister", "Verteidigungsfähigkeit")
TRUPPEN = having("Truppen", "Truppe", "Friedenstruppen", "Friedenstruppe", "Bodentruppen",
                 "Sicherungstruppe", "Sicherheitstruppe", "Truppenpräsenz")
KRIEG = having("Krieg", "Kriege", "Kriegs", "Weltkriegs", "Kriegsbeginn", "Kriegsende",
               "Kriegsanstrengungen")
LAND = having("Land", "Lande", "Landes", "Länder", "Ländern", "Unterstützerländer")
MINISTER = having("Minister", "Ministerin", "Ministerinnen", "Verteidigungsminister",
                  "Verteidigungsministerin", "Premierminister")
RUSSLAND = having("Russland", "Russlands")

JUDGED = [
    ("Sicherheitsgarantie", having("Sicherheitsgarantie", "Sicherheitsgarantien"), "inflection: singular finds plural"),
    ("Garantien", GARANTIEN, "compound head: Sicherheits|garantien; 'Sécherheetsgarantië' in 000 is Luxembourgish, not meant"),
    ('"Garantien"', having("Garantien"), "quoted: the form only, no compounds"),
    ("Verteidigung", VERTEIDIGUNG, "compounds as head and modifier; the verb 'verteidigte' is not the noun"),
    ("Truppen", TRUPPEN, "compounds: Boden|truppen, Friedens|truppe, Truppen|präsenz; Nato-Truppen by hyphen"),
    ("Krieg", KRIEG, "compounds: Welt|kriegs, Kriegs|anstrengungen, Kriegs|beginn, Kriegs|ende"),
    ("Rat", having("Sicherheitsrat"), "Sicherheits|rat; not beraten, Beratungen, Machtdemonstration, Regeneration"),
    ("Land", LAND, "not Russland, Deutschland, Estland, Griechenland, Niederlande, Niederländer, ausländische"),
    ("Länder", LAND, "plural finds singular and Lande"),
    ("Laender", LAND, "ae spelling of ä"),
    ("Grossbritannien", having("Großbritannien"), "ss spelling of ß"),
    ("Praesident", having("Präsident", "Präsidenten", "Präsidentin", "Kommissionspräsidentin"), "ae spelling; feminine and compound forms"),
    ("Minister", MINISTER, "feminine Ministerin; compounds Verteidigungs|minister(in), Premier|minister; not the Ministerium"),
    ("Ministerin", MINISTER, "the feminine form finds the masculine ones too"),
    ("Verteidigungsminister", having("Verteidigungsminister", "Verteidigungsministerin"), "feminine form of a compound; not Verteidigungsministerium"),
    ("Selenskij~1", having("Selenskyj"), "transliteration within one edit"),
    ("Selenskij~2", having("Selenskyj", "Selenskyjs"), "two edits also reach the genitive Selenskyjs"),
    ("Sicherheits*", having("Sicherheitsgarantien", "Sicherheitsrat", "Sicherheitszusage", "Sicherheitsexperte", "Sicherheitstruppe"), "prefix"),
    ('"Koalition der Will*"', phrase(["koalition", "der", "will"], prefix_last=True), "phrase with a prefix: also the typo 'Willingen' in 003"),
    ('"Koalition der Willigen"', phrase(["koalition", "der", "willigen"]), "exact phrase; not 'Koalition der Willingen'"),
    ('"Koalition Willigen"~1', phrase(["koalition", "willigen"], slop=1), "phrase with one position of slack"),
    ("Ukraine-Krieg", phrase(["ukraine", "krieg"]) | phrase(["ukraine", "kriegs"]), "hyphenated word as a phrase of its parts"),
    ("Macron OR Merz", having("Macron") | having("Merz"), "OR"),
    ("Macron Merz", having("Macron") & having("Merz"), "AND by default"),
    ("Truppen -Russland", TRUPPEN - RUSSLAND, "NOT"),
    ("Putin NOT Trump", having("Putin") - having("Trump", "Trumps"), "NOT"),
    ("Sicherheitsgarantien kind:heading", having("Sicherheitsgarantien") & all_golden(kind="heading"), "kind filter"),
    ("Truppen kind:comment", TRUPPEN & all_golden(kind="comment"), "reader comments by kind"),
    ("Truppen agency:dpa", TRUPPEN & all_golden(agency="dpa"), "agency filter"),
    ("title:Witkoff", doc("002"), "every paragraph of the article whose title has the word"),
    ("Truppen doc:003_9fedab82a9c88a2c", TRUPPEN & doc("003"), "doc filter"),
    ("Krieg date:2025-11-05", KRIEG & doc("000"), "date filter: only 000 is dated 2025-11-05"),
    ("Krieg date:[2025-09-01 TO 2025-09-30]", KRIEG & (doc("002") | doc("003") | doc("004")), "date range"),
    ("Nato", having("Nato", "NATO"), "all Nato-… hyphenations"),
    ("Waffenstillstand", having("Waffenstillstand", "Waffenstillstands", "Waffenstillstandes", "Waffenstillstandsvereinbarung"), "inflection and compound"),
    ("Frieden", having("Frieden", "Friedens", "Friedenstruppen", "Friedenstruppe", "Friedensabkommen", "Friedenssicherung", "Friedensschluss", "Friedensgespräche", "Friedensmission", "Friedenslösung"), "compounds with Fugen-s"),
    ("Soldaten", having("Soldaten", "Soldat"), "inflection"),
    ("Kanzler", having("Kanzler", "Bundeskanzler"), "compound with Fugen-es"),
    ("Präsenz", having("Präsenz", "Truppenpräsenz"), "compound head; US-Präsenz by hyphen"),
    ("Zusage", having("Zusage", "Zusagen", "Sicherheitszusage"), "inflection and compound"),
    ("Sanktionen", having("Sanktionen", "Sanktion"), "inflection"),
    ("Luftverteidigung", having("Luftverteidigung"), "a compound finds itself"),
    ('"Truppen"', having("Truppen"), "quoted: exact form, no compounds"),
    ("Russland", RUSSLAND, "not Russen, russischen"),
    ("Deutschland", having("Deutschland", "Deutschlands"), "a name stays whole"),
]

def fmt(pairs):
    return " ".join(f"{d[:3]}:{n}" for d, n in sorted(pairs))

out = ["# query\texpected paragraphs (seed prefix:line)\twhy (see make_judged.py for the word forms)"]
for query, expected, reason in JUDGED:
    assert "\t" not in query
    out.append(f"{query}\t{fmt(expected)}\t{reason}")
open(os.path.join(ROOT, "tests", "quality", "judged.tsv"), "w", encoding="utf-8").write("\n".join(out) + "\n")
print(len(JUDGED), "queries")
