"""In-memory breed search: names, aliases, word prefixes and misspellings.

The index is plain Python and does not import Django. The site builds it
from its catalogue rows, and `catalogue_entries` builds it from a
`/breeds/list/all` payload.
"""

import bisect
import enum
import heapq
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from breeds.names import display_name as english_display_name

# Queries are cut to this many characters before anything else happens. The
# longest name or alias in the built-in data is under 50 characters.
MAX_QUERY_LENGTH = 100
# Only the first distinct words of a query take part in prefix and fuzzy
# matching, which keeps a query of many short words from costing a set union
# per word.
MAX_QUERY_WORDS = 8

# Common names and Spanish names, keyed by Dog API path. The index merges
# them with each entry's own aliases.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "affenpinscher": ("Monkey Terrier",),
    "african": ("African Hunting Dog", "Perro salvaje africano", "Licaón"),
    "akita": ("Akita Inu",),
    "australian/shepherd": ("Aussie", "Pastor australiano"),
    "borzoi": ("Russian Wolfhound", "Galgo ruso"),
    "bouvier": ("Boyero de Flandes",),
    "bulldog/boston": ("Boston Terrier", "Boston"),
    "bulldog/english": ("British Bulldog", "Bulldog inglés"),
    "bulldog/french": ("Frenchie", "Bulldog francés"),
    "bullterrier/staffordshire": ("Staffy", "Staffie", "Staff"),
    "cattledog/australian": (
        "Blue Heeler",
        "Red Heeler",
        "Queensland Heeler",
        "Heeler",
        "Pastor ganadero australiano",
    ),
    "chihuahua": ("Chihuahueño",),
    "corgi/cardigan": ("Cardi", "Corgi galés de Cardigan"),
    "cotondetulear": ("Coton",),
    "dachshund": (
        "Sausage Dog",
        "Wiener Dog",
        "Doxie",
        "Teckel",
        "Perro salchicha",
        "Salchicha",
    ),
    "dalmatian": ("Dálmata",),
    "dane/great": ("Gran danés", "Dogo alemán"),
    "doberman": ("Dobermann", "Doberman Pinscher", "Dobie"),
    "frise/bichon": ("Bichón frisé",),
    "germanshepherd": (
        "Alsatian",
        "German Shepherd Dog",
        "GSD",
        "Pastor alemán",
        "Perro pastor alemán",
    ),
    "greyhound": ("Galgo", "Galgo inglés"),
    "greyhound/italian": ("Iggy", "Galgo italiano", "Piccolo levriero italiano"),
    "groenendael": ("Belgian Sheepdog", "Pastor belga groenendael"),
    "havanese": ("Bichón habanero",),
    "hound/afghan": ("Afghan", "Galgo afgano", "Lebrel afgano"),
    "hound/basset": ("Basset",),
    "hound/blood": ("St. Hubert Hound", "Perro de San Huberto"),
    "hound/ibizan": ("Podenco ibicenco",),
    "husky": ("Husky siberiano",),
    "labrador": ("Lab", "Labrador retriever", "Perro labrador"),
    "malamute": ("Malamute de Alaska",),
    "malinois": ("Belgian Shepherd Malinois", "Pastor belga malinois"),
    "maltese": ("Bichón maltés", "Maltés"),
    "mastiff/english": ("Mastín inglés",),
    "mastiff/tibetan": ("Do Khyi", "Mastín tibetano"),
    "mexicanhairless": (
        "Xoloitzcuintli",
        "Xoloitzcuintle",
        "Xolo",
        "Perro sin pelo mexicano",
    ),
    "mix": ("Mixed", "Mongrel", "Mutt", "Mestizo", "Chucho"),
    "mountain/bernese": ("Berner", "Berner Sennenhund", "Boyero de Berna"),
    "mountain/swiss": ("Swissy", "Gran boyero suizo"),
    "newfoundland": ("Newfie", "Terranova"),
    "ovcharka/caucasian": ("Caucasian Ovcharka", "Pastor del Cáucaso"),
    "pekinese": ("Peke", "Pekinés"),
    "pembroke": ("Pembroke Corgi", "Corgi galés de Pembroke"),
    "pitbull": ("American Pit Bull Terrier", "Pit Bull Terrier"),
    "pointer/german": ("GSP", "Braco alemán", "Braco alemán de pelo corto"),
    "pointer/germanlonghair": ("Deutsch Langhaar", "Braco alemán de pelo largo"),
    "pomeranian": ("Pom", "Pomerania", "Lulú de Pomerania"),
    "poodle": ("Caniche",),
    "poodle/medium": ("Caniche mediano",),
    "poodle/miniature": ("Caniche enano", "Caniche miniatura"),
    "poodle/standard": ("Caniche grande", "Caniche estándar"),
    "poodle/toy": ("Caniche toy",),
    "pug": ("Carlino", "Doguillo"),
    "pyrenees": (
        "Pyrenean Mountain Dog",
        "Gran pirineo",
        "Perro de montaña de los Pirineos",
    ),
    "retriever/chesapeake": ("Chessie",),
    "retriever/golden": ("Golden",),
    "ridgeback/rhodesian": ("Crestado rodesiano",),
    "rottweiler": ("Rottie",),
    "saluki": ("Persian Greyhound", "Galgo persa"),
    "samoyed": ("Samoyedo",),
    "schnauzer/giant": ("Schnauzer gigante",),
    "schnauzer/miniature": ("Mini Schnauzer", "Schnauzer miniatura"),
    "segugio/italian": ("Italian Hound", "Sabueso italiano"),
    "setter/english": ("Setter inglés",),
    "setter/irish": ("Red Setter", "Setter irlandés"),
    "sharpei": ("Chinese Shar-Pei",),
    "sheepdog/english": ("Bobtail", "Antiguo pastor inglés"),
    "sheepdog/shetland": ("Sheltie", "Pastor de Shetland"),
    "spaniel/blenheim": ("Cavalier King Charles Spaniel", "Cavalier"),
    "spaniel/cocker": ("Cocker", "Cocker spaniel inglés"),
    "spaniel/irish": ("Perro de agua irlandés",),
    "stbernard": ("Saint Bernard", "San Bernardo", "Perro de San Bernardo"),
    "terrier/american": ("AmStaff",),
    "terrier/dandie": ("Dandie Dinmont",),
    "terrier/fox": ("Wire Fox Terrier", "Smooth Fox Terrier"),
    "terrier/russell": ("Jack Russell", "JRT"),
    "terrier/scottish": ("Scottie", "Scotty", "Terrier escocés"),
    "terrier/silky": ("Australian Silky Terrier",),
    "terrier/westhighland": ("Westie", "Westy", "West Highland"),
    "terrier/wheaten": ("Wheaten", "Wheatie"),
    "terrier/yorkshire": ("Yorkie",),
    "vizsla": ("Hungarian Vizsla", "Braco húngaro"),
    "waterdog/spanish": ("Perro de agua español",),
    "weimaraner": ("Weim", "Braco de Weimar"),
    "wolfhound/irish": ("Lobero irlandés",),
}

# Query words that rarely narrow a search ("golden retriever dog", "perro de
# agua"). Prefix and fuzzy matching ignore them unless the query has nothing
# else.
QUERY_STOP_WORDS: frozenset[str] = frozenset(
    {"breed", "de", "del", "dog", "dogs", "el", "la", "los", "of", "perro"}
    | {"perros", "raza", "the"}
)

# Words folded to one spelling before matching, so "Saint Bernard" and
# "St. Bernard" meet.
_WORD_SYNONYMS = {"saint": "st"}

_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[\W_]+")


class MatchKind(enum.StrEnum):
    """Kind of match between a query and a result, strongest first."""

    NAME = "name"
    ALIAS = "alias"
    PREFIX = "prefix"
    FUZZY = "fuzzy"


_KIND_RANK = {
    MatchKind.NAME: 4,
    MatchKind.ALIAS: 3,
    MatchKind.PREFIX: 2,
    MatchKind.FUZZY: 1,
}


@dataclass(frozen=True)
class SearchEntry:
    """One breed or sub-breed of the catalogue, with the names to search."""

    key: Hashable
    name: str
    parent_name: str | None
    display_name: str
    aliases: tuple[str, ...] = ()

    def __post_init__(self):
        # Accept any iterable of aliases but keep the entry hashable.
        object.__setattr__(self, "aliases", tuple(self.aliases))

    @property
    def path(self) -> str:
        """Dog API path of the entry: "breed" or "breed/sub-breed"."""
        if self.parent_name:
            return f"{self.parent_name}/{self.name}"
        return self.name


@dataclass(frozen=True)
class SearchResult:
    """A matched entry with its match kind and score.

    A higher score is a better match. The integer part is the kind (name 4,
    alias 3, prefix 2, fuzzy 1) and the fraction the quality within it.
    """

    entry: SearchEntry
    kind: MatchKind
    score: float


def normalize(text: str) -> str:
    """Fold case, accents, punctuation and spacing for comparison.

    "  Bichón-Frisé! " becomes "bichon frise". Apostrophes vanish ("St.
    John's" becomes "st johns"), and any other run of non-letters and
    non-digits becomes one space.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def catalogue_entries(breeds: Mapping[str, Sequence[str]]) -> list[SearchEntry]:
    """Build entries keyed by API path from a `/breeds/list/all` message."""
    entries = []
    for breed, sub_breeds in breeds.items():
        entries.append(SearchEntry(breed, breed, None, english_display_name(breed)))
        for sub_breed in sub_breeds:
            entries.append(
                SearchEntry(
                    f"{breed}/{sub_breed}",
                    sub_breed,
                    breed,
                    english_display_name(sub_breed, breed),
                )
            )
    return entries


def _match_words(text: str) -> list[str]:
    return [_WORD_SYNONYMS.get(word, word) for word in normalize(text).split()]


def _key_forms(words: Sequence[str]) -> set[str]:
    # A name matches with or without its spaces, which turns the Dog API's
    # joined names ("kerryblue") and split ones ("kerry blue") into one key.
    return {" ".join(words), "".join(words)}


def _fuzzy_threshold(word: str) -> int:
    """Return the largest edit distance accepted for a misspelt word."""
    # Eight letters allow three edits because "daschund" is three edits
    # away from "dachshund".
    # NOTE: three edits also reach "lapphund" from "daschund", at the same
    # score, so long misspellings can bring one or two unrelated results.
    if len(word) < 4:
        return 0
    if len(word) < 6:
        return 1
    if len(word) < 8:
        return 2
    return 3


def _trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _edit_distance(first: str, second: str, limit: int) -> int:
    """Return the optimal string alignment distance, or `limit` + 1 if larger.

    Insertions, deletions, substitutions and swaps of two adjacent letters
    ("poodel") each cost one.
    """
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    before_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        current = [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            cost = 0 if first[i - 1] == second[j - 1] else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            swapped = (
                i > 1
                and j > 1
                and first[i - 1] == second[j - 2]
                and first[i - 2] == second[j - 1]
            )
            if swapped:
                current[j] = min(current[j], before_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before_previous, previous = previous, current
    return previous[-1]


class _Query:
    """A query cut, normalized and split into the forms each stage needs."""

    def __init__(self, text: str):
        words = _match_words(text[:MAX_QUERY_LENGTH])
        self.keys = _key_forms(words) if words else set()
        self.spaced = " ".join(words)
        self.compact = "".join(words)
        distinct = list(dict.fromkeys(words))[:MAX_QUERY_WORDS]
        content = [word for word in distinct if word not in QUERY_STOP_WORDS]
        self.required = content or distinct


class SearchIndex:
    """Search over catalogue entries, built once and read many times.

    Build it with the entries to search. `builtin_aliases`, keyed by API path,
    adds aliases to every entry with that path, on top of its own.
    """

    def __init__(
        self,
        entries: Iterable[SearchEntry],
        builtin_aliases: Mapping[str, Iterable[str]] = BUILTIN_ALIASES,
    ):
        self._entries: list[SearchEntry] = []
        self._tie_order: list[tuple] = []
        self._entry_words: list[frozenset[str]] = []
        self._display_keys: dict[str, set[int]] = defaultdict(set)
        self._api_keys: dict[str, set[int]] = defaultdict(set)
        self._alias_keys: dict[str, set[int]] = defaultdict(set)
        self._word_entries: dict[str, set[int]] = defaultdict(set)
        # Vocabulary for misspellings: every word plus the joined form of
        # every name and alias, so "goldenretreiver" can still match.
        self._fuzzy_entries: dict[str, set[int]] = defaultdict(set)
        seen_keys = set()
        for entry in entries:
            if entry.key in seen_keys:
                raise ValueError(
                    f"Duplicate search entry key {entry.key!r}: "
                    "every entry needs a unique key."
                )
            seen_keys.add(entry.key)
            aliases = (*builtin_aliases.get(entry.path, ()), *entry.aliases)
            self._add_entry(entry, aliases)

        self._sorted_words = sorted(self._word_entries)
        self._sorted_display_keys = self._sorted_pairs(self._display_keys)
        self._sorted_alias_keys = self._sorted_pairs(self._alias_keys)
        self._trigram_words: dict[str, list[str]] = defaultdict(list)
        for word in self._fuzzy_entries:
            for trigram in _trigrams(word):
                self._trigram_words[trigram].append(word)

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, limit: int = 20) -> list[SearchResult]:
        """Return up to `limit` results, best first.

        Exact names come first, then exact aliases, then word prefixes, then
        misspellings. Ties go to main breeds, then shorter display names,
        then alphabetical order. A blank query returns no results.
        """
        return self._run(query, limit, include_fuzzy=True)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[SearchResult]:
        """Return up to `limit` completions of what a user has typed so far.

        Completions are exact and prefix matches ranked as in `search`,
        without its misspelling stage.
        """
        return self._run(prefix, limit, include_fuzzy=False)

    def exact_match(self, query: str) -> SearchEntry | None:
        """Return the one entry the query names exactly, or None.

        A name match wins over an alias match. None means no exact match or
        more than one entry with that name (or, failing names, that alias).
        """
        if not query:
            return None
        parsed = _Query(query)
        for matches in (self._name_matches(parsed), self._alias_matches(parsed)):
            if len(matches) == 1:
                (index,) = matches
                return self._entries[index]
            if matches:
                return None
        return None

    def suggest(self, query: str) -> str | None:
        """Return the display name to offer as "did you mean", or None.

        There is no suggestion when the query names an entry or alias exactly,
        or when nothing matches it at all.
        """
        if not query:
            return None
        parsed = _Query(query)
        if self._name_matches(parsed) or self._alias_matches(parsed):
            return None
        results = self._run(query, 1, include_fuzzy=True)
        if not results:
            return None
        return results[0].entry.display_name

    def _add_entry(self, entry: SearchEntry, aliases: Sequence[str]) -> None:
        index = len(self._entries)
        self._entries.append(entry)
        is_sub_breed = entry.parent_name is not None
        display = entry.display_name
        self._tie_order.append((is_sub_breed, len(display), display.casefold(), index))

        display_words = _match_words(display)
        api_orders = [_match_words(entry.name)]
        if entry.parent_name:
            parent_words = _match_words(entry.parent_name)
            api_orders = [
                parent_words + api_orders[0],
                api_orders[0] + parent_words,
            ]
        alias_words = [_match_words(alias) for alias in aliases]

        for key in _key_forms(display_words):
            self._display_keys[key].add(index)
        for words in api_orders:
            for key in _key_forms(words):
                self._api_keys[key].add(index)
        for words in alias_words:
            for key in _key_forms(words):
                self._alias_keys[key].add(index)

        entry_words = set()
        for words in (display_words, *api_orders, *alias_words):
            entry_words.update(words)
            if len(words) > 1:
                self._fuzzy_entries["".join(words)].add(index)
        entry_words.discard("")
        self._entry_words.append(frozenset(entry_words))
        for word in entry_words:
            self._word_entries[word].add(index)
            self._fuzzy_entries[word].add(index)

    @staticmethod
    def _sorted_pairs(keys: Mapping[str, set[int]]) -> list[tuple[str, int]]:
        return sorted(
            (key, index) for key, indexes in keys.items() for index in indexes
        )

    def _run(self, query: str, limit: int, include_fuzzy: bool) -> list[SearchResult]:
        if not query or limit <= 0:
            return []
        parsed = _Query(query)
        if not parsed.required:
            return []

        results: list[SearchResult] = []
        already_matched: set[int] = set()
        stages = [
            (MatchKind.NAME, self._name_qualities),
            (MatchKind.ALIAS, self._alias_qualities),
            (MatchKind.PREFIX, self._prefix_qualities),
        ]
        if include_fuzzy:
            stages.append((MatchKind.FUZZY, self._fuzzy_qualities))
        for kind, find_qualities in stages:
            if len(results) >= limit:
                break
            qualities = find_qualities(parsed, already_matched)
            best = heapq.nsmallest(
                limit - len(results),
                qualities.items(),
                key=lambda item: (-item[1], self._tie_order[item[0]]),
            )
            for index, quality in best:
                already_matched.add(index)
                score = round(_KIND_RANK[kind] + quality, 4)
                results.append(SearchResult(self._entries[index], kind, score))
        return results

    def _name_matches(self, parsed: _Query) -> set[int]:
        matches = set()
        for key in parsed.keys:
            matches |= self._display_keys.get(key, set())
            matches |= self._api_keys.get(key, set())
        return matches

    def _alias_matches(self, parsed: _Query) -> set[int]:
        matches = set()
        for key in parsed.keys:
            matches |= self._alias_keys.get(key, set())
        return matches

    def _name_qualities(
        self, parsed: _Query, already_matched: set[int]
    ) -> dict[int, float]:
        # The display name is a better match than the Dog API's own spelling.
        qualities = {}
        for key in parsed.keys:
            for index in self._api_keys.get(key, ()):
                qualities.setdefault(index, 0.0)
            for index in self._display_keys.get(key, ()):
                qualities[index] = 0.5
        return {
            index: quality
            for index, quality in qualities.items()
            if index not in already_matched
        }

    def _alias_qualities(
        self, parsed: _Query, already_matched: set[int]
    ) -> dict[int, float]:
        return {index: 0.0 for index in self._alias_matches(parsed) - already_matched}

    def _prefix_qualities(
        self, parsed: _Query, already_matched: set[int]
    ) -> dict[int, float]:
        """Score entries whose words start with every required query word.

        Entries whose display name starts with the whole query rank first.
        Next come entries in which more query words are whole words, and
        last, among equals, entries with an alias that starts with the query.
        """
        candidates = self._entries_with_word_prefix(parsed.required[0])
        for word in parsed.required[1:]:
            if not candidates:
                break
            candidates &= self._entries_with_word_prefix(word)

        display_starts = set()
        alias_starts = set()
        for query_key in {parsed.spaced, parsed.compact}:
            display_starts |= self._indexes_with_key_prefix(
                self._sorted_display_keys, query_key
            )
            alias_starts |= self._indexes_with_key_prefix(
                self._sorted_alias_keys, query_key
            )
        candidates |= display_starts | alias_starts
        candidates -= already_matched

        qualities = {}
        for index in candidates:
            words = self._entry_words[index]
            whole = sum(1 for word in parsed.required if word in words)
            quality = 0.3 * whole / len(parsed.required)
            if index in display_starts:
                quality += 0.6
            if index in alias_starts:
                quality += 0.09
            qualities[index] = quality
        return qualities

    def _fuzzy_qualities(
        self, parsed: _Query, already_matched: set[int]
    ) -> dict[int, float]:
        """Score entries whose words are close misspellings of the query words.

        A query word with no close word at all is dropped at a cost, so
        "golden retreiver puppy" still finds the Golden Retriever.
        """
        per_word_distances: list[dict[int, int]] = []
        for word in parsed.required:
            distances = dict.fromkeys(self._entries_with_word_prefix(word), 0)
            # A word of the vocabulary is taken as meant, not as a typo.
            close_words = [] if word in self._word_entries else self._close_words(word)
            for close_word, distance in close_words:
                for index in self._fuzzy_entries[close_word]:
                    if distance < distances.get(index, distance + 1):
                        distances[index] = distance
            if distances:
                per_word_distances.append(distances)
        if not per_word_distances:
            return {}

        common = set(per_word_distances[0])
        for distances in per_word_distances[1:]:
            common &= distances.keys()
        common -= already_matched
        dropped_words = len(parsed.required) - len(per_word_distances)
        query_length = sum(len(word) for word in parsed.required)
        qualities = {}
        for index in common:
            cost = sum(distances[index] for distances in per_word_distances)
            cost += 2 * dropped_words
            qualities[index] = max(0.0, 0.99 * (1 - cost / query_length))
        return qualities

    def _entries_with_word_prefix(self, prefix: str) -> set[int]:
        start = bisect.bisect_left(self._sorted_words, prefix)
        matches: set[int] = set()
        for word in self._sorted_words[start:]:
            if not word.startswith(prefix):
                break
            matches |= self._word_entries[word]
        return matches

    @staticmethod
    def _indexes_with_key_prefix(pairs: list[tuple[str, int]], prefix: str) -> set[int]:
        start = bisect.bisect_left(pairs, (prefix, -1))
        matches = set()
        for key, index in pairs[start:]:
            if not key.startswith(prefix):
                break
            matches.add(index)
        return matches

    def _close_words(self, word: str) -> list[tuple[str, int]]:
        """Return vocabulary words within the misspelling threshold of `word`.

        Candidates must share at least two letter trigrams with `word` (so
        "boxr" still reaches "boxer"), and only the 64 with the most trigrams
        in common get the full edit-distance check.
        """
        threshold = _fuzzy_threshold(word)
        if threshold == 0:
            return []
        shared = Counter()
        for trigram in _trigrams(word):
            shared.update(self._trigram_words.get(trigram, ()))
        similar_length = [
            (count, candidate)
            for candidate, count in shared.items()
            if count >= 2 and abs(len(candidate) - len(word)) <= threshold
        ]
        close = []
        for _, candidate in heapq.nlargest(64, similar_length):
            distance = _edit_distance(word, candidate, threshold)
            if 0 < distance <= threshold:
                close.append((candidate, distance))
        return close
