"""Random Defender events for the differential suite, biased toward what the rules look for:
their own string literals perturbed in case, at term boundaries, with punctuation, underscores,
non-ASCII letters, empty strings and nulls, and timestamps on both sides of the time windows.
The same seed gives the same events (RULEPACK_DIFF_SEED, RULEPACK_DIFF_ROWS choose others)."""

import datetime as dt
import random
import re

from engines import Events, schema

# Offsets from now that rules compare with (their windows' edges); no event is generated within
# ten minutes of one, since each engine reads now() at a slightly different moment.
EDGES = [dt.timedelta(0), dt.timedelta(seconds=90), dt.timedelta(hours=12), dt.timedelta(days=3), dt.timedelta(days=5)]
NON_ASCII = ["é", "É", "ü", "Ü", "ñ", "署", "\u00a0", "\u2013"]
PUNCTUATION = [" ", ".", ",", "_", "-", "/", ":", "@", "\\", "'", '"', "(", ")"]
WORDS = ["agent", "service", "update", "Microsoft", "Windows", "setup", "tool", "remote", "client", "x"]


def literals(kql: str) -> list[str]:
    """The string literals of a KQL query as rulepack writes it ('...' with backslash escapes)."""
    escapes = {"n": "\n", "t": "\t", "r": "\r"}

    def unescape(match: re.Match) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code.startswith("u") and len(code) == 5 else escapes.get(code, code)

    found = []
    for match in re.finditer(r"'((?:[^'\\]|\\.)*)'", kql):
        text = re.sub(r"\\(u[0-9A-Fa-f]{4}|.)", unescape, match.group(1))
        if text and text not in found:
            found.append(text)
    return found


class Generator:
    """`groups`: one list of literals per rule. Each row draws its needles from one group, so a
    rule that needs two literals at once (a domain and a signer) sees rows that have both."""

    def __init__(self, seed: int, groups: list[list[str]]):
        self.rng = random.Random(seed)
        self.groups = [g for g in groups if g] or [["syncro"]]
        self.needles = self.groups[0]

    def perturb(self, needle: str) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            return needle
        choice = rng.randrange(9)
        if choice == 0:
            return needle.upper()
        if choice == 1:
            return needle.lower()
        if choice == 2:  # a letter against the needle: no term boundary there
            return rng.choice("aZ9é") + needle
        if choice == 3:
            return needle + rng.choice("aZ9é")
        if choice == 4:  # separators: a term boundary
            return rng.choice(WORDS) + rng.choice(PUNCTUATION) + needle + rng.choice(PUNCTUATION) + rng.choice(WORDS)
        if choice == 5:  # a piece of the needle
            cut = rng.randrange(1, max(2, len(needle)))
            return needle[:cut]
        if choice == 6:  # twice, the first occurrence glued to a letter
            return "x" + needle + " " + needle
        if choice == 7:
            return needle.replace(" ", rng.choice(["", "  ", "_", "\u00a0"]), 1)
        return rng.choice(NON_ASCII) + needle + rng.choice(NON_ASCII)

    def string(self) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.9:
            return self.perturb(rng.choice(self.needles))
        if roll < 0.93:
            return None
        if roll < 0.96:
            return ""
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))

    def age(self) -> dt.timedelta:
        while True:
            age = dt.timedelta(seconds=self.rng.uniform(0, 8 * 86400))
            if all(abs(age - edge) > dt.timedelta(minutes=10) for edge in EDGES):
                return age

    def events(self, tables: list[str], rows: int, now: dt.datetime) -> Events:
        tables_schema = schema()
        data = {}
        for table in tables:
            columns = tables_schema[table]
            table_rows = []
            for i in range(rows):
                self.needles = self.rng.choice(self.groups)
                row = {}
                for column, kind in columns:
                    if column == "Timestamp":
                        continue
                    if column == "DeviceId":
                        row[column] = f"dev-{self.rng.randrange(12)}"
                    elif column == "DeviceName":
                        row[column] = f"host-{self.rng.randrange(6)}"
                    elif kind == "string":
                        row[column] = self.string()
                    elif kind in ("long", "int"):
                        row[column] = self.rng.choice([None, 80, 443, 8080, self.rng.randrange(1, 100000)]) if column != "ReportId" else self.rng.choice([None, self.rng.randrange(1, 60)])
                    elif kind == "bool":
                        row[column] = self.rng.choice([None, True, False])
                    elif kind == "datetime":
                        row[column] = None if self.rng.random() < 0.3 else now - self.age()
                row["_age"] = None
                row["Timestamp"] = now - self.age()
                table_rows.append(row)
            data[table] = table_rows
        # Events takes ages; the timestamps are set directly here.
        events = Events({t: [] for t in tables}, now=now)
        events.rows = {t: [{k: v for k, v in r.items() if k != "_age"} for r in rs] for t, rs in data.items()}
        return events
