"""scripts/check_qt6.py: what it must flag, what it must accept, and the repository passes it."""

import textwrap

import pytest

from scripts.check_qt6 import REPO, check_source, main


def codes(source: str) -> list[str]:
    return [finding.code for finding in check_source(textwrap.dedent(source))]


@pytest.mark.parametrize("source, code", [
    ("label.setAlignment(Qt.AlignLeft)", "QT601"),
    ("x = QtCore.Qt.AlignLeft", "QT601"),
    ("QgsField('id', QVariant.Int)", "QT601"),
    ("bar.pushMessage('a', 'b', Qgis.Warning)", "QT601"),
    ("item.setData(Qt.UserRole, 1)", "QT601"),
    ("if key == Qt.Key_Left: pass", "QT601"),
    ("QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)", "QT601"),
    ("box.setStandardButtons(QMessageBox.Ok)", "QT601"),
    ("dialog.exec_()", "QT602"),
    ("app.exec_()", "QT602"),
    ("from qgis.PyQt.QtCore import QRegExp", "QT603"),
    ("from qgis.PyQt.QtWidgets import QDesktopWidget", "QT603"),
    ("from qgis.PyQt.QtWebKitWidgets import QWebView", "QT603"),
    ("from qgis.PyQt import QtWebKit", "QT603"),
    ("import qgis.PyQt.QtWebEngineWidgets", "QT603"),
    ("pattern = QtCore.QRegExp('a+')", "QT603"),
    ("screen = QApplication.desktop()", "QT603"),
    ("from qgis.PyQt.QtGui import QAction", "QT604"),
    ("action = QtGui.QAction('x')", "QT604"),
    ("n = metrics.width('text')", "QT605"),
    ("n = self.fontMetrics().width(label)", "QT605"),
    ("point = self.toMapCoordinates(event.pos())", "QT606"),
    ("where = mouse_event.globalPos()", "QT606"),
    ("turn = wheelEvent.delta()", "QT606"),
    ("flags = Qt.ItemFlags()", "QT607"),
    ("QgsField('id', QVariant.Type.Int)", "QT608"),
    ("kind = QtCore.QVariant.Type.LongLong", "QT608"),
])
def test_flags_qt5_only_code(source, code):
    assert codes(source) == [code]


@pytest.mark.parametrize("source", [
    "label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)",
    "QgsField('id', QMetaType.Type.Int)",
    "bar.pushMessage('a', 'b', Qgis.MessageLevel.Warning)",
    "QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)",
    "box.setStandardButtons(QMessageBox.StandardButton.Ok)",
    "x = QtCore.Qt.AlignmentFlag.AlignLeft",
    "dialog.exec()",
    "options = QgsVectorFileWriter.SaveVectorOptions()",  # a nested class, called
    "level = Qgis.MessageLevel(1)",  # an enum type, called
    "def f(level: Qgis.MessageLevel) -> QgsWkbTypes.GeometryType: pass",  # annotations name types
    "out = QgsProcessing.TEMPORARY_OUTPUT",  # a constant, not an enum member
    "name = QgsApplication.QGIS_ORGANIZATION_NAME",
    "QgsProject.instance().readProject.connect(f)",  # methods and signals are lowercase
    "from qgis.PyQt.QtWidgets import QAction, QShortcut",
    "from qgis.PyQt.QtCore import QRegularExpression",
    "w = pixmap.width() // 2",  # width() of a size takes no argument
    "n = metrics.horizontalAdvance('text')",
    "point = event.originalMapPoint()",
    "where = event.position()",
    "pos = widget.pos()",  # a widget's position is fine in Qt6
    "x = some.Thing.Other",  # not a Qt or QGIS class
])
def test_accepts_qt6_ready_code(source):
    assert codes(source) == []


def test_each_unscoped_member_is_one_finding():
    assert codes("flags = Qt.AlignLeft | Qt.AlignTop") == ["QT601", "QT601"]


def test_findings_carry_place_and_advice():
    [finding] = check_source("a = 1\nlabel.setAlignment(Qt.AlignLeft)\n", "gui/x.py")
    assert (finding.path, finding.line, finding.col) == ("gui/x.py", 2, 20)
    assert "Qt.<EnumType>.AlignLeft" in str(finding)


def test_the_repository_passes(capsys):
    assert main([]) == 0, capsys.readouterr().out


def test_exit_status_says_there_were_findings(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("dialog.exec_()\n")
    assert main([str(tmp_path)]) == 1
    assert "bad.py:1:1: QT602" in capsys.readouterr().out
    assert REPO.is_dir()


COMPAT_SWITCH = """
if _QMETATYPE_FIELDS:
    INT = QMetaType.Type.Int
else:
    INT = {}
"""


def test_qvariant_type_only_in_compat_branch_before_qgis_3_38():
    pre_338 = COMPAT_SWITCH.format("QVariant.Type.Int")
    assert check_source(pre_338, "mapillary_qgis/qgis_glue/compat.py") == []
    assert [f.code for f in check_source(pre_338, "mapillary_qgis/qgis_glue/fields.py")] == ["QT608"]
    newer = "if _QMETATYPE_FIELDS:\n    INT = QVariant.Type.Int\nelse:\n    INT = 2\n"
    assert [f.code for f in check_source(newer, "mapillary_qgis/qgis_glue/compat.py")] == ["QT608"]
    elsewhere = "INT = QVariant.Type.Int\n" + COMPAT_SWITCH.format("2")
    assert [f.line for f in check_source(elsewhere, "mapillary_qgis/qgis_glue/compat.py")] == [1]


def test_event_positions_only_in_compat_branch_for_qt5():
    switch = "if _QT6_POINTER_EVENTS:\n    p = event.position()\nelse:\n    p = event.localPos()\n"
    assert check_source(switch, "mapillary_qgis/qgis_glue/compat.py") == []
    assert [f.code for f in check_source(switch, "mapillary_qgis/gui/pano_view.py")] == ["QT606"]
    wrong_way = "if _QT6_POINTER_EVENTS:\n    p = event.localPos()\nelse:\n    p = event.position()\n"
    assert [f.code for f in check_source(wrong_way, "mapillary_qgis/qgis_glue/compat.py")] == ["QT606"]
