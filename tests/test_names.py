import json
from pathlib import Path

import pytest

from breeds.names import display_name

CATALOGUE_PATH = (
    Path(__file__).resolve().parent.parent / "breeds" / "data" / "breeds-list-all.json"
)

# Every entry of the real /breeds/list/all snapshot: (name, parent, expected).
CATALOGUE_NAMES = [
    ("affenpinscher", None, "Affenpinscher"),
    ("african", None, "African Wild Dog"),
    ("airedale", None, "Airedale Terrier"),
    ("akita", None, "Akita"),
    ("appenzeller", None, "Appenzeller Sennenhund"),
    ("australian", None, "Australian"),
    ("kelpie", "australian", "Australian Kelpie"),
    ("shepherd", "australian", "Australian Shepherd"),
    ("bakharwal", None, "Bakharwal"),
    ("indian", "bakharwal", "Indian Bakharwal"),
    ("basenji", None, "Basenji"),
    ("beagle", None, "Beagle"),
    ("bluetick", None, "Bluetick Coonhound"),
    ("borzoi", None, "Borzoi"),
    ("bouvier", None, "Bouvier des Flandres"),
    ("boxer", None, "Boxer"),
    ("brabancon", None, "Petit Brabançon"),
    ("briard", None, "Briard"),
    ("buhund", None, "Buhund"),
    ("norwegian", "buhund", "Norwegian Buhund"),
    ("bulldog", None, "Bulldog"),
    ("boston", "bulldog", "Boston Terrier"),
    ("english", "bulldog", "English Bulldog"),
    ("french", "bulldog", "French Bulldog"),
    ("bullterrier", None, "Bull Terrier"),
    ("staffordshire", "bullterrier", "Staffordshire Bull Terrier"),
    ("cattledog", None, "Cattle Dog"),
    ("australian", "cattledog", "Australian Cattle Dog"),
    ("cavapoo", None, "Cavapoo"),
    ("chihuahua", None, "Chihuahua"),
    ("chippiparai", None, "Chippiparai"),
    ("indian", "chippiparai", "Indian Chippiparai"),
    ("chow", None, "Chow Chow"),
    ("clumber", None, "Clumber Spaniel"),
    ("cockapoo", None, "Cockapoo"),
    ("collie", None, "Collie"),
    ("border", "collie", "Border Collie"),
    ("coonhound", None, "Coonhound"),
    ("corgi", None, "Corgi"),
    ("cardigan", "corgi", "Cardigan Welsh Corgi"),
    ("cotondetulear", None, "Coton de Tulear"),
    ("dachshund", None, "Dachshund"),
    ("dalmatian", None, "Dalmatian"),
    ("dane", None, "Dane"),
    ("great", "dane", "Great Dane"),
    ("danish", None, "Danish"),
    ("swedish", "danish", "Danish-Swedish Farmdog"),
    ("deerhound", None, "Deerhound"),
    ("scottish", "deerhound", "Scottish Deerhound"),
    ("dhole", None, "Dhole"),
    ("dingo", None, "Dingo"),
    ("doberman", None, "Doberman"),
    ("elkhound", None, "Elkhound"),
    ("norwegian", "elkhound", "Norwegian Elkhound"),
    ("entlebucher", None, "Entlebucher Mountain Dog"),
    ("eskimo", None, "Eskimo Dog"),
    ("finnish", None, "Finnish"),
    ("lapphund", "finnish", "Finnish Lapphund"),
    ("frise", None, "Bichon"),
    ("bichon", "frise", "Bichon Frise"),
    ("gaddi", None, "Gaddi"),
    ("indian", "gaddi", "Indian Gaddi"),
    ("germanshepherd", None, "German Shepherd"),
    ("greyhound", None, "Greyhound"),
    ("indian", "greyhound", "Indian Greyhound"),
    ("italian", "greyhound", "Italian Greyhound"),
    ("groenendael", None, "Groenendael"),
    ("havanese", None, "Havanese"),
    ("hound", None, "Hound"),
    ("afghan", "hound", "Afghan Hound"),
    ("basset", "hound", "Basset Hound"),
    ("blood", "hound", "Bloodhound"),
    ("english", "hound", "English Foxhound"),
    ("ibizan", "hound", "Ibizan Hound"),
    ("plott", "hound", "Plott Hound"),
    ("walker", "hound", "Treeing Walker Coonhound"),
    ("husky", None, "Siberian Husky"),
    ("keeshond", None, "Keeshond"),
    ("kelpie", None, "Kelpie"),
    ("kombai", None, "Kombai"),
    ("komondor", None, "Komondor"),
    ("kuvasz", None, "Kuvasz"),
    ("labradoodle", None, "Labradoodle"),
    ("labrador", None, "Labrador Retriever"),
    ("leonberg", None, "Leonberger"),
    ("lhasa", None, "Lhasa Apso"),
    ("malamute", None, "Alaskan Malamute"),
    ("malinois", None, "Belgian Malinois"),
    ("maltese", None, "Maltese"),
    ("mastiff", None, "Mastiff"),
    ("bull", "mastiff", "Bullmastiff"),
    ("english", "mastiff", "English Mastiff"),
    ("indian", "mastiff", "Indian Mastiff"),
    ("tibetan", "mastiff", "Tibetan Mastiff"),
    ("mexicanhairless", None, "Mexican Hairless"),
    ("mix", None, "Mixed Breed"),
    ("mountain", None, "Mountain Dog"),
    ("bernese", "mountain", "Bernese Mountain Dog"),
    ("swiss", "mountain", "Greater Swiss Mountain Dog"),
    ("mudhol", None, "Mudhol Hound"),
    ("indian", "mudhol", "Indian Mudhol Hound"),
    ("newfoundland", None, "Newfoundland"),
    ("otterhound", None, "Otterhound"),
    ("ovcharka", None, "Ovcharka"),
    ("caucasian", "ovcharka", "Caucasian Shepherd Dog"),
    ("papillon", None, "Papillon"),
    ("pariah", None, "Pariah Dog"),
    ("indian", "pariah", "Indian Pariah Dog"),
    ("pekinese", None, "Pekingese"),
    ("pembroke", None, "Pembroke Welsh Corgi"),
    ("pinscher", None, "Pinscher"),
    ("miniature", "pinscher", "Miniature Pinscher"),
    ("pitbull", None, "Pit Bull"),
    ("pointer", None, "Pointer"),
    ("german", "pointer", "German Shorthaired Pointer"),
    ("germanlonghair", "pointer", "German Longhaired Pointer"),
    ("pomeranian", None, "Pomeranian"),
    ("poodle", None, "Poodle"),
    ("medium", "poodle", "Medium Poodle"),
    ("miniature", "poodle", "Miniature Poodle"),
    ("standard", "poodle", "Standard Poodle"),
    ("toy", "poodle", "Toy Poodle"),
    ("pug", None, "Pug"),
    ("puggle", None, "Puggle"),
    ("pyrenees", None, "Great Pyrenees"),
    ("rajapalayam", None, "Rajapalayam"),
    ("indian", "rajapalayam", "Indian Rajapalayam"),
    ("redbone", None, "Redbone Coonhound"),
    ("retriever", None, "Retriever"),
    ("chesapeake", "retriever", "Chesapeake Bay Retriever"),
    ("curly", "retriever", "Curly-Coated Retriever"),
    ("flatcoated", "retriever", "Flat-Coated Retriever"),
    ("golden", "retriever", "Golden Retriever"),
    ("ridgeback", None, "Ridgeback"),
    ("rhodesian", "ridgeback", "Rhodesian Ridgeback"),
    ("rottweiler", None, "Rottweiler"),
    ("saluki", None, "Saluki"),
    ("samoyed", None, "Samoyed"),
    ("schipperke", None, "Schipperke"),
    ("schnauzer", None, "Schnauzer"),
    ("giant", "schnauzer", "Giant Schnauzer"),
    ("miniature", "schnauzer", "Miniature Schnauzer"),
    ("segugio", None, "Segugio"),
    ("italian", "segugio", "Segugio Italiano"),
    ("setter", None, "Setter"),
    ("english", "setter", "English Setter"),
    ("gordon", "setter", "Gordon Setter"),
    ("irish", "setter", "Irish Setter"),
    ("sharpei", None, "Shar Pei"),
    ("sheepdog", None, "Sheepdog"),
    ("english", "sheepdog", "Old English Sheepdog"),
    ("indian", "sheepdog", "Indian Sheepdog"),
    ("shetland", "sheepdog", "Shetland Sheepdog"),
    ("shiba", None, "Shiba Inu"),
    ("shihtzu", None, "Shih Tzu"),
    ("spaniel", None, "Spaniel"),
    ("blenheim", "spaniel", "Blenheim Spaniel"),
    ("brittany", "spaniel", "Brittany Spaniel"),
    ("cocker", "spaniel", "Cocker Spaniel"),
    ("irish", "spaniel", "Irish Water Spaniel"),
    ("japanese", "spaniel", "Japanese Chin"),
    ("sussex", "spaniel", "Sussex Spaniel"),
    ("welsh", "spaniel", "Welsh Springer Spaniel"),
    ("spitz", None, "Spitz"),
    ("indian", "spitz", "Indian Spitz"),
    ("japanese", "spitz", "Japanese Spitz"),
    ("springer", None, "Springer Spaniel"),
    ("english", "springer", "English Springer Spaniel"),
    ("stbernard", None, "St. Bernard"),
    ("terrier", None, "Terrier"),
    ("american", "terrier", "American Staffordshire Terrier"),
    ("australian", "terrier", "Australian Terrier"),
    ("bedlington", "terrier", "Bedlington Terrier"),
    ("border", "terrier", "Border Terrier"),
    ("cairn", "terrier", "Cairn Terrier"),
    ("dandie", "terrier", "Dandie Dinmont Terrier"),
    ("fox", "terrier", "Fox Terrier"),
    ("irish", "terrier", "Irish Terrier"),
    ("kerryblue", "terrier", "Kerry Blue Terrier"),
    ("lakeland", "terrier", "Lakeland Terrier"),
    ("norfolk", "terrier", "Norfolk Terrier"),
    ("norwich", "terrier", "Norwich Terrier"),
    ("patterdale", "terrier", "Patterdale Terrier"),
    ("russell", "terrier", "Jack Russell Terrier"),
    ("scottish", "terrier", "Scottish Terrier"),
    ("sealyham", "terrier", "Sealyham Terrier"),
    ("silky", "terrier", "Silky Terrier"),
    ("tibetan", "terrier", "Tibetan Terrier"),
    ("toy", "terrier", "Toy Terrier"),
    ("welsh", "terrier", "Welsh Terrier"),
    ("westhighland", "terrier", "West Highland White Terrier"),
    ("wheaten", "terrier", "Soft-Coated Wheaten Terrier"),
    ("yorkshire", "terrier", "Yorkshire Terrier"),
    ("tervuren", None, "Belgian Tervuren"),
    ("vizsla", None, "Vizsla"),
    ("waterdog", None, "Water Dog"),
    ("spanish", "waterdog", "Spanish Water Dog"),
    ("weimaraner", None, "Weimaraner"),
    ("whippet", None, "Whippet"),
    ("wolfhound", None, "Wolfhound"),
    ("irish", "wolfhound", "Irish Wolfhound"),
]


def load_catalogue_paths():
    breeds = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))["message"]
    paths = set(breeds)
    for breed, sub_breeds in breeds.items():
        paths.update(f"{breed}/{sub_breed}" for sub_breed in sub_breeds)
    return paths


def entry_path(name, parent):
    return f"{parent}/{name}" if parent else name


def test_table_covers_whole_catalogue():
    table_paths = {entry_path(name, parent) for name, parent, _ in CATALOGUE_NAMES}

    assert len(CATALOGUE_NAMES) == 201
    assert table_paths == load_catalogue_paths()


@pytest.mark.parametrize(("name", "parent", "expected"), CATALOGUE_NAMES)
def test_catalogue_display_name(name, parent, expected):
    assert display_name(name, parent) == expected


def test_catalogue_names_are_unique():
    names = [expected for _, _, expected in CATALOGUE_NAMES]

    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("name", "parent", "expected"),
    [
        ("newbreed", None, "Newbreed"),
        ("new_breed", None, "New Breed"),
        ("new breed", None, "New Breed"),
        ("  Beagle ", None, "Beagle"),
        ("pocket", "beagle", "Pocket Beagle"),
        ("smooth-coated", "collie", "Smooth-Coated Collie"),
        ("english", "cattledog", "English Cattle Dog"),
        ("koolie", "australian", "Australian Koolie"),
        ("wire", "terrier", "Wire Terrier"),
        ("golden", "Retriever", "Golden Retriever"),
    ],
)
def test_unknown_name_default(name, parent, expected):
    assert display_name(name, parent) == expected


def test_empty_parent_means_main_breed():
    assert display_name("pug", "") == "Pug"
