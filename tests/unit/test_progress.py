"""Long work reports progress and stops when the user cancels."""

import pytest

from app.services.errors import Cancelled
from app.services.progress import Progress


def test_steps_reach_the_listener_until_cancelled():
    seen = []
    progress = Progress(lambda done, total, label: seen.append((done, total, label)))
    progress.step(1, 10, "第一步")
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.step(2, 10, "第二步")
    assert seen == [(1, 10, "第一步")]
