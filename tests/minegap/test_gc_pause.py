"""The cyclic collector paused around a burst of allocations (minegap.core.gc_pause)."""

import gc

import pytest

from minegap.core.gc_pause import collection_paused


@pytest.fixture
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_inside_and_on_again_after(collector_enabled):
    with collection_paused():
        assert gc.isenabled() is False
    assert gc.isenabled() is True


def test_a_collector_turned_off_before_stays_off():
    was = gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert gc.isenabled() is False
    finally:
        if was:
            gc.enable()


def test_the_collector_is_on_again_when_the_block_raises(collector_enabled):
    with pytest.raises(LookupError), collection_paused():
        raise LookupError("the block failed")
    assert gc.isenabled() is True


def test_what_the_block_keeps_is_in_the_oldest_generation_not_counted_as_young(
    collector_enabled,
):
    with collection_paused():
        kept = [[n] for n in range(20_000)]
    assert gc.get_count()[0] < 1_000  # not the 20,000 lists made inside
    oldest = gc.get_objects(generation=2)
    assert any(o is kept[0] for o in oldest)
    assert any(o is kept[-1] for o in oldest)


def test_objects_frozen_before_stay_frozen(collector_enabled):
    frozen_before = [["made", "before the freeze"]]
    gc.freeze()
    try:
        with collection_paused():
            kept = [[n] for n in range(1_000)]
        assert gc.get_freeze_count() > 0
        assert not any(o is frozen_before[0] for o in gc.get_objects())  # not in a generation
        # Nothing was moved: what the block made is not in the oldest generation.
        assert not any(o is kept[0] for o in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
