"""The parts of an edition joined into one PDF that reads as if WeasyPrint had made it whole.

pikepdf (qpdf) copies each part's pages with everything they use, and keeps one map per part
from its objects to their copies; so what else is taken from a part afterwards (its named
destinations, bookmarks, structure tree) points at the copied pages. Joined:
- pages, with a blank page wherever a part must start on a recto page;
- named destinations, in one sorted name tree, each from the part that holds its anchor:
  internal links are by name, so a link from the contents to a question in another part
  lands where it should;
- bookmarks, each part's run one after the other at the top level (a part holds whole
  sections, or whole questions, so no bookmark's children are split);
- the structure tree of a tagged PDF: each part's elements under the first part's Document,
  the numbers of its parent tree moved past those of the parts before it;
- the front matter's catalog and metadata (title, language, XMP, PDF/UA identification);
- folios: each page of the folio sheets laid over its page, as an artifact;
- fonts: each face embedded once, its parts' subsets merged (fontmerge.py).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence

import pikepdf

from .fontmerge import merge_subsets
from .parts import Parted, PartPdf


def join_edition(parted: Parted) -> bytes:
    """An edition rendered in parts as one PDF: its front matter, its body, its folios."""
    blanks = tuple(blank for _, blank in parted.layout.starts())
    return join((parted.front, *parted.body), (False, *blanks), parted.folio_sheets)


def join(parts: Sequence[PartPdf], blanks: Sequence[bool], folio_sheets: Sequence[PartPdf] = ()) -> bytes:
    """Parts as one PDF, a blank page before each part whose blank says so, the first part's
    catalog and metadata kept; the same parts always give the same bytes."""
    first, *rest = parts
    if not rest and not folio_sheets:
        return first.data
    with pikepdf.open(io.BytesIO(first.data)) as joined:
        names = [(name, dest) for name, dest in _dests(joined) if name in first.anchors]
        outline = _outline_items(joined)
        structure = _Structure(joined)
        sources = []  # open until saved: qpdf reads a copied stream's data only when writing it
        for part, blank in zip(rest, blanks[1:], strict=True):
            source = pikepdf.open(io.BytesIO(part.data))
            sources.append(source)
            first = len(joined.pages)
            if blank:
                _add_blank(joined, source.pages[0])
            with warnings.catch_warnings():  # that named destinations are not carried: they are, below
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                joined.pages.extend(source.pages)
            copied = joined.pages[first + blank:]
            names += [(name, _copied(joined, source, dest)) for name, dest in _dests(source)
                      if name in part.anchors]
            outline += [_copied(joined, source, item) for item in _outline_items(source)]
            structure.add(source, copied)
        _write_dests(joined, names)
        _write_outline(joined, outline)
        sources += _lay_folios(joined, folio_sheets)
        merge_subsets(joined)
        output = io.BytesIO()
        joined.save(output, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                    compress_streams=True)
    return output.getvalue()


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The named destinations WeasyPrint wrote: one flat, sorted /Names array."""
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return []
    array = dests.Names
    return [(str(array[index]), array[index + 1]) for index in range(0, len(array), 2)]


def _write_dests(pdf: pikepdf.Pdf, names: list[tuple[str, pikepdf.Object]]) -> None:
    if not names:
        return
    flat = pikepdf.Array()
    for name, dest in sorted(names, key=lambda entry: entry[0].encode("utf-8")):
        flat.append(pikepdf.String(name))
        flat.append(dest)
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.Dests = pikepdf.Dictionary(Names=flat)


def _outline_items(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The top-level bookmarks, in order."""
    root = pdf.Root.get("/Outlines")
    items = []
    item = root.get("/First") if root is not None else None
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


def _write_outline(pdf: pikepdf.Pdf, items: list[pikepdf.Dictionary]) -> None:
    """One outline of the items: each keeps its own children, and counts as WeasyPrint counts."""
    if not items:
        return
    root = pdf.make_indirect(pikepdf.Dictionary())
    for index, item in enumerate(items):
        item.Parent = root
        if index:
            item.Prev = items[index - 1]
        elif "/Prev" in item:
            del item.Prev
        if index + 1 < len(items):
            item.Next = items[index + 1]
        elif "/Next" in item:
            del item.Next
    root.First, root.Last = items[0], items[-1]
    root.Count = len(items) + sum(max(int(item.get("/Count", 0)), 0) for item in items)
    pdf.Root.Outlines = root


class _Structure:
    """The joined structure tree: every part's elements under the first part's Document element."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        root = pdf.Root.get("/StructTreeRoot")
        self.document = root.K[0] if root is not None else None
        self.nums = root.ParentTree.Nums if root is not None else None

    def add(self, source: pikepdf.Pdf, copied) -> None:
        root = source.Root.get("/StructTreeRoot")
        if self.document is None or root is None:
            return
        offset = max((int(self.nums[index]) for index in range(0, len(self.nums), 2)), default=-1) + 1
        for page in copied:
            page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        nums = root.ParentTree.Nums
        for index in range(0, len(nums), 2):
            self.nums.append(int(nums[index]) + offset)
            self.nums.append(_copied(self.pdf, source, nums[index + 1]))
        kids = _copied(self.pdf, source, root.K[0]).K
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = self.document
            self.document.K.append(kid)


def _copied(pdf: pikepdf.Pdf, source: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """value, from source, copied into pdf; what it refers to that was copied already is not again."""
    return pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))


def _add_blank(pdf: pikepdf.Pdf, like: pikepdf.Page) -> None:
    """An empty page of the same boxes as like, as WeasyPrint leaves before a recto part."""
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Resources=pikepdf.Dictionary())
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        if box in like.obj:
            page[box] = pikepdf.Array(like.obj[box])
    if "/StructParents" in like.obj:
        page.Tabs = pikepdf.Name.S
    pdf.pages.append(pikepdf.Page(page))


def _lay_folios(pdf: pikepdf.Pdf, folio_sheets: Sequence[PartPdf]) -> list[pikepdf.Pdf]:
    """Each page's folio, drawn over it from the folio sheets, marked as a pagination artifact;
    returns the sheets, to keep open until the PDF is saved."""
    pages = iter(pdf.pages)
    sheets = []
    for sheet in folio_sheets:
        source = pikepdf.open(io.BytesIO(sheet.data))
        sheets.append(source)
        for folio in source.pages:
            page = next(pages)
            form = pdf.copy_foreign(folio.as_form_xobject())
            resources = pikepdf.Dictionary({key: value for key, value in page.obj.Resources.items()})
            xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
            xobjects.Folio = form
            resources.XObject = xobjects
            page.obj.Resources = resources
            # The page's own drawing may leave its coordinates flipped: it is set apart first.
            page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
            page.contents_add(pdf.make_stream(b"\nQ /Artifact BMC q /Folio Do Q EMC"), prepend=False)
    return sheets
