"""What may not enter the ledger's hashed content: personal data.

A hash chain can never forget, and a person may ask to be forgotten (GDPR, article 17). So the
hashed content of an entry names people by id only (the actor, the target, ids in `data`); who
they are is joined at read time from their row, which erasure pseudonymises. Texts a person
wrote (reasons, comments) go through `record(notes=...)`: they are kept beside the entry in an
erasable row, and the hashed data holds only their salted digest.

`personal_data_problems` is the guard `record()` applies to every entry, and the test the
sealing migration used to find the old entries that held personal data.
"""

import re
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError

# Anything shaped like an e-mail address, anywhere in a string (keys included).
EMAIL_ADDRESS = re.compile(r"[^@\s\"'<>(),;:]+@[^@\s\"'<>(),;:]+\.[A-Za-z]{2,}")

# Top-level keys of `data` whose value is a person's name or contact, whatever its shape.
PERSON_KEYS = frozenset(
    {
        "email",
        "e_mail",
        "email_address",
        "name",
        "full_name",
        "first_name",
        "last_name",
        "display_name",
        "username",
        "phone",
        "phone_number",
        "telephone",
        "mobile",
    }
)

# Top-level keys whose value is free text a person wrote: pass it as `record(notes=...)`.
FREE_TEXT_KEYS = frozenset(
    {
        "reason",
        "comment",
        "comments",
        "note",
        "notes",
        "message",
        "description",
        "justification",
        "text",
    }
)

# Keys the ledger itself writes into `data`; a caller may not supply them.
NOTES_DIGEST_KEY = "notes_sha256"
SEALED_DIGEST_KEY = "sealed_sha256"
RESERVED_KEYS = frozenset({NOTES_DIGEST_KEY, SEALED_DIGEST_KEY})


class PersonalDataInLedger(ValidationError):
    """`record()` was given data that names a person or holds their words.

    A programming error when the code put it there (tests catch it), but it can also come from
    what someone typed (an address in a document title or a question's label): as a
    ValidationError it reaches the page or the API as a refusal (4xx, nothing written, the
    transaction rolls back), never as a 500."""

    def __str__(self) -> str:
        return " ".join(self.messages)  # the sentence itself, not a list's repr, in tracebacks


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", str(key)
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def personal_data_problems(data: dict[str, Any]) -> list[str]:
    """One line per key or value of `data` that holds personal data (empty: none found)."""
    problems = []
    for key in data:
        name = str(key).lower()
        if name in PERSON_KEYS:
            problems.append(f"key “{key}” names or reaches a person: record their id instead")
        elif name in FREE_TEXT_KEYS:
            problems.append(f"key “{key}” holds free text a person wrote: pass it as notes=")
        elif name in RESERVED_KEYS:
            problems.append(f"key “{key}” is written by the ledger itself")
    for path, text in _strings(data, "data"):
        if EMAIL_ADDRESS.search(text):
            problems.append(f"{path} holds an e-mail address")
    return problems


def refuse_personal_data(data: dict[str, Any]) -> None:
    problems = personal_data_problems(data)
    if problems:
        raise PersonalDataInLedger(
            "The ledger's hashed data must not hold personal data (it can never be erased): "
            + "; ".join(problems)
            + "."
        )
