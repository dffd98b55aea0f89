"""Disconnecting Qt signals on unload, whether or not they are still connected."""

from __future__ import annotations


def disconnect(*pairs) -> None:
    """Disconnect each (signal, slot); a pair that is not connected (any more) is skipped."""
    for signal, slot in pairs:
        try:
            signal.disconnect(slot)
        except TypeError:  # not connected (any more)
            pass
