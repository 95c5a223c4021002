"""Reading the expectation table (tests/access/expectations.py) into rows."""

from dataclasses import dataclass

from tests.access.discovery import CLASSES

METHODS = ("GET", "POST", "DELETE")


@dataclass(frozen=True)
class Row:
    key: str
    method: str  # how the URL is asked: GET for pages, POST/DELETE for action-only URLs
    answers: dict[str, str]  # role -> class of answer


def parse(text: str, columns: dict[str, str]) -> dict[str, Row]:
    """`columns`: the table's column labels, in order, and the role each stands for."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split()
    assert header[2:] == list(columns), f"the columns must be {list(columns)}, not {header[2:]}"
    roles = tuple(columns.values())
    rows: dict[str, Row] = {}
    for line in lines[1:]:
        key, method, *answers = line.split()
        assert method in METHODS, f"{key}: method {method} is not one of {METHODS}"
        assert len(answers) == len(roles), f"{key}: {len(answers)} answers for {len(roles)} roles"
        unknown = set(answers) - set(CLASSES)
        assert not unknown, f"{key}: {unknown} are not classes of answer ({CLASSES})"
        assert key not in rows, f"{key} has two rows"
        rows[key] = Row(key=key, method=method, answers=dict(zip(roles, answers, strict=True)))
    return rows


def format_row(key: str, method: str, answers: list[str]) -> str:
    return f"{key:40} {method:6} " + " ".join(f"{a:8}" for a in answers)
