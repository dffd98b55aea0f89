"""The dock's "Filters" tab: one set of filters for every Mapillary layer."""

from __future__ import annotations

from datetime import date
from typing import Callable

from qgis.PyQt.QtCore import QDate, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.filters import MAX_RELATIVE, UNITS, Filters, feature_groups, summary
from ..core.labels import COMMON_CLASSES, feature_label

EARLIEST = QDate(1990, 1, 1)  # before any street-level photo Mapillary holds; dates outside are clamped


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


class FiltersTab(QWidget):
    """Edits a `Filters`; `applied(filters, creator_names)` when the user presses Apply or Reset.

    Creator usernames are resolved to ids by whoever receives the signal (a
    network request, off the GUI thread); ids typed as digits pass through.
    """

    applied = pyqtSignal(object, tuple)

    def __init__(self, known_classes: Callable[[], list], parent=None):
        super().__init__(parent)
        self.setObjectName("MapillaryFiltersTab")
        self._known_classes = known_classes
        self._preset_classes: tuple[str, ...] = ()  # saved classes, offered even before any are loaded

        self.from_check, self.from_date = QCheckBox(self.tr("From")), self._date_edit()
        self.to_check, self.to_date = QCheckBox(self.tr("To")), self._date_edit()
        self.relative_check = QCheckBox(self.tr("Last"))
        self.relative_count = QSpinBox()
        self.relative_count.setRange(1, MAX_RELATIVE)
        self.relative_count.setValue(12)
        self.relative_unit = QComboBox()
        for unit, label in zip(UNITS, (self.tr("days"), self.tr("months"), self.tr("years"))):
            self.relative_unit.addItem(label, unit)
        self.panoramas = QComboBox()
        self.panoramas.setObjectName("MapillaryFilterPanoramas")
        for value, label in (("all", self.tr("All images")), ("only", self.tr("Panoramas only")),
                             ("exclude", self.tr("No panoramas"))):
            self.panoramas.addItem(label, value)
        self.creators = QLineEdit()
        self.creators.setObjectName("MapillaryFilterCreators")
        self.creators.setPlaceholderText(self.tr("usernames or ids, separated by commas"))
        self.organizations = QLineEdit()
        self.organizations.setPlaceholderText(self.tr("organization ids"))
        self.sequences = QLineEdit()
        self.sequences.setPlaceholderText(self.tr("sequence ids"))
        self.angle_check = QCheckBox(self.tr("Compass"))
        self.angle_from, self.angle_to = self._angle(350), self._angle(10)
        self.seen_check, self.seen_from, self.seen_to = QCheckBox(self.tr("Seen")), self._date_edit(), self._date_edit()

        form = QFormLayout()
        form.addRow(self._row(self.from_check, self.from_date, self.to_check, self.to_date))
        form.addRow(self._row(self.relative_check, self.relative_count, self.relative_unit))
        form.addRow(self.tr("Images"), self.panoramas)
        form.addRow(self.tr("Creators"), self.creators)
        form.addRow(self.tr("Organizations"), self.organizations)
        form.addRow(self.tr("Sequences"), self.sequences)
        form.addRow(self._row(self.angle_check, self.angle_from, QLabel("–"), self.angle_to, QLabel("°")))

        self.class_search = QLineEdit()
        self.class_search.setPlaceholderText(self.tr("Search classes…"))
        self.class_search.textChanged.connect(self._search_classes)
        self.classes = QTreeWidget()
        self.classes.setObjectName("MapillaryFilterClasses")
        self.classes.setHeaderHidden(True)
        self.classes.setMaximumHeight(160)
        classes_note = QLabel(self.tr("Map features and signs: tick classes to show <b>only</b> those; "
                                      "none ticked shows all."))
        classes_note.setWordWrap(True)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("MapillaryFilterSummary")
        self.summary_label.setWordWrap(True)
        self.note_label = QLabel()
        self.note_label.setObjectName("MapillaryFilterNote")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #b36b00;")

        apply_button = QPushButton(self.tr("Apply"))
        apply_button.setObjectName("MapillaryFilterApply")
        apply_button.clicked.connect(self.apply)
        reset_button = QPushButton(self.tr("Reset"))
        reset_button.setObjectName("MapillaryFilterReset")
        reset_button.clicked.connect(self.reset)
        refresh_classes = QPushButton(self.tr("Refresh classes"))
        refresh_classes.clicked.connect(self.refresh_classes)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(classes_note)
        layout.addWidget(self._row(self.class_search, refresh_classes))
        layout.addWidget(self.classes)
        layout.addWidget(self._row(self.seen_check, self.seen_from, QLabel("–"), self.seen_to))
        layout.addWidget(self._row(apply_button, reset_button))
        layout.addWidget(self.summary_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)
        self.refresh_classes()

    # -- widgets ------------------------------------------------------------------------

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setDateRange(EARLIEST, QDate.currentDate().addYears(1))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    @staticmethod
    def _angle(value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0, 360)
        spin.setDecimals(0)
        spin.setValue(value)
        return spin

    @staticmethod
    def _row(*widgets) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        return row

    def refresh_classes(self, ticked=None) -> None:
        """Offer the classes seen so far (and the saved ones), grouped by prefix; keep the ticks."""
        ticked = set(self._ticked_classes()) if ticked is None else set(ticked)
        prefixes = {value for value in ticked if value.endswith("--")}
        offered = set(self._known_classes()) | set(COMMON_CLASSES) | set(self._preset_classes) | ticked
        self.classes.clear()
        for prefix, values in sorted(feature_groups(sorted(offered - prefixes)).items()):
            group = QTreeWidgetItem([prefix])
            group.setFlags(group.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate)
            for value in sorted(values):
                item = QTreeWidgetItem([value])
                item.setToolTip(0, feature_label(value))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                whole_group = prefix in prefixes
                item.setCheckState(0, Qt.CheckState.Checked if value in ticked or whole_group
                                   else Qt.CheckState.Unchecked)
                group.addChild(item)
            self.classes.addTopLevelItem(group)
        self._search_classes(self.class_search.text())

    def _search_classes(self, text: str) -> None:
        text = text.strip().lower()
        for i in range(self.classes.topLevelItemCount()):
            group = self.classes.topLevelItem(i)
            shown = 0
            for j in range(group.childCount()):
                child = group.child(j)
                child.setHidden(bool(text) and text not in child.text(0).lower())
                shown += not child.isHidden()
            group.setHidden(shown == 0)
            group.setExpanded(bool(text))

    def _ticked_classes(self) -> list[str]:
        """The ticked classes; a whole group ticked means its prefix (also classes not listed)."""
        ticked = []
        for i in range(self.classes.topLevelItemCount()):
            group = self.classes.topLevelItem(i)
            if group.checkState(0) == Qt.CheckState.Checked and group.text(0).endswith("--"):
                ticked.append(group.text(0))
                continue
            for j in range(group.childCount()):
                if group.child(j).checkState(0) == Qt.CheckState.Checked:
                    ticked.append(group.child(j).text(0))
        return ticked

    # -- the model --------------------------------------------------------------------------

    def filters(self) -> tuple[Filters, tuple[str, ...]]:
        """The filters on screen, and the creator names still to resolve."""
        names = _split(self.creators.text())
        return Filters(
            date_from=_pydate(self.from_date.date()) if self.from_check.isChecked() else None,
            date_to=_pydate(self.to_date.date()) if self.to_check.isChecked() else None,
            relative=(self.relative_count.value(), self.relative_unit.currentData())
            if self.relative_check.isChecked() else None,
            panoramas=self.panoramas.currentData(),
            organization_ids=tuple(int(v) for v in _split(self.organizations.text()) if v.isascii() and v.isdigit()),
            sequence_ids=_split(self.sequences.text()),
            angle_from=self.angle_from.value() if self.angle_check.isChecked() else None,
            angle_to=self.angle_to.value() if self.angle_check.isChecked() else None,
            feature_classes=tuple(self._ticked_classes()),
            seen_from=_pydate(self.seen_from.date()) if self.seen_check.isChecked() else None,
            seen_to=_pydate(self.seen_to.date()) if self.seen_check.isChecked() else None,
        ), names

    def show_filters(self, filters: Filters, creator_names: tuple[str, ...] = ()) -> None:
        """Put saved filters on screen (a project was opened)."""
        self.from_check.setChecked(filters.date_from is not None)
        self.from_date.setDate(_qdate(filters.date_from))
        self.to_check.setChecked(filters.date_to is not None)
        self.to_date.setDate(_qdate(filters.date_to))
        self.relative_check.setChecked(filters.relative is not None)
        if filters.relative:
            self.relative_count.setValue(min(filters.relative[0], MAX_RELATIVE))
            self.relative_unit.setCurrentIndex(max(0, self.relative_unit.findData(filters.relative[1])))
        self.panoramas.setCurrentIndex(max(0, self.panoramas.findData(filters.panoramas)))
        shown_creators = creator_names or tuple(str(i) for i in filters.creator_ids)
        self.creators.setText(", ".join(shown_creators))
        self.organizations.setText(", ".join(str(i) for i in filters.organization_ids))
        self.sequences.setText(", ".join(filters.sequence_ids))
        self.angle_check.setChecked(filters.angle_from is not None and filters.angle_to is not None)
        if self.angle_check.isChecked():
            self.angle_from.setValue(filters.angle_from)
            self.angle_to.setValue(filters.angle_to)
        self.seen_check.setChecked(filters.seen_from is not None)
        self.seen_from.setDate(_qdate(filters.seen_from))
        self.seen_to.setDate(_qdate(filters.seen_to))
        self._preset_classes = filters.feature_classes
        self.refresh_classes(ticked=filters.feature_classes)
        self.summary_label.setText(summary(filters) or self.tr("No filter: every image and feature is shown."))

    def apply(self) -> None:
        filters, names = self.filters()
        self.applied.emit(filters, names)

    def reset(self) -> None:
        self.show_filters(Filters())
        self.note_label.clear()
        self.applied.emit(Filters(), ())

    def say(self, text: str) -> None:
        """A plain note: a filter coverage layers cannot apply, an unknown username, …"""
        self.note_label.setText(text)
