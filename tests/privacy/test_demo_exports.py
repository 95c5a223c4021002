"""On the demo's people (applicants, evaluators, committee members, staff, who share
organisations, applications, evaluations and a committee session), each person's export holds
their own address and nobody else's address or name."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from minegap.core.personal_data import export_sections

pytestmark = pytest.mark.django_db

SHORTEST_NAME_CHECKED = 5  # shorter names would match inside unrelated words


def test_no_demo_person_s_export_names_another_person():
    call_command("seed_demo", stdout=StringIO())
    people = list(User.objects.order_by("pk"))
    found = []
    for person in people:
        sections = {s.name: s.export(person) for s in export_sections()}
        text = json.dumps(sections, ensure_ascii=False).lower()
        if person.email.lower() not in text:
            found.append(f"{person.email}: own address missing")
        for other in people:
            if other.pk == person.pk:
                continue
            if other.email.lower() in text:
                found.append(f"{person.email}'s export holds {other.email}")
            name = other.full_name.lower()
            if len(name) >= SHORTEST_NAME_CHECKED and name in text:
                found.append(f"{person.email}'s export names {other.full_name}")

    assert len(people) >= 20
    assert found == []
