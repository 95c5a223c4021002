"""The POST forms of a page, as a browser would submit them untouched: what a refused write sends.

A refused POST is only a proof when it is a real one: an empty body is stopped by form
validation before the permission is ever asked. So the matrix keeps every form that the roles
allowed to see a page were shown, by the path it posts to, and replays it as the others.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin

FILLER = (
    "Written by the access matrix: long enough for any field that asks for an explanation, "
    "a reason or a message, so that only the permission can refuse it."
)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._form: dict[str, str] | None = None
        self._action = ""
        self._submitted = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._free_text: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            if attributes.get("method", "get").lower() == "post":
                self._form, self._submitted, self._free_text = {}, False, set()
                self._action = urljoin(self.page_path, attributes.get("action") or self.page_path)
            return
        if tag == "option" and self._form is not None and self._select is not None:
            value = attributes.get("value", "")
            if self._select_value is None or "selected" in attributes:
                self._select_value = value
            return
        if self._form is None or "name" not in attributes:
            return
        name = attributes["name"]
        if tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._form.setdefault(name, attributes.get("value", "on"))
            elif kind == "submit":
                if not self._submitted:  # the first button is the one pressed
                    self._form[name] = attributes.get("value", "")
                    self._submitted = True
            elif kind != "file":
                self._form.setdefault(name, attributes.get("value", ""))
                if kind == "text":
                    self._free_text.add(name)
        elif tag == "button" and attributes.get("type", "submit").lower() == "submit":
            if not self._submitted:
                self._form[name] = attributes.get("value", "")
                self._submitted = True
        elif tag == "select":
            self._select, self._select_value = name, None
        elif tag == "textarea":
            self._textarea, self._text = name, []
            self._free_text.add(name)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form.setdefault(self._textarea, "".join(self._text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select_value is not None:
                self._form.setdefault(self._select, self._select_value)
            self._select = None
        elif tag == "form":
            for name in self._free_text:  # a filled-in text passes validation: the rules decide
                if not self._form.get(name):
                    self._form[name] = FILLER
            self.forms.append((self._action, self._form))
            self._form = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def post_forms(html: str, page_path: str) -> list[tuple[str, dict[str, str]]]:
    """(path posted to, fields with their shown values) of each POST form of the page."""
    parser = _FormParser(page_path)
    parser.feed(html)
    parser.close()
    return [(action.split("?")[0].split("#")[0], data) for action, data in parser.forms]
