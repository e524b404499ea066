"""helpers.fmt: numbers as the tables and the prose write them."""

import numpy as np
import pytest

from helpers.fmt import as_text, fmt_number, format_bytes


def test_fmt_number_drops_trailing_zeros_and_marks_missing_values():
    assert [fmt_number(v) for v in (75.0, 87.2000001, 1065.1149, -0.5, 3)] == [
        "75",
        "87.2",
        "1065.11",
        "-0.5",
        "3",
    ]
    assert fmt_number(float("nan")) == fmt_number(None) == fmt_number(np.float32("nan")) == "*"
    assert fmt_number(2 / 3, 3) == "0.667" and fmt_number(np.int64(4)) == "4"


def test_as_text_writes_shapes_with_a_times_sign():
    assert as_text((17, 4)) == "17×4" and as_text(87.2000000001) == "87.2" and as_text(75.0) == "75"
    assert as_text("as is") == "as is"


def test_format_bytes_gives_decimal_and_binary_units():
    assert format_bytes(6_210_000_000) == "6.21 GB (5.78 GiB)"
    assert format_bytes(24_840_000_000) == "24.84 GB (23.13 GiB)"
    with pytest.raises(ValueError, match="bytes"):
        format_bytes(-1)
