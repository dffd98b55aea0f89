"""Settings > Options > Mapillary: the page saves to QgsSettings and the running plugin applies it at once."""

import pytest
from qgis.core import QgsSettings

import mapillary_qgis
from mapillary_qgis.qgis_glue import options
from mapillary_qgis.qgis_glue.options import GROUP, Values


@pytest.fixture
def clean_settings():
    QgsSettings().remove(GROUP)
    yield QgsSettings()
    QgsSettings().remove(GROUP)


@pytest.fixture
def plugin(iface, fake_env, clean_settings, monkeypatch):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    loaded = mapillary_qgis.classFactory(iface)
    loaded.initGui()
    yield loaded
    loaded.unload()


def test_one_page_registered_and_removed(iface, fake_env, clean_settings):
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    assert len(iface.options_factories) == 1 and iface.options_factories[0].title() == "Mapillary"
    assert not iface.options_factories[0].icon().isNull()
    plugin.unload()
    assert iface.options_factories == []


def test_the_page_shows_the_defaults_and_applies_new_values_at_once(qtbot, plugin, iface, fake_env):
    page = iface.options_factories[0].createWidget()
    qtbot.addWidget(page)
    assert page.values() == Values()
    assert plugin.tile_cache.max_bytes == 500 * 2**20 and plugin.tile_source.max_workers == 8
    page.tile_mb.setValue(50)
    page.tile_days.setValue(2)
    page.thumbnail_mb.setValue(20)
    page.requests.setValue(3)
    page.image_size.setCurrentIndex(page.image_size.findData(2048))
    page.apply()  # OK in the Options dialog
    assert options.read() == Values(50, 2, 20, 3, 2048)
    assert plugin.tile_cache.max_bytes == 50 * 2**20 and plugin.tile_cache.max_age_s == 2 * 86400
    assert plugin.tile_source.max_workers == 3
    assert plugin.thumbnails._files.max_bytes == 20 * 2**20
    assert plugin.image_controller.full_size == 2048
    assert fake_env.token not in "".join(str(QgsSettings().value(f"{GROUP}/{key}"))
                                         for key in QgsSettings().allKeys() if key.startswith(GROUP))

    again = mapillary_qgis.classFactory(iface)  # a later QGIS session starts with them
    plugin.unload()
    again.initGui()
    try:
        assert again.tile_cache.max_bytes == 50 * 2**20 and again.tile_source.max_workers == 3
        assert again.image_controller.full_size == 2048
        assert iface.options_factories[0].createWidget().values() == Values(50, 2, 20, 3, 2048)
    finally:
        again.unload()
        plugin.initGui()  # the fixture unloads it


def test_a_load_after_the_change_uses_the_new_pool(qtbot, plugin, fake_env):
    from tests.fake_mapillary.dataset import DEMO_CENTER
    from tests.fake_mapillary.tilemath import tile_for

    plugin.tile_source.set_max_workers(2)
    x, y = tile_for(*DEMO_CENTER, 14)
    result = plugin.tile_source.load("mly1_public", [(14, x, y), (14, x + 1, y)], ["image"])
    assert not result.failures and result.records["image"]
    assert plugin.tile_source._pool._max_workers == 2


def test_mangled_settings_fall_back(clean_settings):
    settings = QgsSettings()
    settings.setValue(f"{GROUP}/tile_cache_mb", "lots")
    settings.setValue(f"{GROUP}/requests_in_flight", 500)
    settings.setValue(f"{GROUP}/image_size", 777)
    settings.setValue(f"{GROUP}/tile_cache_days", -4)
    assert options.read() == Values(tile_cache_mb=500, tile_cache_days=1, requests_in_flight=16, image_size=1024)


def test_clear_buttons_show_and_empty_the_caches(qtbot, plugin, iface):
    plugin.tile_cache.clear()  # what other tests left in the profile
    plugin.thumbnails.clear()
    plugin.tile_cache.put("mly1_public", 14, 1, 2, b"x" * 300_000)
    plugin.thumbnails.put("178993950747668", 256, b"\xff\xd8\xff" + b"y" * 200_000)
    page = iface.options_factories[0].createWidget()
    qtbot.addWidget(page)
    assert page.tile_use.text().startswith("0.3 MB") and page.thumbnail_use.text().startswith("0.2 MB")
    page.clear_tiles.click()
    page.clear_thumbnails.click()
    assert page.tile_use.text().startswith("0.0 MB") and page.thumbnail_use.text().startswith("0.0 MB")
    assert plugin.tile_cache.get("mly1_public", 14, 1, 2) is None
    assert plugin.thumbnails.get("178993950747668", 256) is None
