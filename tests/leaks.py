"""Reading outputs back for what must not be in them: attachments, link targets, secrets, requests."""

from __future__ import annotations

import contextlib
import http.server
import io
import re
import threading
import zipfile
import zlib
from pathlib import Path

from pypdf import PdfReader

SECRET = "TOPSECRET-7f3a9c"  # written into files outside the content folder


def every_byte(path: Path) -> bytes:
    """The file's bytes with every compressed part unpacked: PDF streams, zip entries."""
    data = path.read_bytes()
    parts = [data]
    if data.startswith(b"%PDF"):
        for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            with contextlib.suppress(zlib.error):
                parts.append(zlib.decompress(stream.group(1)))
    elif data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts.extend(archive.read(name) for name in archive.namelist())
    return b"\n".join(parts)


def holds_secret(path: Path) -> bool:
    return SECRET.encode() in every_byte(path)


def attachments(path: Path) -> list[str]:
    """Names of embedded files and of file attachment annotations."""
    reader = PdfReader(path)
    found = list(reader.attachments)
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            if annotation.get_object().get("/Subtype") == "/FileAttachment":
                found.append("annotation")
    if b"/EmbeddedFile" in every_byte(path):
        found.append("/EmbeddedFile")
    return found


def link_targets(path: Path) -> list[str]:
    """The target of every link annotation: the URI, or #name for an internal one."""
    targets = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and action.get_object().get("/URI") is not None:
                targets.append(str(action.get_object()["/URI"]))
            elif action is not None:
                targets.append(f"action {action.get_object().get('/S')}")
            else:
                targets.append(f"#{annotation.get('/Dest')}")
    return targets


class Recorder:
    """An HTTP server on 127.0.0.1 that answers everything and remembers every request."""

    def __init__(self) -> None:
        requests = self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                requests.append(self.path)
                self.send_response(302)  # a redirect, which must not be followed either
                self.send_header("Location", "/redirected")
                self.end_headers()

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
