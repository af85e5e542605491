import json
from pathlib import Path

import pytest

from breeds import names
from breeds.search import (
    BUILTIN_ALIASES,
    MAX_QUERY_LENGTH,
    MatchKind,
    SearchEntry,
    SearchIndex,
    catalogue_entries,
    normalize,
)

CATALOGUE_PATH = (
    Path(__file__).resolve().parent.parent / "breeds" / "data" / "breeds-list-all.json"
)


def load_breeds():
    return json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))["message"]


def make_entry(path, display_name=None, aliases=()):
    parent, _, name = path.rpartition("/")
    parent = parent or None
    display = display_name or names.display_name(name, parent)
    return SearchEntry(path, name, parent, display, aliases)


@pytest.fixture(scope="module")
def index():
    entries = []
    for breed, sub_breeds in load_breeds().items():
        entries.append(SearchEntry(breed, breed, None, names.display_name(breed)))
        for sub_breed in sub_breeds:
            display = names.display_name(sub_breed, breed)
            entries.append(
                SearchEntry(f"{breed}/{sub_breed}", sub_breed, breed, display)
            )
    return SearchIndex(entries, BUILTIN_ALIASES)


def first_key(index, query):
    results = index.search(query)
    return results[0].entry.key if results else None


# How people type breed names, and the API path they mean.
FIRST_RESULTS = [
    # Display names in natural English order.
    ("Golden Retriever", "retriever/golden"),
    ("basset hound", "hound/basset"),
    ("toy poodle", "poodle/toy"),
    ("irish setter", "setter/irish"),
    ("cocker spaniel", "spaniel/cocker"),
    ("scottish deerhound", "deerhound/scottish"),
    ("great dane", "dane/great"),
    ("bichon frise", "frise/bichon"),
    ("french bulldog", "bulldog/french"),
    ("afghan hound", "hound/afghan"),
    ("bernese mountain dog", "mountain/bernese"),
    ("australian cattle dog", "cattledog/australian"),
    ("staffordshire bull terrier", "bullterrier/staffordshire"),
    ("Bloodhound", "hound/blood"),
    ("bullmastiff", "mastiff/bull"),
    # API order and API spelling.
    ("hound basset", "hound/basset"),
    ("retriever golden", "retriever/golden"),
    ("terrier yorkshire", "terrier/yorkshire"),
    ("spaniel japanese", "spaniel/japanese"),
    ("hound/afghan", "hound/afghan"),
    ("retriever-golden", "retriever/golden"),
    # Joined names split into words, and the reverse.
    ("kerry blue terrier", "terrier/kerryblue"),
    ("kerryblue", "terrier/kerryblue"),
    ("flat-coated retriever", "retriever/flatcoated"),
    ("flatcoated", "retriever/flatcoated"),
    ("flat coated", "retriever/flatcoated"),
    ("german longhaired pointer", "pointer/germanlonghair"),
    ("germanlonghair", "pointer/germanlonghair"),
    ("germanshepherd", "germanshepherd"),
    ("german shepherd", "germanshepherd"),
    ("goldenretriever", "retriever/golden"),
    ("shih tzu", "shihtzu"),
    ("coton de tulear", "cotondetulear"),
    ("mexican hairless", "mexicanhairless"),
    ("west highland white terrier", "terrier/westhighland"),
    # Saint, St and St.
    ("st bernard", "stbernard"),
    ("St. Bernard", "stbernard"),
    ("saint bernard", "stbernard"),
    ("stbernard", "stbernard"),
    # Names the API does not use.
    ("Boston Terrier", "bulldog/boston"),
    ("Staffy", "bullterrier/staffordshire"),
    ("Alsatian", "germanshepherd"),
    ("Yorkie", "terrier/yorkshire"),
    ("sausage dog", "dachshund"),
    ("westie", "terrier/westhighland"),
    ("blue heeler", "cattledog/australian"),
    ("sheltie", "sheepdog/shetland"),
    ("jack russell", "terrier/russell"),
    ("lab", "labrador"),
    ("husky", "husky"),
    # Spanish names.
    ("caniche", "poodle"),
    ("perro salchicha", "dachshund"),
    ("galgo", "greyhound"),
    ("pastor alemán", "germanshepherd"),
    ("pastor aleman", "germanshepherd"),
    ("perro de San Bernardo", "stbernard"),
    ("san bernardo", "stbernard"),
    ("gran danés", "dane/great"),
    ("bulldog francés", "bulldog/french"),
    ("caniche toy", "poodle/toy"),
    ("galgo afgano", "hound/afghan"),
    ("podenco ibicenco", "hound/ibizan"),
    ("perro de agua español", "waterdog/spanish"),
    ("carlino", "pug"),
    ("dálmata", "dalmatian"),
    # Misspellings.
    ("poodel", "poodle"),
    ("scnauzer", "schnauzer"),
    ("beagel", "beagle"),
    ("daschund", "dachshund"),
    ("dalmation", "dalmatian"),
    ("rotweiler", "rottweiler"),
    ("chiuaua", "chihuahua"),
    ("german shepard", "germanshepherd"),
    ("golden retreiver", "retriever/golden"),
    ("yorkshire terier", "terrier/yorkshire"),
    ("weimeraner", "weimaraner"),
    ("pomeranion", "pomeranian"),
    ("shitzu", "shihtzu"),
    ("alsation", "germanshepherd"),
    # Prefixes, case, accents, punctuation and spacing.
    ("gold", "retriever/golden"),
    ("germ", "germanshepherd"),
    ("great d", "dane/great"),
    ("GOLDEN RETRIEVER", "retriever/golden"),
    ("  golden    retriever  ", "retriever/golden"),
    ("Bichón Frisé", "frise/bichon"),
    ("golden retriever!!", "retriever/golden"),
    ("Retriever, Golden", "retriever/golden"),
    ("golden retriever dog", "retriever/golden"),
    ("shepherd", "germanshepherd"),
]


def test_first_results_table_is_large():
    assert len(FIRST_RESULTS) >= 60


def test_builtin_aliases_use_catalogue_paths():
    catalogue_paths = {entry.path for entry in catalogue_entries(load_breeds())}

    assert set(BUILTIN_ALIASES) <= catalogue_paths


@pytest.mark.parametrize(("query", "expected_key"), FIRST_RESULTS)
def test_search_first_result(index, query, expected_key):
    assert first_key(index, query) == expected_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Golden Retriever", "golden retriever"),
        ("  Bichón-Frisé! ", "bichon frise"),
        ("St. Bernard", "st bernard"),
        ("St. John's", "st johns"),
        ("Pastor\tAlemán\n", "pastor aleman"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("---", ""),
    ],
)
def test_normalize_folds_text(text, expected):
    assert normalize(text) == expected


def test_name_ranks_before_alias(index):
    # "Lab" is an alias of the Labrador and a prefix of the Labradoodle.
    results = index.search("lab")

    assert results[0].entry.key == "labrador"
    assert results[0].kind == MatchKind.ALIAS
    assert results[1].entry.key == "labradoodle"
    assert results[1].kind == MatchKind.PREFIX


def test_exact_name_ranks_first(index):
    results = index.search("bulldog")

    assert results[0].entry.key == "bulldog"
    assert results[0].kind == MatchKind.NAME
    assert {result.entry.key for result in results[1:]} >= {
        "bulldog/boston",
        "bulldog/english",
        "bulldog/french",
    }


def test_alias_ranks_before_prefix(index):
    results = index.search("galgo")

    assert results[0].entry.key == "greyhound"
    assert results[0].kind == MatchKind.ALIAS
    assert results[1].kind == MatchKind.PREFIX


def test_prefix_ranks_before_fuzzy(index):
    results = index.search("gold")

    assert results[0].kind == MatchKind.PREFIX
    assert [result.kind for result in results[1:]] == [MatchKind.FUZZY] * (
        len(results) - 1
    )


def test_scores_fall_with_rank(index):
    results = index.search("poodle", limit=50)
    scores = [result.score for result in results]

    assert scores == sorted(scores, reverse=True)
    assert results[0].score > 4


def test_main_breed_before_sub_breeds(index):
    results = index.search("poodel")

    assert [result.entry.key for result in results[:5]] == [
        "poodle",
        "poodle/toy",
        "poodle/medium",
        "poodle/standard",
        "poodle/miniature",
    ]


def test_results_have_no_duplicates(index):
    keys = [result.entry.key for result in index.search("terrier", limit=100)]

    assert len(keys) == len(set(keys))
    assert len(keys) > 20


def test_search_respects_limit(index):
    assert len(index.search("terrier", limit=3)) == 3
    assert index.search("terrier", limit=0) == []


def test_fuzzy_reports_kind(index):
    result = index.search("beagel")[0]

    assert result.kind == MatchKind.FUZZY
    assert 1 < result.score < 2


def test_unknown_query_finds_nothing(index):
    assert index.search("zzzzqqq") == []


def test_suggest_misspelt_breed(index):
    assert index.suggest("poodel") == "Poodle"
    assert index.suggest("german shepard") == "German Shepherd"
    assert index.suggest("scnauzer") == "Schnauzer"


def test_suggest_none_for_exact_query(index):
    assert index.suggest("poodle") is None
    assert index.suggest("yorkie") is None


def test_suggest_none_when_nothing_matches(index):
    assert index.suggest("zzzzqqq") is None
    assert index.suggest("") is None


def test_autocomplete_completes_prefix(index):
    results = index.autocomplete("gold")

    assert results[0].entry.key == "retriever/golden"
    assert results[0].kind == MatchKind.PREFIX


def test_autocomplete_default_limit(index):
    assert len(index.autocomplete("s")) == 8


def test_autocomplete_has_no_fuzzy(index):
    assert index.autocomplete("poodel") == []
    assert all(result.kind != MatchKind.FUZZY for result in index.autocomplete("go"))


def test_autocomplete_offers_exact_name_first(index):
    results = index.autocomplete("poodle")

    assert results[0].entry.key == "poodle"
    assert results[0].kind == MatchKind.NAME
    assert {result.entry.key for result in results[1:5]} == {
        "poodle/toy",
        "poodle/medium",
        "poodle/standard",
        "poodle/miniature",
    }


def test_exact_match_by_name(index):
    assert index.exact_match("Golden Retriever").key == "retriever/golden"
    assert index.exact_match("retriever golden").key == "retriever/golden"
    assert index.exact_match("germanshepherd").key == "germanshepherd"


def test_exact_match_by_alias(index):
    assert index.exact_match("Staffy").key == "bullterrier/staffordshire"
    assert index.exact_match("perro salchicha").key == "dachshund"


def test_exact_match_none_for_prefix(index):
    assert index.exact_match("gold") is None
    assert index.exact_match("poodel") is None


def test_exact_match_none_when_ambiguous():
    entries = [
        make_entry("terrier/toy", aliases=("Toy",)),
        make_entry("poodle/toy", aliases=("Toy",)),
    ]
    index = SearchIndex(entries, builtin_aliases={})

    assert index.exact_match("toy") is None
    assert index.exact_match("toy poodle").key == "poodle/toy"


def test_exact_match_name_beats_alias():
    entries = [
        make_entry("bulldog"),
        make_entry("bulldog/english", aliases=("Bulldog",)),
    ]
    index = SearchIndex(entries, builtin_aliases={})

    assert index.exact_match("bulldog").key == "bulldog"


@pytest.mark.parametrize("query", ["", " ", "   \t\n ", "!!!", "-"])
def test_blank_query_returns_nothing(index, query):
    assert index.search(query) == []
    assert index.autocomplete(query) == []
    assert index.exact_match(query) is None
    assert index.suggest(query) is None


def test_long_query_is_cut(index):
    query = "golden retriever " + "x" * 10_000

    results = index.search(query)

    assert MAX_QUERY_LENGTH < len(query)
    assert results[0].entry.key == "retriever/golden"
    assert results[0].kind == MatchKind.FUZZY


def test_long_query_of_words_stays_cheap(index):
    results = index.search("a " * 5_000)

    assert len(results) <= 20


def test_entry_aliases_are_searched():
    entries = [make_entry("hound/afghan", aliases=("Tazi", "Baluchi Hound"))]
    index = SearchIndex(entries, builtin_aliases={})

    assert index.exact_match("tazi").key == "hound/afghan"
    assert index.search("baluchi")[0].entry.key == "hound/afghan"


def test_entry_aliases_merge_with_builtin():
    entries = [make_entry("germanshepherd", aliases=("Schäferhund",))]
    index = SearchIndex(entries)

    assert index.exact_match("schaferhund").key == "germanshepherd"
    assert index.exact_match("alsatian").key == "germanshepherd"


def test_entry_aliases_accept_list():
    entry = SearchEntry(7, "pug", None, "Pug", ["Carlino"])

    assert entry.aliases == ("Carlino",)
    assert hash(entry) == hash(SearchEntry(7, "pug", None, "Pug", ("Carlino",)))


def test_curated_display_name_is_searched():
    entries = [make_entry("bulldog/boston", display_name="Boston Bull")]
    index = SearchIndex(entries, builtin_aliases={})

    assert index.exact_match("boston bull").key == "bulldog/boston"
    assert index.exact_match("bulldog boston").key == "bulldog/boston"


def test_entry_keys_can_be_integers():
    entries = [
        SearchEntry(41, "pug", None, "Pug"),
        SearchEntry(42, "beagle", None, "Beagle"),
    ]
    index = SearchIndex(entries)

    assert index.exact_match("beagle").key == 42
    assert index.search("beagel")[0].entry.key == 42


def test_duplicate_keys_are_rejected():
    entries = [
        SearchEntry(1, "pug", None, "Pug"),
        SearchEntry(1, "beagle", None, "Beagle"),
    ]

    with pytest.raises(ValueError, match="Duplicate search entry key 1"):
        SearchIndex(entries)


def test_entry_path_joins_parent():
    assert make_entry("retriever/golden").path == "retriever/golden"
    assert make_entry("pug").path == "pug"


def test_catalogue_entries_cover_snapshot():
    entries = catalogue_entries(load_breeds())

    assert len(entries) == 201
    assert len({entry.key for entry in entries}) == 201


def test_index_len_counts_entries(index):
    assert len(index) == 201
