"""Url-encoded bodies get the caps multipart bodies already have, checked before anything is parsed.

Werkzeug applies MAX_FORM_PARTS to multipart bodies only and reads a url-encoded body whole, up to
MAX_CONTENT_LENGTH (the 10 MB meant for uploads): an anonymous post of a million tiny fields cost a worker
2.5 s and 250 MB before the CSRF check could refuse it. Here such a body is refused with a 413 from its
Content-Length alone, or, sent without one (chunked), after reading no more than the cap.
"""
import io

from flask import Request, current_app
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

_CHUNK = 64 * 1024


class FormTooLarge(RequestEntityTooLarge):
    """A form body past MAX_URLENCODED_BYTES or MAX_FORM_PARTS: no file is involved, so errors.py says so."""


class CappedFormDataParser(FormDataParser):
    max_urlencoded_size: int | None = None

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        cap = self.max_urlencoded_size
        if cap is not None and content_length is not None and content_length > cap:
            raise FormTooLarge()
        body = bytearray()
        separators = 0
        while chunk := stream.read(_CHUNK):
            body += chunk
            separators += chunk.count(b"&")
            if (cap is not None and len(body) > cap) or (
                    self.max_form_parts is not None and separators >= self.max_form_parts):
                raise FormTooLarge()
        return super()._parse_urlencoded(io.BytesIO(bytes(body)), mimetype, len(body), options)


class CappedRequest(Request):
    form_data_parser_class = CappedFormDataParser

    def make_form_data_parser(self) -> FormDataParser:
        parser = super().make_form_data_parser()
        parser.max_urlencoded_size = current_app.config["MAX_URLENCODED_BYTES"]
        return parser
