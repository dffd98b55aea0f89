"""Run a test's work in several threads at once and collect what went wrong."""

import threading


def errors_in_threads(work, count: int) -> list:
    """Call `work(i)` for i in range(count), each in its own thread; the exceptions raised."""
    errors = []

    def guarded(i):
        try:
            work(i)
        except Exception as exc:  # collected for the caller to assert on
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
