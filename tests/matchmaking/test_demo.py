import io

import pytest

from accounts import demo as accounts_demo
from matchmaking import demo, recommendations
from matchmaking.models import PartnerProfile
from minegap.ledger.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_demo_profiles_are_published_once_and_recommend_across_borders():
    accounts_demo.seed(io.StringIO())
    out = io.StringIO()
    demo.seed(out)
    assert out.getvalue().strip() == "Matchmaking: 15 partner profiles published."
    assert PartnerProfile.objects.filter(status="published").count() == 15
    entries = AuditEntry.objects.count()
    again = io.StringIO()
    demo.seed(again)
    assert again.getvalue().strip() == "Matchmaking: 0 partner profiles published."
    assert AuditEntry.objects.count() == entries
    knp = PartnerProfile.objects.get(organisation__short_name="KNP").organisation
    best = recommendations.recommend(knp, limit=2)
    assert [(r.profile.organisation.short_name, r.score, r.summary) for r in best] == [
        (
            "SAM",
            75,
            "provider of 3d-printed wear parts, Poland, also works on cobalt, "
            "active in manufacturing, next to your stages",
        ),
        (
            "OSN",
            70,
            "provider of sensor networks, also works on cobalt, nickel, "
            "active in extraction, next to your stages, shares keywords: sensor networks",
        ),
    ]
