"""Tiny PDF files written byte by byte, for the PDF reader's tests (no PDF library needed)."""

from __future__ import annotations


def pdf(pages: list[bytes], *, trailer_extra: bytes = b"", extra_objects: tuple[bytes, ...] = (),
        xref: bool = True) -> bytes:
    """A PDF whose pages draw the given content streams in Helvetica; objects numbered in order:
    1 catalog, 2 page tree, 3 font, then each extra object, then a page and its stream per page."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", *extra_objects]
    kids = []
    for content in pages:
        page_number = len(objects) + 1
        kids.append(page_number)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (page_number + 1))
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, start)
    return bytes(out)


def text_page(*lines: str, size: int = 11) -> bytes:
    """A content stream writing each line (Latin-1) from the top of an A4 page down."""
    body = b"".join(b"(%s) Tj 0 -%d Td " % (line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)"),
                                            size + 3) for line in lines)
    return b"BT /F1 %d Tf 72 760 Td %s ET" % (size, body)


def image_page() -> bytes:
    """A page that only draws a (one-pixel) image, as a scan without a text layer does."""
    return b"q 500 0 0 700 50 70 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q"
