"""A link is one annotation, however many boxes it holds, and it is still clicked all over."""

from __future__ import annotations

from pathlib import Path

from studyguide.engine.weasy import Resources, render_pdf
from studyguide.html import fonts

from ..pdfinfo import accessibility_failures, page_links

ENTRY = ('<a href="#there" style="display: block; position: relative; padding-right: 2em">'
         '<span style="display: inline-block; width: 2em">07</span><span>What a question</span>'
         '<span style="position: absolute; right: 0; bottom: 0">12</span></a>')
TARGET = '<p id="there" style="break-before: page">There</p>'


def _render(tmp_path: Path, body: str) -> Path:
    html = (f'<html lang="en"><head><title>Links</title></head><body style="line-height: 2">{body}{TARGET}'
            '</body></html>')
    pdf = render_pdf(html, Resources(tmp_path, (tmp_path, *fonts.font_dirs())), "links.pdf", tagged=True)
    path = tmp_path / "links.pdf"
    path.write_bytes(pdf.data)
    return path


def test_a_link_around_boxes_is_one_annotation_over_them_all_and_still_tagged(tmp_path):
    path = _render(tmp_path, ENTRY)
    links = page_links(path, [1])
    assert len(links) == 1  # WeasyPrint alone writes four: the link, the number, the question, the page
    assert links[0].name == "there" and links[0].target == 2
    assert links[0].text == "07 What a question 12"
    assert accessibility_failures(path) == []


def test_links_side_by_side_or_to_other_places_each_keep_their_own(tmp_path):
    body = ('<p><a href="#there">one</a> and <a href="#there">two</a> and <a href="#here">three</a></p>'
            '<p id="here">Here</p>')
    links = page_links(_render(tmp_path, body), [1])
    assert [link.name for link in links] == ["there", "there", "here"]
    assert links[0].box[2] < links[1].box[0] < links[1].box[2] < links[2].box[0]  # one after the other


def test_a_box_that_reaches_out_of_its_link_keeps_an_annotation_there(tmp_path):
    body = ('<p><a href="#there">a picture <span style="display: inline-block; height: 3cm; width: 1cm; '
            'vertical-align: top">&#8203;</span></a></p>')
    links = page_links(_render(tmp_path, body), [1])
    assert len(links) == 2
    tallest = max(link.box[3] - link.box[1] for link in links)
    assert tallest > 80  # pt: the 3 cm box is clickable down to its foot
