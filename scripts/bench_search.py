"""Time the breed search index on a synthetic 10,000-entry catalogue.

Run from the repository root: `python scripts/bench_search.py`. The catalogue
is the real snapshot plus generated breeds and sub-breeds from a fixed seed,
so runs on one machine are comparable.
"""

import argparse
import json
import random
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breeds.names import display_name  # noqa: E402 (needs the path above)
from breeds.search import SearchEntry, SearchIndex, catalogue_entries  # noqa: E402

SNAPSHOT_PATH = ROOT / "breeds" / "data" / "breeds-list-all.json"
SYLLABLES = (
    "ba bel bor da del dor fa fen gal gor ka kel kor la len lor ma mel mor "
    "na nel nor pa pel por ra rel ror sa sel sor ta tel tor va vel vor za zel"
).split()
SUB_BREED_WORDS = (
    "american alpine black coastal dwarf eastern giant golden highland long "
    "miniature mountain northern red royal short silver smooth southern "
    "standard toy western white wire"
).split()


def make_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def make_catalogue(size: int, seed: int) -> list[SearchEntry]:
    """Build the real catalogue plus generated entries, `size` in all."""
    breeds = json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8"))["message"]
    entries = catalogue_entries(breeds)
    used_paths = {entry.path for entry in entries}
    rng = random.Random(seed)
    while len(entries) < size:
        breed = make_word(rng)
        if breed in used_paths:
            continue
        used_paths.add(breed)
        entries.append(_generated_entry(rng, breed, None))
        for _ in range(rng.randint(0, 4)):
            if len(entries) >= size:
                break
            sub_breed = rng.choice([*SUB_BREED_WORDS, make_word(rng)])
            if f"{breed}/{sub_breed}" in used_paths:
                continue
            used_paths.add(f"{breed}/{sub_breed}")
            entries.append(_generated_entry(rng, sub_breed, breed))
    return entries


def _generated_entry(rng: random.Random, name: str, parent: str | None) -> SearchEntry:
    path = f"{parent}/{name}" if parent else name
    # About one entry in five gets curated aliases, as the site's may.
    aliases = ()
    if rng.random() < 0.2:
        aliases = tuple(make_word(rng).title() for _ in range(rng.randint(1, 2)))
    return SearchEntry(path, name, parent, display_name(name, parent), aliases)


def misspell(rng: random.Random, text: str) -> str:
    """Apply one typo (swap, drop or change a letter) to the longest word."""
    words = text.lower().split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    position = rng.randrange(1, len(word) - 1)
    typo = rng.choice(("swap", "drop", "change"))
    if typo == "swap":
        word = (
            word[: position - 1]
            + word[position]
            + word[position - 1]
            + word[position + 1 :]
        )
    elif typo == "drop":
        word = word[:position] + word[position + 1 :]
    else:
        word = word[:position] + rng.choice("aeiouxyz") + word[position + 1 :]
    words[longest] = word
    return " ".join(words)


def make_queries(
    rng: random.Random, entries: list[SearchEntry], per_kind: int
) -> dict[str, list[str]]:
    names = [entry.display_name for entry in entries]
    long_names = [name for name in names if max(map(len, name.split())) >= 6]
    return {
        "exact": rng.sample(names, per_kind),
        "prefix": [
            name.split()[0][: rng.randint(2, 5)] for name in rng.sample(names, per_kind)
        ],
        "fuzzy": [misspell(rng, name) for name in rng.sample(long_names, per_kind)],
        "miss": [
            "".join(
                rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 10))
            )
            for _ in range(per_kind)
        ],
    }


def time_calls(function, queries: list[str]) -> list[float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--entries",
        type=int,
        default=10_000,
        help="number of entries, the real catalogue included",
    )
    parser.add_argument(
        "--queries", type=int, default=200, help="number of queries of each kind"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    options = parser.parse_args()

    rng = random.Random(options.seed)
    entries = make_catalogue(options.entries, options.seed)
    started = time.perf_counter()
    index = SearchIndex(entries)
    build_ms = (time.perf_counter() - started) * 1000
    queries = make_queries(rng, entries, options.queries)

    rows = []
    found = {}
    for kind, kind_queries in queries.items():
        rows.append((f"search {kind}", time_calls(index.search, kind_queries)))
        found[kind] = sum(1 for query in kind_queries if index.search(query, limit=1))
    rows.append(("autocomplete", time_calls(index.autocomplete, queries["prefix"])))
    rows.append(("suggest fuzzy", time_calls(index.suggest, queries["fuzzy"])))
    long_query = "golden retriever " * 600
    rows.append(("search 10,000 chars", time_calls(index.search, [long_query] * 20)))

    lines = [
        f"entries: {len(index)}",
        f"index build: {build_ms:.0f} ms",
        f"{'operation':<22}{'calls':>7}{'median ms':>11}{'p95 ms':>9}{'found':>8}",
    ]
    for label, timings in rows:
        kind = label.removeprefix("search ")
        hits = f"{found[kind]}" if kind in found else "-"
        lines.append(
            f"{label:<22}{len(timings):>7}{statistics.median(timings):>11.3f}"
            f"{percentile(timings, 0.95):>9.3f}{hits:>8}"
        )
    print("\n".join(lines))  # noqa: T201 (the table is this script's output)


if __name__ == "__main__":
    main()
