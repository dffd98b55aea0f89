"""Python logging of the plugin, forwarded to the QGIS message log.

`install()` in `initGui()`, `uninstall()` in `unload()`. Every record goes
through `redact()` again on its way out: a last guard so that no token
reaches the log panel even if some message slipped one in.
"""

from __future__ import annotations

import logging

from qgis.core import Qgis, QgsMessageLog

from ..errors import redact

TAG = "Mapillary"
PACKAGE_LOGGER = "mapillary_qgis"

_LEVELS = (
    (logging.ERROR, Qgis.MessageLevel.Critical),
    (logging.WARNING, Qgis.MessageLevel.Warning),
    (logging.NOTSET, Qgis.MessageLevel.Info),
)


class QgsMessageLogHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = redact(self.format(record))
        except Exception:  # a log call must never break the plugin
            self.handleError(record)
            return
        level = next(qgis_level for threshold, qgis_level in _LEVELS if record.levelno >= threshold)
        QgsMessageLog.logMessage(text, TAG, level, notifyUser=False)


_handler: QgsMessageLogHandler | None = None


def install(level: int = logging.INFO) -> None:
    global _handler
    if _handler is not None:
        return
    _handler = QgsMessageLogHandler(level)
    _handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(PACKAGE_LOGGER)
    logger.addHandler(_handler)
    logger.setLevel(min(logger.level or level, level))


def uninstall() -> None:
    global _handler
    if _handler is not None:
        logging.getLogger(PACKAGE_LOGGER).removeHandler(_handler)
        _handler = None
