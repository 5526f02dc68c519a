"""The parts of an edition joined into one PDF that reads as if WeasyPrint had made it whole.

Parts are read twice: first for the subsets of each face they embed (fontmerge.py) and whether
they have bookmarks, then to be copied out (pdfwriter.py), their objects renumbered. Parts that
are small together are opened once, held from the first read (of a few objects) to the second,
and closed once copied; larger ones are opened at each read, one at a time, so that a join holds
one part, not the edition. Joined:
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
- fonts: each face embedded once, its parts' subsets merged.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from pathlib import Path

import pikepdf

from ..guard.files import write_aside
from .fontmerge import Faces, MergeStore
from .parts import Parted, PartPdf
from .pdfwriter import Copier, PdfWriter

HELD_BYTES = 8 * 2**20  # parts whose PDFs total no more are held open between their two reads:
# an open part takes some 15 times its bytes once read for its fonts, and opening one again some
# milliseconds (a 1,000-card guide's parts, 5 MB, take 0.2 s more to join if opened twice)


def join_edition(parted: Parted, store: MergeStore | None = None) -> bytes:
    """An edition rendered in parts as one PDF: its front matter, its body, its folios."""
    blanks = tuple(blank for _, blank in parted.layout.starts())
    return join((*parted.front, *parted.body), (False,) * len(parted.front) + blanks, parted.folio_sheets,
                store)


def edition_beside(parted: Parted, target: Path, store: MergeStore | None = None) -> Path:
    """In a worker: the edition joined into a temporary file beside target (files.write_aside),
    so that the build holds its name, not its bytes."""
    return write_aside(target, join_edition(parted, store))


def join_beside(target: Path, parts: Sequence[PartPdf], blanks: Sequence[bool],
                store: MergeStore | None = None) -> Path:
    """In a worker: the parts joined into a temporary file beside target."""
    return write_aside(target, join(parts, blanks, store=store))


def join(parts: Sequence[PartPdf], blanks: Sequence[bool], folio_sheets: Sequence[PartPdf] = (),
         store: MergeStore | None = None) -> bytes:
    """Parts as one PDF, a blank page before each part whose blank says so, the first part's
    catalog and metadata kept; the same parts always give the same bytes. store, if given,
    keeps the merged fonts from one join to the next (fontmerge.py)."""
    if len(parts) == 1 and not folio_sheets:
        return parts[0].pdf()
    faces = Faces(store)
    bookmarked = []  # whether each part has bookmarks
    with _Reader((*parts, *folio_sheets)) as reader:
        for part in (*parts, *folio_sheets):
            with reader.read(part) as pdf:
                faces.read(pdf)
                bookmarked.append(bool(_outline_items(pdf)))
                if part is parts[0]:
                    version = pdf.pdf_version
        joined = _Joined(PdfWriter(version), faces)
        with closing(_folio_forms(folio_sheets, joined, reader)) as folios:
            for index, (part, blank) in enumerate(zip(parts, blanks, strict=True)):
                with reader.read_last(part) as pdf:
                    joined.add(pdf, part, blank, folios, more_bookmarks=any(bookmarked[index + 1:len(parts)]))
    return joined.finish()


class _Reader(ExitStack):
    """Opens the parts for the join: once each when their PDFs total HELD_BYTES or less, held
    from the first read to the last, which closes it; else at each read, closed after it."""

    def __init__(self, pieces: Sequence[PartPdf]):
        super().__init__()
        self.hold = sum(map(_size, pieces)) <= HELD_BYTES
        self.held: dict[int, tuple[ExitStack, pikepdf.Pdf]] = {}  # each piece open, and what closes it
        self.callback(self._close_all)

    @contextmanager
    def read(self, part: PartPdf) -> Iterator[pikepdf.Pdf]:
        if not self.hold:
            with _opened(part) as pdf:
                yield pdf
            return
        if id(part) not in self.held:
            stack = ExitStack()
            self.held[id(part)] = stack, stack.enter_context(_opened(part))
        yield self.held[id(part)][1]

    @contextmanager
    def read_last(self, part: PartPdf) -> Iterator[pikepdf.Pdf]:
        with self.read(part) as pdf:
            yield pdf
        if self.hold:
            self.held.pop(id(part))[0].close()

    def _close_all(self) -> None:
        for stack, _ in self.held.values():
            stack.close()
        self.held.clear()


def _size(part: PartPdf) -> int:
    return len(part.data) if part.stored is None else part.stored.stat().st_size


class _Joined:
    """The joined PDF as its parts are added: what is written already, and what waits for the end."""

    def __init__(self, writer: PdfWriter, faces: Faces):
        self.writer = writer
        self.faces = faces
        self.fonts: dict[str, int] = {}  # the one font of each merged face
        self.pages = writer.reserve()
        self.kids: list[int] = []
        self.dests: list[tuple[str, bytes]] = []
        self.outline: int | None = None
        self.bookmarks: list[int] = []  # the top-level bookmarks
        self.bookmark_count = 0
        self.next_bookmark: int | None = None  # reserved for the next part's first bookmark
        self.structure: tuple[int, int] | None = None  # the structure tree root and Document element
        self.document_kids: list[bytes] = []
        self.parent_tree: list[bytes] = []
        self.next_key = 0  # of the parent tree
        self.front: dict[str, bytes] = {}  # the front matter's catalog, name tree and structure root
        self.info: int | None = None

    def add(self, pdf: pikepdf.Pdf, part: PartPdf, blank: bool, folios: Iterator[int],
            more_bookmarks: bool) -> None:
        copier = Copier(self.writer, pdf)
        self.faces.merge(copier, self.fonts)
        copier.stand_for(pdf.Root.Pages, self.pages)
        pages = list(pdf.pages)
        if blank:
            pages.insert(0, _blank(pdf, pages[0]))
        first = not self.kids
        root = pdf.Root.get("/StructTreeRoot")
        if first and root is not None:
            self.structure = self.writer.reserve(), self.writer.reserve()
        offset = self.next_key
        for page in pages:
            if self.structure is not None and root is not None:
                _move_keys(page, offset)
            if (form := next(folios, None)) is not None:
                _lay_folio(pdf, page, copier.alias(form))
            self.kids.append(copier.number(page.obj))
        if self.structure is not None and root is not None:
            self._add_structure(copier, root, offset, first)
        self.dests += [(name, copier.value(dest)) for name, dest in _dests(pdf) if name in part.anchors]
        self._add_bookmarks(copier, more_bookmarks)
        if first:
            self._keep_front(copier)

    def _add_structure(self, copier: Copier, root: pikepdf.Dictionary, offset: int, first: bool) -> None:
        structure, document = self.structure
        copier.stand_for(root, structure)
        copier.stand_for(root.K[0], document)
        nums = root.ParentTree.Nums
        for index in range(0, len(nums), 2):
            key = int(nums[index]) + offset
            self.parent_tree.append(b"%d %s" % (key, copier.value(nums[index + 1])))
            self.next_key = max(self.next_key, key + 1)
        self.document_kids += [copier.value(kid) for kid in root.K[0].K]
        if first:
            self.front["structure"] = copier.entries(root, omit=("/K", "/ParentTree", "/ParentTreeNextKey"))
            self.front["document"] = copier.entries(root.K[0], omit=("/K", "/P"))

    def _add_bookmarks(self, copier: Copier, more_bookmarks: bool) -> None:
        items = _outline_items(copier.source)
        if not items:
            return
        if self.outline is None:
            self.outline = self.writer.reserve()
        copier.stand_for(copier.source.Root.Outlines, self.outline)
        if self.bookmarks:
            items[0].Prev = copier.alias(self.bookmarks[-1])
            copier.assign(items[0], self.next_bookmark)
        if more_bookmarks:
            self.next_bookmark = self.writer.reserve()
            items[-1].Next = copier.alias(self.next_bookmark)
        self.bookmarks += [copier.number(item) for item in items]
        self.bookmark_count += len(items) + sum(max(int(item.get("/Count", 0)), 0) for item in items)

    def _keep_front(self, copier: Copier) -> None:
        """What the joined PDF takes from its front matter: its catalog's entries and metadata."""
        pdf = copier.source
        self.front["catalog"] = copier.entries(
            pdf.Root, omit=("/Type", "/Pages", "/Names", "/Outlines", "/StructTreeRoot"))
        self.front["names"] = copier.entries(pdf.Root.get("/Names", pikepdf.Dictionary()), omit=("/Dests",))
        if (info := pdf.trailer.get("/Info")) is not None:
            self.info = copier.number(info if info.is_indirect else pdf.make_indirect(info))

    def finish(self) -> bytes:
        """The objects that waited for every part, then the file."""
        put = self.writer.put
        put(self.pages, b"<< /Type /Pages /Kids [ %s ] /Count %d >>" % (_refs(self.kids), len(self.kids)))
        catalog = b"<< /Type /Catalog%s /Pages %d 0 R" % (self.front["catalog"], self.pages)
        if self.dests or self.front["names"]:
            dests = b" ".join(pikepdf.String(name).unparse() + b" " + dest for name, dest in
                              sorted(self.dests, key=lambda entry: entry[0].encode("utf-8")))
            catalog += b" /Names <<%s /Dests << /Names [ %s ] >> >>" % (self.front["names"], dests)
        if self.outline is not None:
            put(self.outline, b"<< /First %d 0 R /Last %d 0 R /Count %d >>"
                % (self.bookmarks[0], self.bookmarks[-1], self.bookmark_count))
            catalog += b" /Outlines %d 0 R" % self.outline
        if self.structure is not None:
            structure, document = self.structure
            put(document, b"<<%s /P %d 0 R /K [ %s ] >>"
                % (self.front["document"], structure, b" ".join(self.document_kids)))
            put(structure, b"<<%s /K [ %d 0 R ] /ParentTree << /Nums [ %s ] >> /ParentTreeNextKey %d >>"
                % (self.front["structure"], document, b" ".join(self.parent_tree), self.next_key))
            catalog += b" /StructTreeRoot %d 0 R" % structure
        root = self.writer.reserve()
        put(root, catalog + b" >>")
        return self.writer.finish(root, self.info)


def _opened(part: PartPdf) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(part.pdf()))


def _folio_forms(sheets: Sequence[PartPdf], joined: _Joined, reader: _Reader) -> Iterator[int]:
    """Each page of the folio sheets in turn, written as a form to draw over its page."""
    for sheet in sheets:
        with reader.read_last(sheet) as pdf:
            copier = Copier(joined.writer, pdf)
            joined.faces.merge(copier, joined.fonts)
            for page in pdf.pages:
                yield copier.number(page.as_form_xobject())


def _refs(numbers: list[int]) -> bytes:
    return b" ".join(b"%d 0 R" % number for number in numbers)


def _move_keys(page: pikepdf.Page, offset: int) -> None:
    """The page's and its annotations' keys in the parent tree, moved past those of earlier parts."""
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + offset
    for annotation in page.obj.get("/Annots", ()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The named destinations WeasyPrint wrote: one flat, sorted /Names array."""
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return []
    array = dests.Names
    return [(str(array[index]), array[index + 1]) for index in range(0, len(array), 2)]


def _outline_items(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The top-level bookmarks, in order."""
    root = pdf.Root.get("/Outlines")
    items = []
    item = root.get("/First") if root is not None else None
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


def _blank(pdf: pikepdf.Pdf, like: pikepdf.Page) -> pikepdf.Page:
    """An empty page of the same boxes as like, as WeasyPrint leaves before a recto part."""
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Parent=pdf.Root.Pages, Resources=pikepdf.Dictionary())
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        if box in like.obj:
            page[box] = pikepdf.Array(like.obj[box])
    if "/StructParents" in like.obj:
        page.Tabs = pikepdf.Name.S
    return pikepdf.Page(pdf.make_indirect(page))


def _lay_folio(pdf: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    """The page's folio (a form written already, form its alias) drawn over it, as a pagination
    artifact."""
    resources = pikepdf.Dictionary({key: value for key, value in page.obj.Resources.items()})
    xobjects = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
    xobjects.Folio = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    # The page's own drawing may leave its coordinates flipped: it is set apart first.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"\nQ /Artifact BMC q /Folio Do Q EMC"), prepend=False)
