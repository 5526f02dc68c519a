"""Where a link in an output may lead: a web page, an e-mail address, or a place in the same document.

Markup drops every other link from the content, with a warning that names the
card. The PDF step drops any that still reaches it (from a template, say) and
every attachment, so no PDF points at, or carries, a local file.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from weasyprint import Document

SCHEMES = ("https", "http", "mailto")
RULE = "links may go only to https:, http: or mailto: addresses, or to # places in the guide"

_LOGGER = logging.getLogger(__name__)


def allowed(href: str) -> bool:
    """Whether a link may stay: an https, http or mailto address, or a #place."""
    href = href.strip()
    return href.startswith("#") or urlsplit(href).scheme.lower() in SCHEMES


def remove_unsafe_links(document: Document, name: str) -> None:
    """Drop the laid-out document's attachments and links that lead anywhere else, with a warning."""
    attachments = len(document.metadata.attachments)
    if attachments:
        _LOGGER.warning("%s: removed %d attachments; PDFs carry none", name, attachments)
    document.metadata.attachments = []
    for page in document.pages:
        kept = []
        for link in page.links:
            link_type, target = link[0], link[1]
            if link_type == "internal" or (link_type == "external" and allowed(target)):
                kept.append(link)
            else:
                _LOGGER.warning("%s: removed the %s link to %s; %s", name, link_type, target, RULE)
        page.links[:] = kept
