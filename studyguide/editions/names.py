"""The outputs a build can write, by the names --only takes, in the order a build writes them."""

GUIDE, TABLET, QUIZ, CARDS, WORKSHEET, APKG, TSV, CSV, BOOKLET = (
    "guide", "tablet", "quiz", "cards", "worksheet", "apkg", "tsv", "csv", "booklet")
OUTPUT_NAMES = (GUIDE, TABLET, QUIZ, CARDS, WORKSHEET, APKG, TSV, CSV, BOOKLET)
# Built only when --only names them: the booklet is one more render of the guide, the worksheet
# a practice test, most often of a few questions (--questions).
ON_REQUEST = (WORKSHEET, BOOKLET)
DEFAULT_OUTPUTS = tuple(name for name in OUTPUT_NAMES if name not in ON_REQUEST)
