"""The access matrix: every URL the project serves, asked by every role, against the table in
tests/access/expectations.py; private texts reach only their readers; lists hold only the
caller's objects; a refused write writes nothing.

The URLs come from the resolver, so a new view is in the matrix as soon as it is mounted, and
the matrix fails until the table says what each role gets there.
"""

import copy
import json
import logging
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test import Client

from tests.access import expectations
from tests.access.arguments import SWAPPED, arguments_for, payload
from tests.access.discovery import (
    FORBIDDEN,
    INVALID,
    LOGIN,
    MFA,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REFUSED,
    all_patterns,
    answer_class,
    url_of,
)
from tests.access.forms import post_forms
from tests.access.table import format_row
from tests.access.world import ROLES, SINGLE_FACTOR
from tests.auth import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("access-matrix")]

#: Answers that refuse: whoever gets one must not have written anything.
REFUSALS = (LOGIN, MFA, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, REFUSED)
TEXT_TYPES = ("text/html", "application/json", "text/csv", "text/plain")


@dataclass
class Answer:
    method: str
    klass: str
    text: str = ""  # the body of a text answer
    forms: list = field(default_factory=list)  # (path, fields) of its POST forms


def _row_key(pattern) -> str:
    """A pattern's own row, else (for the Django admin's URLs) the admin's row."""
    if pattern.key in expectations.ROWS or not pattern.route.startswith("admin/"):
        return pattern.key
    return expectations.ADMIN


def _client(world, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        sign_in(client, world.users[role], mfa=role not in SINGLE_FACTOR)
    return client


def _text_of(response) -> str:
    if response.get("Content-Type", "").split(";")[0] not in TEXT_TYPES:
        return ""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _ask(client: Client, method: str, url: str, data=None, *, inside=None):
    """A GET as it is; a write in a savepoint rolled back, with the client's cookies kept (a
    sign-out or sign-in must not change who asks next). `inside` runs before the rollback."""
    if method == "GET":
        return client.get(url), None
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if url.startswith("/api/"):
                body, content_type = json.dumps(data or {}), "application/json"
            else:
                body, content_type = urlencode(data or {}), "application/x-www-form-urlencoded"
            response = client.generic(method, url, body, content_type)
            seen = inside() if inside else None
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, seen


def _urls(world) -> dict[str, tuple]:
    """key -> (pattern, url, row) for every pattern the table has a row for."""
    found = {}
    for pattern in all_patterns():
        row = expectations.ROWS.get(_row_key(pattern))
        if row is None:
            continue
        url = url_of(pattern, arguments_for(pattern.key, pattern.route, pattern.kwargs, world.ids))
        found[pattern.key] = (pattern, url, row)
    return found


@pytest.fixture(scope="module")
def quiet_request_log():
    """Refusals are logged as warnings by django.request: thousands of them, all expected."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def clients(world):
    return {role: _client(world, role) for role in ROLES}


@pytest.fixture(scope="module")
def answers(world, clients, quiet_request_log) -> dict[tuple[str, str], Answer]:
    """Every URL asked once by every role, with the method its row says: the pages first, whose
    forms are then what the action-only URLs are sent."""
    urls = _urls(world)
    got = {}
    for key, (_pattern, url, row) in urls.items():
        if row.method == "GET":
            for role in ROLES:
                got[key, role] = _answer(clients[role], "GET", url, {})
    forms = _forms(got)
    for key, (_pattern, url, row) in urls.items():
        if row.method != "GET":
            data = _payload(key, url, world.ids, forms)
            for role in ROLES:
                got[key, role] = _answer(clients[role], row.method, url, data)
    return got


def _forms(got: dict) -> dict[str, dict]:
    """The first form each path was shown with, by the path it posts to."""
    forms: dict[str, dict] = {}
    for answer in got.values():
        for path, fields in answer.forms:
            forms.setdefault(path, fields)
    return forms


def _payload(key: str, url: str, ids: dict, forms: dict) -> dict:
    """What a write to `url` sends: the API's body, or the form a page showed for it."""
    if url.startswith("/api/"):
        return payload(key, ids, api=True)
    return forms.get(url) or payload(key, ids, api=False)


def _answer(client: Client, method: str, url: str, data: dict) -> Answer:
    try:
        response, _seen = _ask(client, method, url, data)
        klass = answer_class(response)
    except Exception as error:  # a 500 is a finding too: report it in the matrix
        return Answer(method, f"error:{type(error).__name__}:{error}"[:200])
    text = _text_of(response) if klass == OK else ""
    forms = post_forms(text, url) if "text/html" in response.get("Content-Type", "") else []
    return Answer(method, klass, text, forms)


def test_every_url_pattern_has_a_row_in_the_table():
    keys = {_row_key(pattern) for pattern in all_patterns()}
    missing = sorted(keys - set(expectations.ROWS))
    stale = sorted(set(expectations.ROWS) - keys)
    assert not missing, (
        "URL patterns the access matrix does not know yet: add a row for each to "
        "tests/access/expectations.py saying what every role gets there (and, if the URL takes "
        "arguments, which seeded object they name in tests/access/arguments.py): "
        + ", ".join(missing)
    )
    assert not stale, f"rows for URL patterns that no longer exist: {', '.join(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_the_table_expects(answers, world, role):
    wrong = []
    for key, (_pattern, url, row) in _urls(world).items():
        got = answers[key, role].klass
        if got != row.answers[role]:
            wrong.append(
                f"{format_row(key, row.method, [got])}  (table: {row.answers[role]}) {url}"
            )
    assert not wrong, f"{len(wrong)} answers differ for {role}:\n" + "\n".join(wrong)


def test_private_texts_reach_only_their_readers(answers):
    """Searched in every read (an action's answer may show what the action shares: accepting an
    expression of interest shows the other side's contact)."""
    leaks, read = [], set()
    for (key, role), answer in answers.items():
        if answer.method != "GET":
            continue
        for text, readers in expectations.PRIVATE_TEXTS.items():
            if text in answer.text:
                if role in readers:
                    read.add(text)
                else:
                    leaks.append(f"{role} reads “{text}” at {key}")
    assert not leaks, "\n".join(leaks)
    # Each text is somewhere its readers see it: the search looks where the text would be.
    assert read == set(expectations.PRIVATE_TEXTS)


def _ids_in(text: str) -> set[int]:
    data = json.loads(text)
    items = data["results"] if isinstance(data, dict) and "results" in data else data
    return {item["id"] for item in items}


@pytest.mark.parametrize("key", sorted(expectations.LISTS))
def test_lists_hold_only_the_callers_objects(answers, world, key):
    markers, expected_by_role = expectations.LISTS[key]
    wrong = []
    for role in ROLES:
        answer = answers[key, role]
        if answer.klass != OK:
            continue
        expected = {world.ids[name] for name in expected_by_role.get(role, ())}
        if markers is None:  # an API list: the ids it returns
            shown = _ids_in(answer.text)
            candidates = shown | {
                world.ids[n] for names in expected_by_role.values() for n in names
            }
        else:  # a page: which of the objects' texts it shows
            shown = {world.ids[name] for name, text in markers.items() if text in answer.text}
            candidates = {world.ids[name] for name in markers}
        if shown & candidates != expected:
            wrong.append(f"{role}: shows {sorted(shown)}, expected {sorted(expected)}")
    assert not wrong, f"{key}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("key", sorted(SWAPPED))
def test_a_second_object_of_another_consortium_is_not_found(world, clients, key):
    """The URL's first object is the asker's, its second the other consortium's: not found, and
    (for a write) nothing written."""
    role, swapped = SWAPPED[key]
    pattern = next(p for p in all_patterns() if p.key == key)
    kwargs = arguments_for(key, pattern.route, pattern.kwargs, world.ids)
    kwargs.update({name: world.ids[value] for name, value in swapped.items()})
    url = url_of(pattern, kwargs)
    method = expectations.ROWS[key].method
    before = _row_counts()
    response, after = _ask(clients[role], method, url, inside=_row_counts)
    assert (answer_class(response), after or before) == (NOT_FOUND, before), url


def _row_counts() -> dict[str, int]:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )
    tables = [t for t in dict.fromkeys(tables) if t not in expectations.UNCOUNTED_TABLES]
    quote = connection.ops.quote_name
    # Table names come from the models, never from a request.
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _write_methods(pattern, row) -> tuple[str, ...]:
    if row.method != "GET":
        return (row.method,)
    if pattern.route.startswith("api/"):
        return ("POST", "PATCH", "DELETE")
    return ("POST",)


@pytest.mark.parametrize("role", ROLES)
def test_a_refused_write_writes_nothing(answers, world, clients, role, quiet_request_log):
    """Whoever is refused a URL, or may only read it, sends each write method there with the
    body an allowed person would (the form they were shown): nothing is written."""
    forms = _forms(answers)
    problems = []
    for key, (pattern, url, row) in _urls(world).items():
        read_only = role in expectations.READ_ONLY.get(key, ())
        if row.answers[role] not in REFUSALS and not read_only:
            continue
        if row.key == expectations.ADMIN and key not in expectations.ADMIN_WRITES:
            continue
        for method in _write_methods(pattern, row):
            before = _row_counts()
            response, after = _ask(
                clients[role], method, url, _payload(key, url, world.ids, forms), inside=_row_counts
            )
            changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
            if changed:
                problems.append(f"{method} {url}: wrote {changed}")
            klass = answer_class(response)
            if klass not in (*REFUSALS, INVALID) and not (read_only and klass == OK):
                problems.append(f"{method} {url}: answered {klass} ({response.status_code})")
    assert not problems, f"{role}:\n" + "\n".join(problems)
