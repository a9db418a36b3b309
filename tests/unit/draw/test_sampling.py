"""The pieces of §7 on their own: the random stream, the stratum order and the line lookup."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from app.domain.draw.protocol import Lines, Stream, StratumOrder

SEEDS = st.binary(min_size=32, max_size=32)


def slot_walk(weights: list, stream: Stream, count: int) -> list:
    """§7 read literally: lay out the slots of the subjects not drawn yet, draw x, take its holder."""
    remaining, out = list(range(len(weights))), []
    while remaining and len(out) < count:
        slots = sum(weights[r] for r in remaining)
        x = stream.below(slots)
        for k, r in enumerate(remaining):
            if x < weights[r]:
                out.append((r, slots))
                del remaining[k]
                break
            x -= weights[r]
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=70), SEEDS, st.integers(0, 80), st.booleans())
def test_the_fenwick_stratum_order_is_the_documented_slot_walk(weights, seed, count, unweighted):
    if unweighted:
        weights = [1] * len(weights)
    rows = [10 * k for k in range(len(weights))]  # the stratum's rows in the whole file
    order = StratumOrder(rows, None if unweighted else {r: w for r, w in zip(rows, weights)}, Stream(seed, b"S", b"A"))
    order.extend(count)
    expected = slot_walk(weights, Stream(seed, b"S", b"A"), count)
    assert [(pos, slots) for pos, _, slots in order.drawn] == expected
    assert len(order.drawn) == min(count, len(weights))


@given(SEEDS, st.integers(1, 2**64 - 1))
def test_below_stays_in_range_and_follows_the_stream(seed, m):
    a, b = Stream(seed, b"I"), Stream(seed, b"I")
    values = [a.below(m) for _ in range(9)]
    assert all(0 <= v < m for v in values)
    assert values == [b.below(m) for _ in range(9)]


def test_a_rewound_stream_gives_the_same_numbers_again():
    stream = Stream(bytes(32), b"I")
    stream.below(7)
    mark = stream.mark()
    first = [stream.below(1000) for _ in range(6)]  # crosses a block boundary
    stream.rewind(mark)
    assert [stream.below(1000) for _ in range(6)] == first


@given(st.lists(st.text(alphabet=st.sampled_from("ab名字 x"), max_size=1500), max_size=40))
def test_lines_finds_every_line_without_splitting(values):
    text = "".join(v + "\n" for v in values)
    lines = Lines(text)
    assert len(lines) == len(values) and [lines[k] for k in range(len(values))] == values
