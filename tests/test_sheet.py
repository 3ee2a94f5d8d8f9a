"""Contact sheets (the size known in advance is the size made) and floats to grey levels."""

from __future__ import annotations

import numpy as np
import pytest
from pixelgan.model.sheet import contact_sheet, sheet_shape, signed_unit_to_uint8, unit_to_uint8


@pytest.mark.parametrize(
    ("count", "columns", "pad"),
    [(1, None, 1), (5, None, 1), (64, None, 1), (7, 3, 2), (12, 8, 0)],
)
def test_sheet_shape_is_the_shape_contact_sheet_makes(count: int, columns: int | None, pad: int) -> None:
    images = np.zeros((count, 6, 4), dtype=np.uint8)
    assert contact_sheet(images, columns=columns, pad=pad).shape == sheet_shape(count, 6, 4, columns=columns, pad=pad)


def test_floats_become_grey_levels_by_their_range() -> None:
    np.testing.assert_array_equal(signed_unit_to_uint8(np.array([-2.0, -1.0, 0.0, 1.0, 2.0])), [0, 0, 128, 255, 255])
    np.testing.assert_array_equal(unit_to_uint8(np.array([-1.0, 0.0, 0.5, 1.0, 2.0])), [0, 0, 128, 255, 255])
