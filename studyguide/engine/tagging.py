"""What a tagged PDF from WeasyPrint lacks for PDF/UA-1 checkers, added to it after the render.

WeasyPrint gives a link split over several boxes (a contents entry's number and its text) one
annotation per box and files each under the box's own structure element, a /Span inside the
/Link; it leaves what the page margins hold (folios, running heads, their links) out of the
tree, though their content is marked as if it were in it; and it does not mark annotations to
print. A screen reader reaches a link through its /Link element, so every annotation is moved
up to the /Link it belongs to; what the margins hold becomes a pagination artifact, unless it
holds a link, which is put back where its parent expects it; and every annotation prints
(ISO 14289-1, 7.1 and 7.18.5; Matterhorn 18-001, 28-004, 28-008). A formula's figure, whose
alt text is the formula read aloud, gets its LaTeX as its expansion (/E), for readers that
want the source.
"""

from __future__ import annotations

import html as html_text
import io
import re
from collections.abc import Iterable, Iterator

import pikepdf

_PRINT = 4  # the annotation flag: print it as it shows
_MARKED = re.compile(rb"/\w+\s*<</MCID (\d+)>>\s*BDC")  # as WeasyPrint opens tagged content
_PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
_FORMULA = re.compile(r"<!--latex:(.*?)-->\s*<svg\b[^>]*>\s*<title>(.*?)</title>", re.S)


def formulas_in(html: str) -> dict[str, str]:
    """The LaTeX of each formula in the HTML by its alt text (markup/convert.py draws a formula
    as an SVG with its words in its title, after a comment that holds its LaTeX)."""
    return {html_text.unescape(words): html_text.unescape(latex) for latex, words in _FORMULA.findall(html)}


def repaired(data: bytes, formulas: dict[str, str] | None = None) -> bytes:
    """The tagged PDF's bytes with its links and annotations as PDF/UA-1 checkers want them, and
    each formula's figure with its LaTeX, found in formulas by the figure's alt text."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for annotation in page.get("/Annots", ()):
                annotation.F = int(annotation.get("/F", 0)) | _PRINT
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            elements = list(_elements(tree))  # walked once: a part's tree has thousands
            furniture = _adopt_orphans(elements, _parent_tree(tree).values())
            _as_artifacts(pdf, tree, furniture)
            _annotations_to_their_links(tree, elements)
            _formulas_expanded(elements, formulas or {})
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _parent_tree(tree: pikepdf.Dictionary) -> dict[int, pikepdf.Object]:
    """The parent tree's entries: each annotation's /StructParent, and each page's, to its owner."""
    numbers = tree.ParentTree.get("/Nums", pikepdf.Array())
    return {int(numbers[index]): numbers[index + 1] for index in range(0, len(numbers), 2)}


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The element and every structure element below it, parents first."""
    yield element
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _elements(kid)


def _adopt_orphans(elements: list[pikepdf.Dictionary],
                   owners: Iterable[pikepdf.Object]) -> set[tuple[int, int]]:
    """Elements the parent tree names but no parent lists (what the page margins hold): those
    with a link put back in their parent's children and added to elements (every element of the
    tree), the others returned, to become artifacts."""
    reached = {element.objgen for element in elements}
    furniture: set[tuple[int, int]] = set()
    for owner in owners:
        for element in list(owner) if isinstance(owner, pikepdf.Array) else [owner]:
            if not isinstance(element, pikepdf.Dictionary) or element.objgen in reached \
                    or element.objgen in furniture:
                continue
            while (parent := element.get("/P")) is not None and parent.objgen not in reached:
                element = parent
            if parent is None:
                continue
            below = list(_elements(element))
            if any(_is_reference(kid) for each in below for kid in _kids(each)):
                parent.K = pikepdf.Array([*_kids(parent), element])
                reached |= {each.objgen for each in below}
                elements += below
            else:
                furniture |= {each.objgen for each in below}
    return furniture


def _as_artifacts(pdf: pikepdf.Pdf, tree: pikepdf.Dictionary, furniture: set[tuple[int, int]]) -> None:
    """The content marked for the furniture elements marked as pagination artifacts instead, and
    taken out of the parent tree."""
    owners = _parent_tree(tree)
    for page in pdf.pages:
        marks = owners.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(marks, pikepdf.Array):
            continue
        mcids = {mcid for mcid, element in enumerate(marks)
                 if isinstance(element, pikepdf.Dictionary) and element.objgen in furniture}
        if not mcids:
            continue
        contents = page.obj.Contents
        for stream in list(contents) if isinstance(contents, pikepdf.Array) else [contents]:
            stream.write(_paginated(stream.read_bytes(), mcids))
        for mcid in mcids:
            marks[mcid] = None


def _formulas_expanded(elements: list[pikepdf.Dictionary], formulas: dict[str, str]) -> None:
    for element in elements:
        if element.get("/S") == "/Figure" and (latex := formulas.get(str(element.get("/Alt", "")))):
            element.E = pikepdf.String(latex)


def _paginated(content: bytes, mcids: set[int]) -> bytes:
    """A page's content with the sequences marked with these MCIDs marked as pagination artifacts."""
    return _MARKED.sub(lambda mark: _PAGINATION if int(mark.group(1)) in mcids else mark.group(), content)


def _annotations_to_their_links(tree: pikepdf.Dictionary, elements: list[pikepdf.Dictionary]) -> None:
    """Each annotation filed under an element inside a /Link moved up to that /Link; an element
    left with nothing is dropped."""
    numbers = tree.ParentTree.Nums
    places = {int(numbers[index]): index + 1 for index in range(0, len(numbers), 2)}
    for link in [element for element in elements if element.get("/S") == "/Link"]:
        for parent, element in _inside(link):
            references = [kid for kid in _kids(element) if _is_reference(kid)]
            if not references:
                continue
            rest = [kid for kid in _kids(element) if not _is_reference(kid)]
            element.K = pikepdf.Array(rest)
            if not rest:
                parent.K = pikepdf.Array([kid for kid in _kids(parent)
                                          if not (isinstance(kid, pikepdf.Dictionary)
                                                  and kid.objgen == element.objgen)])
            link.K = pikepdf.Array([*_kids(link), *references])
            for reference in references:
                numbers[places[int(reference.Obj.StructParent)]] = link


def _inside(link: pikepdf.Dictionary) -> Iterator[tuple[pikepdf.Dictionary, pikepdf.Dictionary]]:
    """The elements inside a /Link, with their parents, down to any /Link inside it."""
    for kid in _kids(link):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.get("/S") != "/Link":
            yield link, kid
            yield from _inside(kid)


def _is_reference(kid: object) -> bool:
    return isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
