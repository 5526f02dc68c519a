"""Objects copied out of a part: references renumbered, and nothing that only looks like one."""

from __future__ import annotations

import io

import pikepdf

from studyguide.engine.pdfwriter import Copier, PdfWriter


def test_copied_objects_keep_their_strings_names_and_references():
    source = pikepdf.new()
    target = source.make_indirect(pikepdf.Dictionary(Kind=pikepdf.Name("/Target")))
    tricky = source.make_indirect(pikepdf.Dictionary(
        Alt=pikepdf.String("see 3 0 R (and a parenthesis"),  # text that reads like a reference
        Hex=pikepdf.String(b"\x01\x02 0 R"),
        F1=target,  # a name ending in a digit before a reference
        Row=pikepdf.Array([pikepdf.Name("/N12"), 4, 5.5, target, pikepdf.Dictionary()]),
    ))
    writer = PdfWriter("1.7")
    copier = Copier(writer, source)
    number = copier.number(tricky)
    root, pages = writer.reserve(), writer.reserve()
    writer.put(pages, b"<< /Type /Pages /Kids [ ] /Count 0 >>")
    writer.put(root, b"<< /Type /Catalog /Pages %d 0 R /Tricky %d 0 R >>" % (pages, number))
    with pikepdf.open(io.BytesIO(writer.finish(root, None))) as copied:
        found = copied.Root.Tricky
        assert str(found.Alt) == "see 3 0 R (and a parenthesis"
        assert bytes(found.Hex) == b"\x01\x02 0 R"
        assert found.F1.Kind == "/Target"
        assert found.Row[0] == "/N12" and found.Row[1] == 4 and float(found.Row[2]) == 5.5
        assert found.Row[3].objgen == found.F1.objgen  # one object, written once
        assert len(found.Row[4].keys()) == 0


def test_an_object_told_to_stand_for_another_is_referred_to_as_it_from_then_on():
    source = pikepdf.new()
    shared = source.make_indirect(pikepdf.Dictionary(Kind=pikepdf.Name("/Source")))
    before = source.make_indirect(pikepdf.Dictionary(To=shared))
    after = source.make_indirect(pikepdf.Dictionary(To=shared))
    writer = PdfWriter("1.7")
    copier = Copier(writer, source)
    first = copier.value(before)  # refers to shared, which is written too
    given = writer.reserve()
    writer.put(given, b"<< /Kind /Given >>")
    copier.stand_for(shared, given)
    second = copier.value(after)
    root, pages = writer.reserve(), writer.reserve()
    writer.put(pages, b"<< /Type /Pages /Kids [ ] /Count 0 >>")
    writer.put(root, b"<< /Type /Catalog /Pages %d 0 R /Before %s /After %s >>" % (pages, first, second))
    with pikepdf.open(io.BytesIO(writer.finish(root, None))) as copied:
        assert copied.Root.Before.To.Kind == "/Source"
        assert copied.Root.After.To.Kind == "/Given"
