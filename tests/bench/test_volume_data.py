"""The bench's data generator at a tiny scale, and the baseline view's place outside the product."""

import pytest
from django.urls import Resolver404, resolve

from bench._volume_data import Volumes, generate
from calls.models import Application, ApplicationState, ConsortiumMember
from evaluation.models import Assignment, AssignmentState, Score
from matchmaking.models import PartnerProfile
from public.models import ProjectAward


@pytest.mark.django_db
def test_tiny_data_set_has_the_counts_asked_for():
    generated = generate(
        Volumes(applications=30, evaluators=6, scores=90, funded=12, profiles=9, rush=2), seed=1
    )
    call_applications = Application.objects.filter(call=generated.call)
    assert call_applications.count() == 30
    assert call_applications.filter(state=ApplicationState.UNDER_EVALUATION).count() == 30
    assert Application.objects.filter(state=ApplicationState.FUNDED).count() == 12
    assert ProjectAward.objects.count() == 12
    assert PartnerProfile.objects.filter(status=PartnerProfile.Status.PUBLISHED).count() == 9
    # Two evaluators an application, shared evenly by 6: 60 assignments, 10 each.
    assignments = Assignment.objects.filter(application__call=generated.call)
    assert assignments.count() == 60
    assert sorted(set(assignments.values_list("evaluator", flat=True))) == sorted(
        u.pk for u in generated.evaluators
    )
    assert all(assignments.filter(evaluator=u).count() == 10 for u in generated.evaluators)
    # 90 scores on 3 criteria: 30 sheets scored, the other 30 accepted and empty.
    assert assignments.filter(state=AssignmentState.SCORED).count() == 30
    assert assignments.filter(state=AssignmentState.ACCEPTED).count() == 30
    assert Score.objects.count() == 90
    assert not Score.objects.filter(assignment__state=AssignmentState.ACCEPTED).exists()
    # The rush's drafts: complete, each its own applicant, not submitted.
    drafts = Application.objects.filter(call__slug="bench-rush")
    assert drafts.count() == 2
    assert set(drafts.values_list("state", flat=True)) == {ApplicationState.DRAFT}
    assert len(set(drafts.values_list("lead_organisation", flat=True))) == 2
    # Every application has a lead and 2-3 members.
    for application in call_applications:
        members = ConsortiumMember.objects.filter(application=application)
        assert 2 <= members.count() <= 3
        assert members.filter(is_lead=True).count() == 1


def test_baseline_view_is_not_in_the_product_urls():
    with pytest.raises(Resolver404):
        resolve("/__bench__/trivial/", urlconf="minegap.urls")
    assert resolve("/__bench__/trivial/", urlconf="bench._trivial").url_name == "bench-trivial"
