<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
    <context>
        <name>Filtering</name>
        <message>
            <location filename="../qgis_glue/filtering.py" line="87" />
            <source>Looking up Mapillary users</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="95" />
            <source>an unexpected error</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="98" />
            <source>The creators could not be looked up, so they do not filter yet: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="115" />
            <source> (filtered)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="121" />
            <source>No Mapillary user is called {}: that name filters nothing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="126" />
            <source>The coverage layers cannot filter by {}; the exact layers are filtered.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FiltersTab</name>
        <message>
            <location filename="../gui/filters_tab.py" line="59" />
            <source>From</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="60" />
            <source>To</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="61" />
            <source>Last</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="66" />
            <source>days</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="66" />
            <source>months</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="66" />
            <source>years</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="70" />
            <source>All images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="70" />
            <source>Panoramas only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="71" />
            <source>No panoramas</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="75" />
            <source>usernames or ids, separated by commas</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="77" />
            <source>organization ids</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="79" />
            <source>sequence ids</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="80" />
            <source>Compass</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="82" />
            <source>Seen</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="87" />
            <source>Images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="88" />
            <source>Creators</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="89" />
            <source>Organizations</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="90" />
            <source>Sequences</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="94" />
            <source>Search classes…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="100" />
            <source>Map features and signs: tick classes to show &lt;b&gt;only&lt;/b&gt; those; none ticked shows all.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="112" />
            <source>Apply</source>
            <translation>Anwenden</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="115" />
            <source>Reset</source>
            <translation>Zurücksetzen</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="118" />
            <source>Refresh classes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="250" />
            <source>No filter: every image and feature is shown.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ImagePanel</name>
        <message>
            <location filename="../gui/image_panel.py" line="51" />
            <source>Choose the Mapillary identify tool and click an image on the map.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="69" />
            <source>Set token</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="82" />
            <source>◀ Previous</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="83" />
            <source>Next ▶</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="90" />
            <source>Open in Mapillary</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="91" />
            <source>Copy id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="92" />
            <source>Copy link</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="93" />
            <source>Zoom to</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="129" />
            <source>Captured (UTC)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="130" />
            <source>Captured (local)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="131" />
            <source>Creator</source>
            <translation>Urheber</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="132" />
            <source>Camera</source>
            <translation>Kamera</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="133" />
            <source>Camera type</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="134" />
            <source>Compass angle</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="135" />
            <source>Position</source>
            <translation>Position</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="136" />
            <source>Computed position</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="137" />
            <source>Sequence</source>
            <translation>Sequenz</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="138" />
            <source>Organization</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="144" />
            <source>Set a valid token in the Account tab.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="145" />
            <source>Wait a minute, then click again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="146" />
            <source>Check your internet connection or proxy settings.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="147" />
            <source>The image may have been deleted or made private.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="151" />
            <source>Map feature</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="187" />
            <source>No Mapillary image here. Click closer to a green dot or line.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="206" />
            <source>&lt;b&gt;{}&lt;/b&gt;&lt;br&gt;First seen {}&lt;br&gt;Last seen {}&lt;br&gt;Seen in {} images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="228" />
            <source>Loading the picture…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="241" />
            <source> ({:.1f} m away)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LayersTab</name>
        <message>
            <location filename="../gui/layers_tab.py" line="34" />
            <source>Coverage (browse at any zoom)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="39" />
            <source>Exact data (zoom 14 and closer; filter, select, export)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="44" />
            <source>Load exact data for an area…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="46" />
            <source>Drag a rectangle on the map: the exact layers get everything inside it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="50" />
            <source>Clear tile cache</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="89" />
            <source>Your Mapillary token is locked in the QGIS authentication database: press “Unlock token…” in the Account tab.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="94" />
            <source>Save your Mapillary access token in the Account tab first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="123" />
            <source>Loading the exact Mapillary data of the area…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="132" />
            <source>Drag a rectangle on the map around the area to load.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="138" />
            <source>The Mapillary tile cache is empty.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LiveLayers</name>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="78" />
            <location filename="../qgis_glue/live_layers.py" line="126" />
            <source> (filtered)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="157" />
            <source>Zoom in to load exact Mapillary data (street level, zoom 14 or closer).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="164" />
            <source>Turn on an exact layer first (images, sequences, features or signs).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="168" />
            <source>The area is too large: at most {} tiles at zoom 14 (some 35 km across). Pick a smaller area.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="194" />
            <source>Loading Mapillary data</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="197" />
            <source>Loading {} Mapillary tiles…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="226" />
            <source>{}: {} features</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="243" />
            <source>{} unreadable Mapillary tiles were skipped.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="249" />
            <source>Loading Mapillary data failed unexpectedly; see the QGIS message log.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="251" />
            <source>Mapillary rate-limited the requests; {} tiles are missing. Pan again later.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MapillaryDock</name>
        <message>
            <location filename="../gui/dock.py" line="40" />
            <source>Mapillary</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="49" />
            <source>Account</source>
            <translation>Konto</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="69" />
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="70" />
            <source>Test</source>
            <translation>Testen</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="71" />
            <source>Forget</source>
            <translation>Vergessen</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="72" />
            <source>Unlock token…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="88" />
            <source>Get a token: &lt;a href="https://www.mapillary.com/dashboard/developers"&gt;mapillary.com/dashboard/developers&lt;/a&gt;, register an app and copy its Client Token. It is kept encrypted in the QGIS authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="98" />
            <source>Access token</source>
            <translation>Zugriffstoken</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="118" />
            <source>No token. Paste your Mapillary access token and press Save.</source>
            <translation>Kein Token. Fügen Sie Ihr Mapillary-Zugriffstoken ein und klicken Sie auf Speichern.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="119" />
            <source>Token saved. Press Test to check it with Mapillary.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="120" />
            <source>Token valid.</source>
            <translation>Token gültig.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="121" />
            <source>Token invalid or expired.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="122" />
            <source>Mapillary's request limit is reached; try again later.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="123" />
            <source>Mapillary could not be reached.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="124" />
            <source>Token locked: the QGIS authentication database is locked.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="130" />
            <source>Using the token from the MAPILLARY_ACCESS_TOKEN environment variable.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="153" />
            <source>Saved in the QGIS authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="162" />
            <source>The token was removed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="177" />
            <source>Testing the Mapillary token</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="179" />
            <source>Testing…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../gui/dock.py" line="185" />
            <source>The token could not be tested.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MapillaryPlugin</name>
        <message>
            <location filename="../plugin.py" line="122" />
            <location filename="../plugin.py" line="127" />
            <location filename="../plugin.py" line="155" />
            <location filename="../plugin.py" line="200" />
            <source>Mapillary</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin.py" line="124" />
            <source>Mapillary street-level imagery</source>
            <translation>Mapillary-Straßenbilder</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="135" />
            <source>Layers</source>
            <translation>Layer</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="156" />
            <source>Your Mapillary token is locked in the QGIS authentication database.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin.py" line="158" />
            <source>Unlock Mapillary token</source>
            <translation>Mapillary-Token entsperren</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="207" />
            <source>Filters</source>
            <translation>Filter</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="216" />
            <source>No filter: every image and feature is shown.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin.py" line="236" />
            <source>Image</source>
            <translation>Bild</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="244" />
            <source>Mapillary identify</source>
            <translation>Mapillary-Abfrage</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="246" />
            <source>Click a Mapillary image on the map to see its picture and details</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MapillaryProcessing</name>
        <message>
            <location filename="../processing/common.py" line="63" />
            <source>No Mapillary access token. Set the environment variable MAPILLARY_ACCESS_TOKEN, or save your token in the Mapillary panel (Account tab) with the QGIS authentication database unlocked.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="124" />
            <source>The input has no field {!r} of image ids.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="153" />
            <source>Extent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="155" />
            <source>Area (polygons; only features inside them)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="159" />
            <source>Captured from (date, e.g. 2015-07-11, local time, inclusive)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="160" />
            <source>Captured until (date, e.g. 2015-07-31, local time, inclusive)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="163" />
            <source>Panoramas</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="163" />
            <source>All images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="163" />
            <source>Panoramas only</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="163" />
            <source>No panoramas</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="166" />
            <source>Creators (usernames or ids, comma separated)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="168" />
            <source>Organization ids (comma separated)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="187" />
            <source>Give an extent or an area (a polygon layer).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="189" />
            <source>The area is empty: no polygon, or none inside the extent.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="197" />
            <source>The start date {} is after the end date {}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="200" />
            <source>Organization ids are numbers, separated by commas.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="214" />
            <source>{}: {!r} is not a date such as 2015-07-11.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="223" />
            <source>The creators could not be looked up: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="225" />
            <source>No Mapillary user is called {}: that name filters nothing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="249" />
            <source>No Mapillary tile could be loaded: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="250" />
            <source>{} of {} tiles could not be loaded; the output holds the other {}. First error: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="253" />
            <source>Cancelled: the output holds the {} of {} tiles loaded before.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="255" />
            <source>{} tiles loaded ({} from the cache).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="271" />
            <location filename="../processing/common.py" line="275" />
            <location filename="../processing/imagedetails.py" line="90" />
            <source>The features could not be written: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/common.py" line="279" />
            <source>{} features written.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="50" />
            <source>Mapillary has no such image, or it is not public.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="51" />
            <source>Mapillary has no picture of this image in this size.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="52" />
            <source>The feature has no valid image id.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="86" />
            <source>{} The images downloaded so far are kept; run again later for the rest.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="97" />
            <source> (ids {}{})</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="98" />
            <source>{} of {} images could not be downloaded{}. First error: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="102" />
            <source>{} pictures are not JPEGs that could be read: they were saved without EXIF.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="108" />
            <source>Download images</source>
            <translation>Bilder herunterladen</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="109" />
            <source>Saves the pictures of a layer of Mapillary images (for example the output of Images) into a folder, as &lt;id&gt;_&lt;size&gt;.jpg, in 256, 1024 or 2048 pixels wide or as the original. Files already in the folder are kept and not downloaded again, so a cancelled or failed run can simply be run again. Optionally writes the image's position (the feature's point, in WGS 84) and its heading (the compass_angle field) into the EXIF GPS tags. Images that fail are counted and reported once; the others are saved. Uses MAPILLARY_ACCESS_TOKEN or the token saved in the Mapillary panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="120" />
            <location filename="../processing/imagedetails.py" line="51" />
            <location filename="../processing/images.py" line="30" />
            <source>Mapillary images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="121" />
            <location filename="../processing/imagedetails.py" line="52" />
            <source>Image id field</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="123" />
            <source>Size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="123" />
            <source>256 pixels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="123" />
            <source>1024 pixels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="123" />
            <source>2048 pixels</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="123" />
            <source>Original</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="126" />
            <source>Write position and heading into EXIF</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="127" />
            <source>Folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="128" />
            <source>Images downloaded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="129" />
            <source>Images already in the folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="130" />
            <source>Images that could not be downloaded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="140" />
            <source>The folder {} could not be made: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="148" />
            <source>{} images: {} already in the folder, {} to download.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="151" />
            <source>{} images downloaded, {} already in the folder, {} failed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="239" />
            <source>Cancelled: {} images downloaded; run again to download the rest.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="293" />
            <source>The file {} could not be written: {}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/imagedetails.py" line="45" />
            <source>Add image details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/imagedetails.py" line="54" />
            <source>Mapillary images with details</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/imagedetails.py" line="71" />
            <source>{} images written.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/images.py" line="18" />
            <source>Images</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/images.py" line="19" />
            <source>Mapillary images in an extent or inside polygons, as points in EPSG:4326: exact 64-bit ids, capture times in UTC. Dates are calendar days in local time, both inclusive (2015-07-11). Uses MAPILLARY_ACCESS_TOKEN or the token saved in the Mapillary panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/images.py" line="29" />
            <source>Computed positions and angles (structure from motion)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="18" />
            <source>Map features and traffic signs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="19" />
            <source>Mapillary map features (objects) or traffic signs in an extent or inside polygons, as points in EPSG:4326 with exact ids and first/last seen times in UTC. Classes: comma-separated values (object--bench) or groups by prefix (regulatory--).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="28" />
            <source>Kind</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="28" />
            <source>Map features</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="28" />
            <source>Traffic signs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="30" />
            <source>Classes (comma separated; a prefix such as regulatory-- names a group)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="31" />
            <source>Mapillary map features</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/sequences.py" line="15" />
            <source>Sequences</source>
            <translation>Sequenzen</translation>
        </message>
        <message>
            <location filename="../processing/sequences.py" line="16" />
            <source>Mapillary sequences crossing an extent or polygons, one line per sequence (as far as the z14 tiles around the area reach), in EPSG:4326. The filters apply to each sequence's first image; dates are calendar days in local time, both inclusive (2015-07-11).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../processing/sequences.py" line="25" />
            <source>Mapillary sequences</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Notices</name>
        <message>
            <location filename="../qgis_glue/notices.py" line="51" />
            <source>Your Mapillary token is locked in the QGIS authentication database; unlock it to see Mapillary data.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/notices.py" line="56" />
            <source>Mapillary rate-limited the tile requests; some tiles are missing.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/notices.py" line="58" />
            <source>Some Mapillary tiles could not be read and were skipped.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../qgis_glue/notices.py" line="64" />
            <source>Mapillary rate-limited the requests, retrying in {} s.</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
