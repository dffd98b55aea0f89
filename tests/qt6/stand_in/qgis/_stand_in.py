"""Stand-ins for QGIS classes: importable, subclassable, callable, and doing nothing.

`StandIn` is a QObject (QGIS's classes that the plugin subclasses, QgsTask,
QgsMapTool, QgsProcessingAlgorithm, are QObjects or at least accept
subclassing), any class attribute is another stand-in class (enums:
`Qgis.MessageLevel.Warning`), and any instance attribute is `ANYTHING`,
which can be called, connected, iterated (empty) and is false.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject


class _Anything:
    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __bool__(self) -> bool:
        return False

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __or__(self, other):
        return self

    __ror__ = __and__ = __rand__ = __or__

    def __int__(self) -> int:
        return 0

    def __str__(self) -> str:
        return ""


ANYTHING = _Anything()


class _StandInType(type(QObject)):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return stand_in(f"{cls.__name__}.{name}")

    def __or__(cls, other):
        return cls

    __ror__ = __or__


class StandIn(QObject, metaclass=_StandInType):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return ANYTHING


_MADE: dict[str, type] = {}


def stand_in(name: str) -> type:
    """The stand-in class called `name` (the same one each time)."""
    if name not in _MADE:
        _MADE[name] = _StandInType(name.rsplit(".", 1)[-1], (StandIn,), {})
    return _MADE[name]
