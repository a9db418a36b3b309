"""Start-up creates long-lived objects: kept out of the cyclic garbage collector's way.

Loading the program's modules (SQLAlchemy and the models, PySide6's classes and enums, the pages)
and building the first screen creates a few hundred thousand objects that live as long as the
program and are hardly ever garbage. The collector would walk them again and again while they are
made, and once more at exit: about a tenth of start-up (benchmarks/bench_startup.py). So it pauses
while they are made, and they are then frozen (gc.freeze: left out of every later collection;
what little garbage start-up leaves in cycles is kept, not collected). Objects made afterwards are
collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def making_long_lived_objects() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
