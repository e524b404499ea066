"""helpers.coverage: how often, and with how much weight, each pixel is read."""

import numpy as np
import pytest

from helpers import coverage, data


def test_coverage_case2_case3_case5_and_stride2():
    count, weight = coverage.coverage((17, 4), [[1, 0.3]])
    assert count[0].tolist() == [1, 2, 2, 1]
    assert np.allclose(weight[0], [1, 1.3, 1.3, 0.3])
    count, weight = coverage.coverage((17, 4), [[1, 0.3]], padding=((0, 0), (1, 1)))
    assert count[0].tolist() == [2, 2, 2, 2] and np.allclose(weight, 1.3)
    count, _ = coverage.coverage((17, 4), data.load("case5_kernel"))
    assert count[0].tolist() == [1, 2, 2, 1] and count[5].tolist() == [2, 4, 4, 2]
    count, _ = coverage.coverage((6, 6), data.load("conv6x6_kernel"), stride=2)
    assert count[5].sum() == 0 and count[:, 5].sum() == 0  # erratum 8: never read
    with pytest.raises(ValueError, match="shape"):
        coverage.coverage(17, [[1]])
