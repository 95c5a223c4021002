import pytest
from django.core.exceptions import ValidationError

from matchmaking import vocab
from matchmaking.models import PartnerProfile
from tests.matchmaking.factories import make_profile

pytestmark = pytest.mark.django_db


def test_vocabulary_sizes_follow_the_critical_raw_materials_act():
    assert len(vocab.RawMaterial.values) == 34
    assert len(vocab.STRATEGIC_RAW_MATERIALS) == 17
    assert vocab.is_strategic("lithium") is True
    assert vocab.is_strategic("helium") is False
    assert vocab.adjacent_stages("extraction") == {"exploration", "processing"}
    assert vocab.adjacent_stages("exploration") == {"extraction"}


def test_flag_set_round_trips_in_vocabulary_order():
    profile = make_profile(
        stages=["recycling", "exploration"], raw_materials=["vanadium", "antimony"]
    )
    fresh = PartnerProfile.objects.get(pk=profile.pk)
    assert fresh.stages == ["exploration", "recycling"]
    assert fresh.raw_materials == ["antimony", "vanadium"]
    assert fresh.sectors == []


def test_has_any_and_has_all_lookups():
    a = make_profile(stages=["exploration", "extraction"])
    b = make_profile(stages=["extraction"])
    make_profile(stages=["recycling"])
    any_ids = PartnerProfile.objects.filter(stages__has_any=["exploration", "extraction"])
    assert sorted(any_ids.values_list("pk", flat=True)) == sorted([a.pk, b.pk])
    all_ids = PartnerProfile.objects.filter(stages__has_all=["exploration", "extraction"])
    assert list(all_ids.values_list("pk", flat=True)) == [a.pk]
    # Bit 33 (vanadium) is above 32 bits: the column is a bigint on both databases.
    c = make_profile(raw_materials=["vanadium"])
    assert list(
        PartnerProfile.objects.filter(raw_materials__has_any=["vanadium"]).values_list(
            "pk", flat=True
        )
    ) == [c.pk]


def test_unknown_code_is_a_validation_error():
    field = PartnerProfile._meta.get_field("stages")
    with pytest.raises(ValidationError):
        field.to_mask(["moon-mining"])
