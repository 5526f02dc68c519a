"""The outputs a build can write, by the names --only takes, in the order a build writes them."""

GUIDE, TABLET, QUIZ, CARDS, APKG, TSV, CSV, BOOKLET = (
    "guide", "tablet", "quiz", "cards", "apkg", "tsv", "csv", "booklet")
OUTPUT_NAMES = (GUIDE, TABLET, QUIZ, CARDS, APKG, TSV, CSV, BOOKLET)
ON_REQUEST = (BOOKLET,)  # one more render of the guide: built only when --only names it
DEFAULT_OUTPUTS = tuple(name for name in OUTPUT_NAMES if name not in ON_REQUEST)
