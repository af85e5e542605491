"""Display names for Dog API breeds and sub-breeds, as people write them."""

import re

# Dog API words that join several English words, or that need capitals or
# punctuation that a plain title case cannot produce. A sub-breed name
# built from these keeps the usual order: "cattledog" gives "Cattle Dog", so
# "cattledog/australian" gives "Australian Cattle Dog".
JOINED_WORDS: dict[str, str] = {
    "bullterrier": "Bull Terrier",
    "cattledog": "Cattle Dog",
    "cotondetulear": "Coton de Tulear",
    "flatcoated": "Flat-Coated",
    "germanlonghair": "German Longhaired",
    "germanshepherd": "German Shepherd",
    "kerryblue": "Kerry Blue",
    "mexicanhairless": "Mexican Hairless",
    "pitbull": "Pit Bull",
    "sharpei": "Shar Pei",
    "shihtzu": "Shih Tzu",
    "stbernard": "St. Bernard",
    "waterdog": "Water Dog",
    "westhighland": "West Highland White",
}

# Entries whose usual English name is not their words in title case, keyed by
# API path ("breed" or "breed/sub-breed"). Most are kennel-club breed names.
NAME_OVERRIDES: dict[str, str] = {
    "african": "African Wild Dog",
    "airedale": "Airedale Terrier",
    "appenzeller": "Appenzeller Sennenhund",
    "bluetick": "Bluetick Coonhound",
    "bouvier": "Bouvier des Flandres",
    "brabancon": "Petit Brabançon",
    "bulldog/boston": "Boston Terrier",
    "chow": "Chow Chow",
    "clumber": "Clumber Spaniel",
    "corgi/cardigan": "Cardigan Welsh Corgi",
    "danish/swedish": "Danish-Swedish Farmdog",
    "entlebucher": "Entlebucher Mountain Dog",
    "eskimo": "Eskimo Dog",
    # The Dog API files the single sub-breed "bichon" under "frise", so the
    # main entry is named after the bichon type rather than a bare "Frise".
    "frise": "Bichon",
    "hound/blood": "Bloodhound",
    "hound/english": "English Foxhound",
    "hound/walker": "Treeing Walker Coonhound",
    "husky": "Siberian Husky",
    "labrador": "Labrador Retriever",
    "leonberg": "Leonberger",
    "lhasa": "Lhasa Apso",
    "malamute": "Alaskan Malamute",
    "malinois": "Belgian Malinois",
    "mastiff/bull": "Bullmastiff",
    "mix": "Mixed Breed",
    "mountain": "Mountain Dog",
    "mountain/bernese": "Bernese Mountain Dog",
    "mountain/swiss": "Greater Swiss Mountain Dog",
    "mudhol": "Mudhol Hound",
    "mudhol/indian": "Indian Mudhol Hound",
    "ovcharka/caucasian": "Caucasian Shepherd Dog",
    "pariah": "Pariah Dog",
    "pariah/indian": "Indian Pariah Dog",
    "pekinese": "Pekingese",
    "pembroke": "Pembroke Welsh Corgi",
    "pointer/german": "German Shorthaired Pointer",
    "pyrenees": "Great Pyrenees",
    "redbone": "Redbone Coonhound",
    "retriever/chesapeake": "Chesapeake Bay Retriever",
    "retriever/curly": "Curly-Coated Retriever",
    "segugio/italian": "Segugio Italiano",
    "sheepdog/english": "Old English Sheepdog",
    "shiba": "Shiba Inu",
    "spaniel/irish": "Irish Water Spaniel",
    "spaniel/japanese": "Japanese Chin",
    "spaniel/welsh": "Welsh Springer Spaniel",
    "springer": "Springer Spaniel",
    "springer/english": "English Springer Spaniel",
    "terrier/american": "American Staffordshire Terrier",
    "terrier/dandie": "Dandie Dinmont Terrier",
    "terrier/russell": "Jack Russell Terrier",
    "terrier/wheaten": "Soft-Coated Wheaten Terrier",
    "tervuren": "Belgian Tervuren",
}

# Breeds named by a country or region, whose sub-breeds follow the breed in
# English ("australian/kelpie" is the Australian Kelpie, not "Kelpie
# Australian").
REGION_BREEDS: frozenset[str] = frozenset({"australian", "danish", "finnish"})

_WORD_SEPARATORS = re.compile(r"[\s_]+")


def display_name(name: str, parent: str | None = None) -> str:
    """Return the English name of a Dog API breed or sub-breed.

    `name` is the API name of the breed, or of the sub-breed when `parent`
    names its breed. Names missing from the tables above get a default: each
    word in title case, with the sub-breed before the breed.
    """
    name = name.strip().lower()
    parent = parent.strip().lower() if parent else None
    path = f"{parent}/{name}" if parent else name
    if path in NAME_OVERRIDES:
        return NAME_OVERRIDES[path]

    words = _format_words(name)
    if parent is None:
        return words
    if parent in REGION_BREEDS:
        return f"{_format_words(parent)} {words}"
    return f"{words} {_format_words(parent)}"


def _format_words(api_name: str) -> str:
    if api_name in JOINED_WORDS:
        return JOINED_WORDS[api_name]
    words = _WORD_SEPARATORS.split(api_name.strip())
    return " ".join(_title_case(word) for word in words if word)


def _title_case(word: str) -> str:
    # str.title() would also capitalise after an apostrophe ("St. John'S").
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
