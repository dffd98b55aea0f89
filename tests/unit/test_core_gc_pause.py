"""The collector pause: off inside, back on after the last one, never turned on if it was off."""

import gc
import threading

import pytest

from mapillary_qgis.core.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def collector_restored():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_inside_and_resumed_after():
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_resumed_after_an_error():
    gc.enable()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("tile")
    assert gc.isenabled()


def test_overlapping_pauses_in_threads_resume_once_the_last_ends():
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with gc_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with gc_paused():
        second_in.set()
        first_out.wait(5)
        assert not gc.isenabled()  # the first pause ended, this one has not
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_freed_memory_is_given_back_or_nothing_happens(monkeypatch):
    import mapillary_qgis.core.gc_pause as gc_pause

    real = gc_pause._malloc_trim
    calls = []
    monkeypatch.setattr(gc_pause, "_malloc_trim", lambda: lambda pad: calls.append(pad))
    gc_pause.release_free_memory()
    assert calls == [0]  # glibc: malloc_trim(0), every arena
    monkeypatch.setattr(gc_pause, "_malloc_trim", lambda: None)  # no malloc_trim (musl, macOS, Windows)
    gc_pause.release_free_memory()  # nothing, no error
    monkeypatch.setattr(gc_pause, "_malloc_trim", real)
    real.cache_clear()
    gc_pause.release_free_memory()  # the real one, looked up once
    gc_pause.release_free_memory()
    assert real.cache_info().misses == 1


def test_collect_and_release_waits_for_no_load_and_empties_the_free_lists(monkeypatch):
    import mapillary_qgis.core.gc_pause as gc_pause

    trims = []
    monkeypatch.setattr(gc_pause, "_malloc_trim", lambda: lambda pad: trims.append(pad))
    gc.enable()
    with gc_paused():  # a load is running: no collection in the middle of it
        assert gc_pause.collect_and_release() is False
    assert trims == []
    before = gc.get_stats()[2]["collections"]
    assert gc_pause.collect_and_release() is True
    assert gc.get_stats()[2]["collections"] == before + 1  # a full one: only it clears the free lists
    assert trims == [0]
