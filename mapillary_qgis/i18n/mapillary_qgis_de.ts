<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
    <context>
        <name>Filtering</name>
        <message>
            <location filename="../qgis_glue/filtering.py" line="87" />
            <source>Looking up Mapillary users</source>
            <translation>Mapillary-Benutzer werden nachgeschlagen</translation>
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="95" />
            <source>an unexpected error</source>
            <translation>ein unerwarteter Fehler</translation>
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="98" />
            <source>The creators could not be looked up, so they do not filter yet: {}</source>
            <translation>Die Urheber konnten nicht nachgeschlagen werden und filtern daher noch nicht: {}</translation>
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="115" />
            <source> (filtered)</source>
            <translation> (gefiltert)</translation>
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="121" />
            <source>No Mapillary user is called {}: that name filters nothing.</source>
            <translation>Kein Mapillary-Benutzer heißt {}: Dieser Name filtert nichts.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/filtering.py" line="126" />
            <source>The coverage layers cannot filter by {}; the exact layers are filtered.</source>
            <translation>Die Abdeckungslayer können nicht nach {} filtern; die exakten Layer werden gefiltert.</translation>
        </message>
    </context>
    <context>
        <name>FiltersTab</name>
        <message>
            <location filename="../gui/filters_tab.py" line="59" />
            <source>From</source>
            <translation>Von</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="60" />
            <source>To</source>
            <translation>Bis</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="61" />
            <source>Last</source>
            <translation>Letzte</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="66" />
            <source>days</source>
            <translation>Tage</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="66" />
            <source>months</source>
            <translation>Monate</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="66" />
            <source>years</source>
            <translation>Jahre</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="70" />
            <source>All images</source>
            <translation>Alle Bilder</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="70" />
            <source>Panoramas only</source>
            <translation>Nur Panoramen</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="71" />
            <source>No panoramas</source>
            <translation>Keine Panoramen</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="75" />
            <source>usernames or ids, separated by commas</source>
            <translation>Benutzernamen oder IDs, durch Kommas getrennt</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="77" />
            <source>organization ids</source>
            <translation>Organisations-IDs</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="79" />
            <source>sequence ids</source>
            <translation>Sequenz-IDs</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="80" />
            <source>Compass</source>
            <translation>Kompass</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="82" />
            <source>Seen</source>
            <translation>Gesehen</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="87" />
            <source>Images</source>
            <translation>Bilder</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="88" />
            <source>Creators</source>
            <translation>Urheber</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="89" />
            <source>Organizations</source>
            <translation>Organisationen</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="90" />
            <source>Sequences</source>
            <translation>Sequenzen</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="94" />
            <source>Search classes…</source>
            <translation>Klassen suchen…</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="100" />
            <source>Map features and signs: tick classes to show &lt;b&gt;only&lt;/b&gt; those; none ticked shows all.</source>
            <translation>Kartenobjekte und Verkehrszeichen: Haken Sie Klassen an, um &lt;b&gt;nur&lt;/b&gt; diese anzuzeigen; ohne Haken wird alles angezeigt.</translation>
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
            <translation>Klassen aktualisieren</translation>
        </message>
        <message>
            <location filename="../gui/filters_tab.py" line="250" />
            <source>No filter: every image and feature is shown.</source>
            <translation>Kein Filter: Alle Bilder und Objekte werden angezeigt.</translation>
        </message>
    </context>
    <context>
        <name>ImagePanel</name>
        <message>
            <location filename="../gui/image_panel.py" line="62" />
            <source>Choose the Mapillary identify tool and click an image on the map.</source>
            <translation>Wählen Sie das Werkzeug „Mapillary-Abfrage“ und klicken Sie auf der Karte auf ein Bild.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="84" />
            <source>Set token</source>
            <translation>Token festlegen</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="97" />
            <source>◀ Previous</source>
            <translation>◀ Zurück</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="98" />
            <source>Next ▶</source>
            <translation>Weiter ▶</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="99" />
            <location filename="../gui/image_panel.py" line="446" />
            <source>▶ Play</source>
            <translation>▶ Abspielen</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="100" />
            <source>Walk along the sequence, about two images a second</source>
            <translation>Die Sequenz entlanggehen, etwa zwei Bilder pro Sekunde</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="109" />
            <source>Open in Mapillary</source>
            <translation>In Mapillary öffnen</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="110" />
            <source>Copy id</source>
            <translation>ID kopieren</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="111" />
            <source>Copy link</source>
            <translation>Link kopieren</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="112" />
            <source>Zoom to</source>
            <translation>Hinzoomen</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="120" />
            <source>◀ Older</source>
            <translation>◀ Älter</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="121" />
            <source>Newer ▶</source>
            <translation>Neuer ▶</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="166" />
            <source>Captured (UTC)</source>
            <translation>Aufgenommen (UTC)</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="167" />
            <source>Captured (local)</source>
            <translation>Aufgenommen (lokale Zeit)</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="168" />
            <source>Creator</source>
            <translation>Urheber</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="169" />
            <source>Camera</source>
            <translation>Kamera</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="170" />
            <source>Camera type</source>
            <translation>Kameratyp</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="171" />
            <source>Compass angle</source>
            <translation>Kompasswinkel</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="172" />
            <source>Position</source>
            <translation>Position</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="173" />
            <source>Computed position</source>
            <translation>Berechnete Position</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="174" />
            <source>Sequence</source>
            <translation>Sequenz</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="175" />
            <source>Organization</source>
            <translation>Organisation</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="181" />
            <source>Set a valid token in the Account tab.</source>
            <translation>Legen Sie im Reiter „Konto“ ein gültiges Token fest.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="182" />
            <source>Wait a minute, then click again.</source>
            <translation>Warten Sie eine Minute und klicken Sie dann erneut.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="183" />
            <source>Check your internet connection or proxy settings.</source>
            <translation>Prüfen Sie Ihre Internetverbindung oder die Proxy-Einstellungen.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="184" />
            <source>The image may have been deleted or made private.</source>
            <translation>Das Bild wurde möglicherweise gelöscht oder auf privat gesetzt.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="185" />
            <source>Try Next, or open the image in Mapillary.</source>
            <translation>Versuchen Sie „Weiter“ oder öffnen Sie das Bild in Mapillary.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="189" />
            <source>Map feature</source>
            <translation>Kartenobjekt</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="203" />
            <source>Images of this place</source>
            <translation>Bilder dieses Orts</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="233" />
            <source>No Mapillary image here. Click closer to a green dot or line.</source>
            <translation>Hier ist kein Mapillary-Bild. Klicken Sie näher an einen grünen Punkt oder eine grüne Linie.</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="253" />
            <source>&lt;b&gt;{}&lt;/b&gt;&lt;br&gt;First seen {}&lt;br&gt;Last seen {}&lt;br&gt;Seen in {} images</source>
            <translation>&lt;b&gt;{}&lt;/b&gt;&lt;br&gt;Erstmals gesehen: {}&lt;br&gt;Zuletzt gesehen: {}&lt;br&gt;Gesehen in {} Bildern</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="276" />
            <source>No Mapillary image sees this place (within 30 m, looking at it).</source>
            <translation>Kein Mapillary-Bild sieht diesen Ort (im Umkreis von 30 m, auf ihn blickend).</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="280" />
            <source>{} images see this place, on one day ({}).</source>
            <translation>{} Bilder sehen diesen Ort, an einem Tag ({}).</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="281" />
            <source>{} images see this place, on {} days ({}).</source>
            <translation>{} Bilder sehen diesen Ort, an {} Tagen ({}).</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="287" />
            <source>{} · {:.0f} m away · {}</source>
            <translation>{} · {:.0f} m entfernt · {}</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="288" />
            <source>panorama</source>
            <translation>Panorama</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="289" />
            <source>{:.0f}° off its view</source>
            <translation>{:.0f}° neben der Blickrichtung</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="299" />
            <source>Same place, other dates: none</source>
            <translation>Gleicher Ort, andere Aufnahmetage: keine</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="300" />
            <source>Same place, other dates: {} images, {} – {}</source>
            <translation>Gleicher Ort, andere Aufnahmetage: {} Bilder, {} – {}</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="322" />
            <source>Same place, other dates: looking…</source>
            <translation>Gleicher Ort, andere Aufnahmetage: wird gesucht…</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="333" />
            <source>Loading the picture…</source>
            <translation>Foto wird geladen…</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="346" />
            <source> ({:.1f} m away)</source>
            <translation> ({:.1f} m entfernt)</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="372" />
            <source>Loading the panorama…</source>
            <translation>Panorama wird geladen…</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="404" />
            <source>The picture of this image could not be read (a damaged file).</source>
            <translation>Das Foto dieses Bildes konnte nicht gelesen werden (beschädigte Datei).</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="405" />
            <source>No picture</source>
            <translation>Kein Foto</translation>
        </message>
        <message>
            <location filename="../gui/image_panel.py" line="446" />
            <source>■ Stop</source>
            <translation>■ Stopp</translation>
        </message>
    </context>
    <context>
        <name>LayersTab</name>
        <message>
            <location filename="../gui/layers_tab.py" line="34" />
            <source>Coverage (browse at any zoom)</source>
            <translation>Abdeckung (in jeder Zoomstufe ansehen)</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="39" />
            <source>Exact data (zoom 14 and closer; filter, select, export)</source>
            <translation>Exakte Daten (ab Zoomstufe 14; filtern, auswählen, exportieren)</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="44" />
            <source>Load exact data for an area…</source>
            <translation>Exakte Daten für ein Gebiet laden…</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="46" />
            <source>Drag a rectangle on the map: the exact layers get everything inside it</source>
            <translation>Ziehen Sie ein Rechteck auf der Karte auf: Die exakten Layer erhalten alles darin</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="50" />
            <source>Clear tile cache</source>
            <translation>Kachel-Cache leeren</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="89" />
            <source>Your Mapillary token is locked in the QGIS authentication database: press “Unlock token…” in the Account tab.</source>
            <translation>Ihr Mapillary-Token ist in der QGIS-Authentifizierungsdatenbank gesperrt: Klicken Sie im Reiter „Konto“ auf „Token entsperren…“.</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="94" />
            <source>Save your Mapillary access token in the Account tab first.</source>
            <translation>Speichern Sie zuerst Ihr Mapillary-Zugriffstoken im Reiter „Konto“.</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="123" />
            <source>Loading the exact Mapillary data of the area…</source>
            <translation>Die exakten Mapillary-Daten des Gebiets werden geladen…</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="132" />
            <source>Drag a rectangle on the map around the area to load.</source>
            <translation>Ziehen Sie auf der Karte ein Rechteck um das zu ladende Gebiet auf.</translation>
        </message>
        <message>
            <location filename="../gui/layers_tab.py" line="138" />
            <source>The Mapillary tile cache is empty.</source>
            <translation>Der Mapillary-Kachel-Cache ist leer.</translation>
        </message>
    </context>
    <context>
        <name>LiveLayers</name>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="145" />
            <location filename="../qgis_glue/live_layers.py" line="171" />
            <location filename="../qgis_glue/live_layers.py" line="287" />
            <source>Mapillary's exact data cannot be stored: {}</source>
            <translation>Die exakten Mapillary-Daten können nicht gespeichert werden: {}</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="176" />
            <location filename="../qgis_glue/live_layers.py" line="218" />
            <source> (filtered)</source>
            <translation> (gefiltert)</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="253" />
            <source>Zoom in to load exact Mapillary data (street level, zoom 14 or closer).</source>
            <translation>Zoomen Sie hinein, um exakte Mapillary-Daten zu laden (Straßenebene, ab Zoomstufe 14).</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="260" />
            <source>Turn on an exact layer first (images, sequences, features or signs).</source>
            <translation>Schalten Sie zuerst einen exakten Layer ein (Bilder, Sequenzen, Kartenobjekte oder Verkehrszeichen).</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="264" />
            <source>The area is too large: at most {} tiles at zoom 14 (some 35 km across). Pick a smaller area.</source>
            <translation>Das Gebiet ist zu groß: höchstens {} Kacheln in Zoomstufe 14 (etwa 35 km breit). Wählen Sie ein kleineres Gebiet.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="303" />
            <source>Loading Mapillary data</source>
            <translation>Mapillary-Daten werden geladen</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="306" />
            <source>Loading {} Mapillary tiles…</source>
            <translation>{} Mapillary-Kacheln werden geladen…</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="341" />
            <source>{}: {} features</source>
            <translation>{}: {} Objekte</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="371" />
            <source>{} unreadable Mapillary tiles were skipped.</source>
            <translation>{} unlesbare Mapillary-Kacheln wurden übersprungen.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="376" />
            <source>Mapillary's exact data could not be written to the disk cache (is the disk full?).</source>
            <translation>Die exakten Mapillary-Daten konnten nicht in den Festplatten-Cache geschrieben werden (ist die Festplatte voll?).</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="382" />
            <source>Loading Mapillary data failed unexpectedly; see the QGIS message log.</source>
            <translation>Das Laden der Mapillary-Daten ist unerwartet fehlgeschlagen; siehe die QGIS-Protokollmeldungen.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/live_layers.py" line="384" />
            <source>Mapillary rate-limited the requests; {} tiles are missing. Pan again later.</source>
            <translation>Mapillary hat die Anfragen gedrosselt; {} Kacheln fehlen. Verschieben Sie die Karte später erneut.</translation>
        </message>
    </context>
    <context>
        <name>MapillaryDock</name>
        <message>
            <location filename="../gui/dock.py" line="40" />
            <source>Mapillary</source>
            <translation>Mapillary</translation>
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
            <translation>Token entsperren…</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="88" />
            <source>Get a token: &lt;a href="https://www.mapillary.com/dashboard/developers"&gt;mapillary.com/dashboard/developers&lt;/a&gt;, register an app and copy its Client Token. It is kept encrypted in the QGIS authentication database.</source>
            <translation>Token erhalten: &lt;a href="https://www.mapillary.com/dashboard/developers"&gt;mapillary.com/dashboard/developers&lt;/a&gt;, registrieren Sie eine App und kopieren Sie deren Client Token. Es wird verschlüsselt in der QGIS-Authentifizierungsdatenbank gespeichert.</translation>
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
            <translation>Token gespeichert. Klicken Sie auf Testen, um es bei Mapillary zu prüfen.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="120" />
            <source>Token valid.</source>
            <translation>Token gültig.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="121" />
            <source>Token invalid or expired.</source>
            <translation>Token ungültig oder abgelaufen.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="122" />
            <source>Mapillary's request limit is reached; try again later.</source>
            <translation>Das Anfragelimit von Mapillary ist erreicht; versuchen Sie es später erneut.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="123" />
            <source>Mapillary could not be reached.</source>
            <translation>Mapillary ist nicht erreichbar.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="124" />
            <source>Token locked: the QGIS authentication database is locked.</source>
            <translation>Token gesperrt: Die QGIS-Authentifizierungsdatenbank ist gesperrt.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="130" />
            <source>Using the token from the MAPILLARY_ACCESS_TOKEN environment variable.</source>
            <translation>Das Token aus der Umgebungsvariable MAPILLARY_ACCESS_TOKEN wird verwendet.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="153" />
            <source>Saved in the QGIS authentication database.</source>
            <translation>In der QGIS-Authentifizierungsdatenbank gespeichert.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="162" />
            <source>The token was removed.</source>
            <translation>Das Token wurde entfernt.</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="177" />
            <source>Testing the Mapillary token</source>
            <translation>Mapillary-Token wird getestet</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="179" />
            <source>Testing…</source>
            <translation>Wird getestet…</translation>
        </message>
        <message>
            <location filename="../gui/dock.py" line="185" />
            <source>The token could not be tested.</source>
            <translation>Das Token konnte nicht getestet werden.</translation>
        </message>
    </context>
    <context>
        <name>MapillaryExpressions</name>
        <message>
            <location filename="../qgis_glue/expressions.py" line="30" />
            <source>Loading the picture… hover again in a moment.</source>
            <translation>Foto wird geladen… Zeigen Sie gleich noch einmal mit der Maus darauf.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="31" />
            <source>Open in Mapillary</source>
            <translation>In Mapillary öffnen</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="101" />
            <source>The address of an image in the Mapillary web app.</source>
            <translation>Die Adresse eines Bildes in der Mapillary-Web-App.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="102" />
            <source>the image's Mapillary id, as a number or as text</source>
            <translation>die Mapillary-ID des Bildes, als Zahl oder als Text</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="106" />
            <source>The path of the image's picture on disk, downloaded once and cached by id and size (the same cache as the Image tab's). For a picture item of a print layout, a form's image widget or a map tip. NULL while it cannot be had (no token, no such image, no network), with the reason in the expression's error.</source>
            <translation>Der Pfad des Fotos des Bildes auf der Festplatte, einmal heruntergeladen und nach ID und Größe im Cache abgelegt (derselbe Cache wie der des Reiters „Bild“). Für ein Bildelement eines Drucklayouts, das Bild-Widget eines Formulars oder einen Kartenhinweis. NULL, solange es nicht verfügbar ist (kein Token, kein solches Bild, kein Netzwerk), mit dem Grund im Fehler des Ausdrucks.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="111" />
            <location filename="../qgis_glue/expressions.py" line="123" />
            <source>the image's Mapillary id</source>
            <translation>die Mapillary-ID des Bildes</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="112" />
            <source>256, 1024 (default) or 2048 pixels wide</source>
            <translation>256, 1024 (Standard) oder 2048 Pixel breit</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="113" />
            <source>true (default): wait up to 10 s for a download; false: answer at once, NULL until the picture has arrived (map tips)</source>
            <translation>true (Standard): bis zu 10 s auf einen Download warten; false: sofort antworten, NULL, bis das Foto angekommen ist (Kartenhinweise)</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="116" />
            <source>'/home/…/thumbnails/thumb_1024/…/178993950747668.jpg'</source>
            <translation>'/home/…/thumbnails/thumb_1024/…/178993950747668.jpg'</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="119" />
            <source>One field of the image's details from Mapillary's Graph API, fetched once a session: make, model, creator.username, captured_at (milliseconds since 1970, UTC), compass_angle, camera_type, sequence, is_pano, height, width. NULL when the image or the field is unknown.</source>
            <translation>Ein Feld der Bilddetails aus der Graph API von Mapillary, einmal pro Sitzung abgerufen: make, model, creator.username, captured_at (Millisekunden seit 1970, UTC), compass_angle, camera_type, sequence, is_pano, height, width. NULL, wenn das Bild oder das Feld unbekannt ist.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="124" />
            <source>the Graph field; a nested one with a dot: 'creator.username'</source>
            <translation>das Graph-Feld; ein verschachteltes mit Punkt: 'creator.username'</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="147" />
            <source>not a Mapillary image id</source>
            <translation>keine Mapillary-Bild-ID</translation>
        </message>
        <message>
            <location filename="../qgis_glue/expressions.py" line="159" />
            <source>name a field of the image, for example 'make'</source>
            <translation>geben Sie ein Feld des Bildes an, zum Beispiel 'make'</translation>
        </message>
    </context>
    <context>
        <name>MapillaryOptions</name>
        <message>
            <location filename="../gui/options_page.py" line="33" />
            <source>{:.1f} MB on disk</source>
            <translation>{:.1f} MB auf der Festplatte</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="58" />
            <location filename="../gui/options_page.py" line="60" />
            <source> MB</source>
            <translation> MB</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="59" />
            <source> days</source>
            <translation> Tage</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="62" />
            <source>Tiles fetched at a time for the layers and the identify tool</source>
            <translation>Gleichzeitig abgerufene Kacheln für die Layer und das Abfragewerkzeug</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="66" />
            <source>{} px</source>
            <translation>{} px</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="72" />
            <location filename="../gui/options_page.py" line="74" />
            <source>Clear</source>
            <translation>Leeren</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="81" />
            <source>Caches</source>
            <translation>Caches</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="83" />
            <source>Tile cache size</source>
            <translation>Größe des Kachel-Caches</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="84" />
            <source>Keep tiles for</source>
            <translation>Kacheln behalten für</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="85" />
            <source>Tile cache</source>
            <translation>Kachel-Cache</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="86" />
            <source>Picture cache size</source>
            <translation>Größe des Foto-Caches</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="87" />
            <source>Picture cache</source>
            <translation>Foto-Cache</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="88" />
            <source>Loading</source>
            <translation>Laden</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="90" />
            <source>Requests in flight</source>
            <translation>Gleichzeitige Anfragen</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="91" />
            <source>Picture size in the Image tab</source>
            <translation>Fotogröße im Reiter „Bild“</translation>
        </message>
        <message>
            <location filename="../gui/options_page.py" line="125" />
            <source>Mapillary</source>
            <translation>Mapillary</translation>
        </message>
    </context>
    <context>
        <name>MapillaryPlugin</name>
        <message>
            <location filename="../plugin.py" line="149" />
            <location filename="../plugin.py" line="154" />
            <location filename="../plugin.py" line="200" />
            <location filename="../plugin.py" line="245" />
            <source>Mapillary</source>
            <translation>Mapillary</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="151" />
            <source>Mapillary street-level imagery</source>
            <translation>Mapillary-Straßenbilder</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="163" />
            <source>Layers</source>
            <translation>Layer</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="201" />
            <source>Your Mapillary token is locked in the QGIS authentication database.</source>
            <translation>Ihr Mapillary-Token ist in der QGIS-Authentifizierungsdatenbank gesperrt.</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="203" />
            <source>Unlock Mapillary token</source>
            <translation>Mapillary-Token entsperren</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="252" />
            <source>Filters</source>
            <translation>Filter</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="261" />
            <source>No filter: every image and feature is shown.</source>
            <translation>Kein Filter: Alle Bilder und Objekte werden angezeigt.</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="288" />
            <source>Image</source>
            <translation>Bild</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="298" />
            <source>Mapillary identify</source>
            <translation>Mapillary-Abfrage</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="300" />
            <source>Click a Mapillary image on the map to see its picture and details</source>
            <translation>Klicken Sie auf der Karte auf ein Mapillary-Bild, um sein Foto und seine Details zu sehen</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="313" />
            <source>Mapillary: images of this place</source>
            <translation>Mapillary: Bilder dieses Orts</translation>
        </message>
        <message>
            <location filename="../plugin.py" line="315" />
            <source>Click a spot (an asset, a junction): the Mapillary images that see it, by date</source>
            <translation>Klicken Sie auf eine Stelle (eine Anlage, eine Kreuzung): die Mapillary-Bilder, die sie sehen, nach Datum</translation>
        </message>
    </context>
    <context>
        <name>MapillaryProcessing</name>
        <message>
            <location filename="../processing/common.py" line="68" />
            <source>No Mapillary access token. Set the environment variable MAPILLARY_ACCESS_TOKEN, or save your token in the Mapillary panel (Account tab) with the QGIS authentication database unlocked.</source>
            <translation>Kein Mapillary-Zugriffstoken. Setzen Sie die Umgebungsvariable MAPILLARY_ACCESS_TOKEN oder speichern Sie Ihr Token bei entsperrter QGIS-Authentifizierungsdatenbank im Mapillary-Bedienfeld (Reiter „Konto“).</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="132" />
            <source>The area to load, in any CRS (or give AREA).</source>
            <translation>Das zu ladende Gebiet, in beliebigem KBS (oder AREA angeben).</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="133" />
            <source>Polygons: only what lies inside them (instead of EXTENT).</source>
            <translation>Polygone: nur was darin liegt (statt EXTENT).</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="134" />
            <source>First capture day, an ISO date such as 2015-07-11, in local time.</source>
            <translation>Erster Aufnahmetag, ein ISO-Datum wie 2015-07-11, in lokaler Zeit.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="136" />
            <source>Last capture day, inclusive, in local time.</source>
            <translation>Letzter Aufnahmetag, einschließlich, in lokaler Zeit.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="137" />
            <source>0 all images, 1 panoramas only, 2 no panoramas.</source>
            <translation>0 alle Bilder, 1 nur Panoramen, 2 keine Panoramen.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="138" />
            <source>Usernames or ids, comma separated (looked up once).</source>
            <translation>Benutzernamen oder IDs, durch Kommas getrennt (einmal nachgeschlagen).</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="139" />
            <source>Organization ids, comma separated.</source>
            <translation>Organisations-IDs, durch Kommas getrennt.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="140" />
            <source>A layer of Mapillary images, e.g. the output of Images.</source>
            <translation>Ein Layer mit Mapillary-Bildern, z. B. die Ausgabe von „Bilder“.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="141" />
            <source>The field that holds the image ids (default: id).</source>
            <translation>Das Feld mit den Bild-IDs (Standard: id).</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="142" />
            <source>Where to write the result (a GeoPackage, or temporary).</source>
            <translation>Wohin das Ergebnis geschrieben wird (ein GeoPackage oder temporär).</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="158" />
            <source>The input has no field {!r} of image ids.</source>
            <translation>Die Eingabe hat kein Feld {!r} mit Bild-IDs.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="172" />
            <source>Parameters</source>
            <translation>Parameter</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="179" />
            <source>Example</source>
            <translation>Beispiel</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="180" />
            <source>Uses MAPILLARY_ACCESS_TOKEN or the token saved in the Mapillary panel; never writes it to the history or the log.</source>
            <translation>Verwendet MAPILLARY_ACCESS_TOKEN oder das im Mapillary-Bedienfeld gespeicherte Token; schreibt es nie in den Verlauf oder das Protokoll.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="205" />
            <source>Extent</source>
            <translation>Ausdehnung</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="207" />
            <source>Area (polygons; only features inside them)</source>
            <translation>Gebiet (Polygone; nur Objekte darin)</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="211" />
            <source>Captured from (date, e.g. 2015-07-11, local time, inclusive)</source>
            <translation>Aufgenommen ab (Datum, z. B. 2015-07-11, lokale Zeit, einschließlich)</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="212" />
            <source>Captured until (date, e.g. 2015-07-31, local time, inclusive)</source>
            <translation>Aufgenommen bis (Datum, z. B. 2015-07-31, lokale Zeit, einschließlich)</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="215" />
            <source>Panoramas</source>
            <translation>Panoramen</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="215" />
            <source>All images</source>
            <translation>Alle Bilder</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="215" />
            <source>Panoramas only</source>
            <translation>Nur Panoramen</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="215" />
            <source>No panoramas</source>
            <translation>Keine Panoramen</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="218" />
            <source>Creators (usernames or ids, comma separated)</source>
            <translation>Urheber (Benutzernamen oder IDs, durch Kommas getrennt)</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="220" />
            <source>Organization ids (comma separated)</source>
            <translation>Organisations-IDs (durch Kommas getrennt)</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="239" />
            <source>Give an extent or an area (a polygon layer).</source>
            <translation>Geben Sie eine Ausdehnung oder ein Gebiet (einen Polygonlayer) an.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="241" />
            <source>The area is empty: no polygon, or none inside the extent.</source>
            <translation>Das Gebiet ist leer: kein Polygon oder keines innerhalb der Ausdehnung.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="249" />
            <source>The start date {} is after the end date {}.</source>
            <translation>Das Startdatum {} liegt nach dem Enddatum {}.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="252" />
            <source>Organization ids are numbers, separated by commas.</source>
            <translation>Organisations-IDs sind Zahlen, durch Kommas getrennt.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="266" />
            <source>{}: {!r} is not a date such as 2015-07-11.</source>
            <translation>{}: {!r} ist kein Datum wie 2015-07-11.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="275" />
            <source>The creators could not be looked up: {}</source>
            <translation>Die Urheber konnten nicht nachgeschlagen werden: {}</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="277" />
            <source>No Mapillary user is called {}: that name filters nothing.</source>
            <translation>Kein Mapillary-Benutzer heißt {}: Dieser Name filtert nichts.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="299" />
            <location filename="../processing/common.py" line="422" />
            <location filename="../processing/imagedetails.py" line="92" />
            <source>The features could not be written: {}</source>
            <translation>Die Objekte konnten nicht geschrieben werden: {}</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="302" />
            <source>{} features written.</source>
            <translation>{} Objekte geschrieben.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="315" />
            <source>The features need {} tiles at zoom 14; at most {} can be loaded at once. Run it on fewer features.</source>
            <translation>Die Objekte benötigen {} Kacheln in Zoomstufe 14; höchstens {} können auf einmal geladen werden. Führen Sie den Algorithmus mit weniger Objekten aus.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="343" />
            <source>No Mapillary tile could be loaded: {}</source>
            <translation>Keine Mapillary-Kachel konnte geladen werden: {}</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="344" />
            <source>{} of {} tiles could not be loaded; the output holds the other {}. First error: {}</source>
            <translation>{} von {} Kacheln konnten nicht geladen werden; die Ausgabe enthält die übrigen {}. Erster Fehler: {}</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="347" />
            <source>Cancelled: the output holds the {} of {} tiles loaded before.</source>
            <translation>Abgebrochen: Die Ausgabe enthält die {} von {} Kacheln, die zuvor geladen wurden.</translation>
        </message>
        <message>
            <location filename="../processing/common.py" line="349" />
            <source>{} tiles loaded ({} from the cache).</source>
            <translation>{} Kacheln geladen ({} aus dem Cache).</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="50" />
            <source>Mapillary has no such image, or it is not public.</source>
            <translation>Mapillary hat kein solches Bild, oder es ist nicht öffentlich.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="51" />
            <source>Mapillary has no picture of this image in this size.</source>
            <translation>Mapillary hat kein Foto dieses Bildes in dieser Größe.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="52" />
            <source>The feature has no valid image id.</source>
            <translation>Das Objekt hat keine gültige Bild-ID.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="86" />
            <source>{} The images downloaded so far are kept; run again later for the rest.</source>
            <translation>{} Die bisher heruntergeladenen Bilder bleiben erhalten; führen Sie den Algorithmus später für den Rest erneut aus.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="97" />
            <source> (ids {}{})</source>
            <translation> (IDs {}{})</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="98" />
            <source>{} of {} images could not be downloaded{}. First error: {}</source>
            <translation>{} von {} Bildern konnten nicht heruntergeladen werden{}. Erster Fehler: {}</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="102" />
            <source>{} pictures are not JPEGs that could be read: they were saved without EXIF.</source>
            <translation>{} Fotos sind keine lesbaren JPEGs: Sie wurden ohne EXIF gespeichert.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="108" />
            <source>Download images</source>
            <translation>Bilder herunterladen</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="109" />
            <source>Saves the pictures of a layer of Mapillary images (for example the output of Images) into a folder, as &lt;id&gt;_&lt;size&gt;.jpg, in 256, 1024 or 2048 pixels wide or as the original. Files already in the folder are kept and not downloaded again, so a cancelled or failed run can simply be run again. Optionally writes the image's position (the feature's point, in WGS 84) and its heading (the compass_angle field) into the EXIF GPS tags. Images that fail are counted and reported once; the others are saved.</source>
            <translation>Speichert die Fotos eines Layers mit Mapillary-Bildern (zum Beispiel die Ausgabe von „Bilder“) in einen Ordner, als &lt;id&gt;_&lt;size&gt;.jpg, 256, 1024 oder 2048 Pixel breit oder im Original. Dateien, die bereits im Ordner liegen, bleiben erhalten und werden nicht erneut heruntergeladen, sodass ein abgebrochener oder fehlgeschlagener Lauf einfach wiederholt werden kann. Schreibt optional die Position des Bildes (den Punkt des Objekts, in WGS 84) und seine Blickrichtung (das Feld compass_angle) in die EXIF-GPS-Tags. Fehlgeschlagene Bilder werden gezählt und einmal gemeldet; die anderen werden gespeichert.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="122" />
            <source>0: 256, 1: 1024, 2: 2048 pixels wide, 3: the original.</source>
            <translation>0: 256, 1: 1024, 2: 2048 Pixel breit, 3: das Original.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="123" />
            <source>Writes the feature's point and its compass_angle into the EXIF GPS tags.</source>
            <translation>Schreibt den Punkt des Objekts und seinen compass_angle in die EXIF-GPS-Tags.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="125" />
            <source>Where the pictures go, as &lt;id&gt;_&lt;size&gt;.jpg; files already there are kept.</source>
            <translation>Wohin die Fotos gespeichert werden, als &lt;id&gt;_&lt;size&gt;.jpg; bereits vorhandene Dateien bleiben erhalten.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="132" />
            <location filename="../processing/imagedetails.py" line="53" />
            <location filename="../processing/images.py" line="38" />
            <source>Mapillary images</source>
            <translation>Mapillary-Bilder</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="133" />
            <location filename="../processing/imagedetails.py" line="54" />
            <source>Image id field</source>
            <translation>Bild-ID-Feld</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="135" />
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="135" />
            <location filename="../processing/imagesoffeatures.py" line="81" />
            <source>256 pixels</source>
            <translation>256 Pixel</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="135" />
            <location filename="../processing/imagesoffeatures.py" line="81" />
            <source>1024 pixels</source>
            <translation>1024 Pixel</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="135" />
            <location filename="../processing/imagesoffeatures.py" line="81" />
            <source>2048 pixels</source>
            <translation>2048 Pixel</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="135" />
            <source>Original</source>
            <translation>Original</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="138" />
            <source>Write position and heading into EXIF</source>
            <translation>Position und Blickrichtung in EXIF schreiben</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="139" />
            <source>Folder</source>
            <translation>Ordner</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="140" />
            <source>Images downloaded</source>
            <translation>Heruntergeladene Bilder</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="141" />
            <source>Images already in the folder</source>
            <translation>Bereits im Ordner vorhandene Bilder</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="142" />
            <source>Images that could not be downloaded</source>
            <translation>Bilder, die nicht heruntergeladen werden konnten</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="152" />
            <source>The folder {} could not be made: {}</source>
            <translation>Der Ordner {} konnte nicht angelegt werden: {}</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="160" />
            <source>{} images: {} already in the folder, {} to download.</source>
            <translation>{} Bilder: {} bereits im Ordner, {} herunterzuladen.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="163" />
            <source>{} images downloaded, {} already in the folder, {} failed.</source>
            <translation>{} Bilder heruntergeladen, {} bereits im Ordner, {} fehlgeschlagen.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="251" />
            <source>Cancelled: {} images downloaded; run again to download the rest.</source>
            <translation>Abgebrochen: {} Bilder heruntergeladen; führen Sie den Algorithmus erneut aus, um den Rest herunterzuladen.</translation>
        </message>
        <message>
            <location filename="../processing/downloadimages.py" line="305" />
            <source>The file {} could not be written: {}</source>
            <translation>Die Datei {} konnte nicht geschrieben werden: {}</translation>
        </message>
        <message>
            <location filename="../processing/imagedetails.py" line="45" />
            <source>Add image details</source>
            <translation>Bilddetails hinzufügen</translation>
        </message>
        <message>
            <location filename="../processing/imagedetails.py" line="56" />
            <source>Mapillary images with details</source>
            <translation>Mapillary-Bilder mit Details</translation>
        </message>
        <message>
            <location filename="../processing/imagedetails.py" line="73" />
            <source>{} images written.</source>
            <translation>{} Bilder geschrieben.</translation>
        </message>
        <message>
            <location filename="../processing/images.py" line="18" />
            <source>Images</source>
            <translation>Bilder</translation>
        </message>
        <message>
            <location filename="../processing/images.py" line="19" />
            <source>Mapillary images in an extent or inside polygons, as points in EPSG:4326: exact 64-bit ids, capture times in UTC. Dates are calendar days in local time, both inclusive (2015-07-11).</source>
            <translation>Mapillary-Bilder in einer Ausdehnung oder innerhalb von Polygonen, als Punkte in EPSG:4326: exakte 64-Bit-IDs, Aufnahmezeiten in UTC. Datumsangaben sind Kalendertage in lokaler Zeit, beide einschließlich (2015-07-11).</translation>
        </message>
        <message>
            <location filename="../processing/images.py" line="28" />
            <source>Positions and compass angles from Mapillary's structure from motion instead of the camera's GPS.</source>
            <translation>Positionen und Kompasswinkel aus Mapillarys Structure from Motion statt aus dem GPS der Kamera.</translation>
        </message>
        <message>
            <location filename="../processing/images.py" line="37" />
            <source>Computed positions and angles (structure from motion)</source>
            <translation>Berechnete Positionen und Winkel (Structure from Motion)</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="44" />
            <source>Images of features</source>
            <translation>Bilder von Objekten</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="45" />
            <source>For each feature of a layer (assets: lamp posts, signs, buildings...), the Mapillary images that see it, best first: within the distance and, unless turned off, with the feature inside the image's field of view around its compass angle (60 degrees unless the camera is known; panoramas see all around). One row per feature and image, the feature's fields and geometry with the image's exact id, UTC capture time, distance, angle off its view and panorama flag; a feature no image sees is kept once with empty image fields. Points are used as they are; lines and polygons by a point on them (QGIS's point on surface). Optionally downloads each image's picture into a folder, for an attribute form or a print layout atlas (a picture item on image_path).</source>
            <translation>Für jedes Objekt eines Layers (Anlagen: Laternenmasten, Schilder, Gebäude...) die Mapillary-Bilder, die es sehen, die besten zuerst: innerhalb der Entfernung und, sofern nicht abgeschaltet, mit dem Objekt im Sichtfeld des Bildes um dessen Kompasswinkel (60 Grad, sofern die Kamera nicht bekannt ist; Panoramen sehen rundum). Eine Zeile je Objekt und Bild: die Felder und die Geometrie des Objekts mit der exakten ID des Bildes, der Aufnahmezeit in UTC, der Entfernung, dem Winkel zur Blickrichtung und dem Panorama-Kennzeichen; ein Objekt, das kein Bild sieht, wird einmal mit leeren Bildfeldern behalten. Punkte werden so verwendet, wie sie sind; Linien und Polygone über einen Punkt auf ihnen (Punkt auf Oberfläche von QGIS). Lädt optional das Foto jedes Bildes in einen Ordner herunter, für ein Attributformular oder einen Drucklayout-Atlas (ein Bildelement auf image_path).</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="58" />
            <source>Metres between the image and the feature.</source>
            <translation>Meter zwischen dem Bild und dem Objekt.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="59" />
            <source>Only images whose view holds the feature; off: every image near it.</source>
            <translation>Nur Bilder, in deren Sichtfeld das Objekt liegt; aus: jedes Bild in seiner Nähe.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="61" />
            <source>How many images a feature keeps, best first.</source>
            <translation>Wie viele Bilder ein Objekt behält, die besten zuerst.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="62" />
            <source>0 no pictures, 1: 256, 2: 1024, 3: 2048 pixels wide, into FOLDER.</source>
            <translation>0 keine Fotos, 1: 256, 2: 1024, 3: 2048 Pixel breit, in FOLDER.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="64" />
            <source>Where the pictures go, as &lt;id&gt;_&lt;size&gt;.jpg; files already there are used.</source>
            <translation>Wohin die Fotos gespeichert werden, als &lt;id&gt;_&lt;size&gt;.jpg; bereits vorhandene Dateien werden verwendet.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="70" />
            <source>Features</source>
            <translation>Objekte</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="72" />
            <source>Maximum distance (metres)</source>
            <translation>Maximale Entfernung (Meter)</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="74" />
            <source>Only images looking at the feature</source>
            <translation>Nur Bilder, die auf das Objekt blicken</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="77" />
            <source>Images per feature</source>
            <translation>Bilder je Objekt</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="81" />
            <source>Download pictures</source>
            <translation>Fotos herunterladen</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="81" />
            <source>None</source>
            <translation>Keine</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="83" />
            <source>Picture folder</source>
            <translation>Foto-Ordner</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="84" />
            <source>Features with their images</source>
            <translation>Objekte mit ihren Bildern</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="96" />
            <source>Give a folder for the pictures.</source>
            <translation>Geben Sie einen Ordner für die Fotos an.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="102" />
            <location filename="../processing/linecoverage.py" line="66" />
            <source>The input has a field {!r} already; rename it first.</source>
            <translation>Die Eingabe hat bereits ein Feld {!r}; benennen Sie es zuerst um.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="146" />
            <source>{} features, {} rows written; {} features no image sees.</source>
            <translation>{} Objekte, {} Zeilen geschrieben; {} Objekte sieht kein Bild.</translation>
        </message>
        <message>
            <location filename="../processing/imagesoffeatures.py" line="178" />
            <source>{} of {} pictures could not be downloaded (their image_path stays empty). First error: {}</source>
            <translation>{} von {} Fotos konnten nicht heruntergeladen werden (ihr image_path bleibt leer). Erster Fehler: {}</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="33" />
            <source>Line coverage</source>
            <translation>Linienabdeckung</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="34" />
            <source>For each line (roads, paths, a survey route), the share of its length within the distance of a Mapillary image, how many images are that near, and their oldest and newest capture times (UTC): which streets have no imagery, or none newer than a date (filter the images by date to ask that). Measured in metres whatever the layer's CRS, in pieces of at most a metre.</source>
            <translation>Für jede Linie (Straßen, Wege, eine Erfassungsroute) der Anteil ihrer Länge innerhalb der Entfernung zu einem Mapillary-Bild, wie viele Bilder so nah sind und deren älteste und neueste Aufnahmezeit (UTC): welche Straßen keine Bilder haben oder keine, die neuer als ein Datum sind (filtern Sie dafür die Bilder nach Datum). Gemessen in Metern, unabhängig vom KBS des Layers, in Stücken von höchstens einem Meter.</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="43" />
            <source>A line layer, in any CRS.</source>
            <translation>Ein Linienlayer, in beliebigem KBS.</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="44" />
            <source>Metres from the line within which an image covers it.</source>
            <translation>Meter von der Linie, innerhalb derer ein Bild sie abdeckt.</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="50" />
            <source>Lines</source>
            <translation>Linien</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="52" />
            <source>Distance (metres)</source>
            <translation>Entfernung (Meter)</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="55" />
            <source>Lines with their coverage</source>
            <translation>Linien mit ihrer Abdeckung</translation>
        </message>
        <message>
            <location filename="../processing/linecoverage.py" line="100" />
            <source>{} lines, {} without any image within {} m.</source>
            <translation>{} Linien, {} ohne ein Bild innerhalb von {} m.</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="18" />
            <source>Map features and traffic signs</source>
            <translation>Kartenobjekte und Verkehrszeichen</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="19" />
            <source>Mapillary map features (objects) or traffic signs in an extent or inside polygons, as points in EPSG:4326 with exact ids and first/last seen times in UTC. Classes: comma-separated values (object--bench) or groups by prefix (regulatory--).</source>
            <translation>Mapillary-Kartenobjekte (Gegenstände) oder Verkehrszeichen in einer Ausdehnung oder innerhalb von Polygonen, als Punkte in EPSG:4326 mit exakten IDs und den Zeitpunkten der ersten/letzten Sichtung in UTC. Klassen: durch Kommas getrennte Werte (object--bench) oder Gruppen nach Präfix (regulatory--).</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="29" />
            <source>0 map features (objects), 1 traffic signs.</source>
            <translation>0 Kartenobjekte (Gegenstände), 1 Verkehrszeichen.</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="30" />
            <source>Values such as object--bench, or a group by its prefix: regulatory--.</source>
            <translation>Werte wie object--bench oder eine Gruppe über ihr Präfix: regulatory--.</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="38" />
            <source>Kind</source>
            <translation>Art</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="38" />
            <source>Map features</source>
            <translation>Kartenobjekte</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="38" />
            <source>Traffic signs</source>
            <translation>Verkehrszeichen</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="40" />
            <source>Classes (comma separated; a prefix such as regulatory-- names a group)</source>
            <translation>Klassen (durch Kommas getrennt; ein Präfix wie regulatory-- bezeichnet eine Gruppe)</translation>
        </message>
        <message>
            <location filename="../processing/mapfeatures.py" line="41" />
            <source>Mapillary map features</source>
            <translation>Mapillary-Kartenobjekte</translation>
        </message>
        <message>
            <location filename="../processing/sequences.py" line="15" />
            <source>Sequences</source>
            <translation>Sequenzen</translation>
        </message>
        <message>
            <location filename="../processing/sequences.py" line="16" />
            <source>Mapillary sequences crossing an extent or polygons, one line per sequence (as far as the z14 tiles around the area reach), in EPSG:4326. The filters apply to each sequence's first image; dates are calendar days in local time, both inclusive (2015-07-11).</source>
            <translation>Mapillary-Sequenzen, die eine Ausdehnung oder Polygone kreuzen, eine Linie je Sequenz (so weit die z14-Kacheln um das Gebiet reichen), in EPSG:4326. Die Filter gelten für das erste Bild jeder Sequenz; Datumsangaben sind Kalendertage in lokaler Zeit, beide einschließlich (2015-07-11).</translation>
        </message>
        <message>
            <location filename="../processing/sequences.py" line="29" />
            <source>Mapillary sequences</source>
            <translation>Mapillary-Sequenzen</translation>
        </message>
    </context>
    <context>
        <name>Notices</name>
        <message>
            <location filename="../qgis_glue/notices.py" line="51" />
            <source>Your Mapillary token is locked in the QGIS authentication database; unlock it to see Mapillary data.</source>
            <translation>Ihr Mapillary-Token ist in der QGIS-Authentifizierungsdatenbank gesperrt; entsperren Sie es, um Mapillary-Daten zu sehen.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/notices.py" line="56" />
            <source>Mapillary rate-limited the tile requests; some tiles are missing.</source>
            <translation>Mapillary hat die Kachelanfragen gedrosselt; einige Kacheln fehlen.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/notices.py" line="58" />
            <source>Some Mapillary tiles could not be read and were skipped.</source>
            <translation>Einige Mapillary-Kacheln konnten nicht gelesen werden und wurden übersprungen.</translation>
        </message>
        <message>
            <location filename="../qgis_glue/notices.py" line="64" />
            <source>Mapillary rate-limited the requests, retrying in {} s.</source>
            <translation>Mapillary hat die Anfragen gedrosselt, neuer Versuch in {} s.</translation>
        </message>
    </context>
    <context>
        <name>PanoramaView</name>
        <message>
            <location filename="../gui/pano_view.py" line="51" />
            <source>Drag to look around · wheel or +/- to zoom · arrow keys turn</source>
            <translation>Ziehen zum Umsehen · Mausrad oder +/- zum Zoomen · Pfeiltasten zum Drehen</translation>
        </message>
    </context>
</TS>
