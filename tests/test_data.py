"""helpers.data: every shipped table loads, and bad names or files give clear errors."""

import numpy as np
import pytest

from helpers import data


def test_every_table_loads_as_2d_array():
    assert len(data.names()) >= 15
    for name in data.names():
        arr = data.load(name)
        assert arr.ndim == 2 and arr.size > 0, name


def test_images_are_8bit_integers():
    for name, shape in [("digit4", (17, 4)), ("image_b", (17, 4)), ("conv6x6_image", (6, 6))]:
        img = data.load(name)
        assert img.shape == shape and img.dtype.kind == "i"
        assert img.min() >= 0 and img.max() <= 255


def test_formula_cells_are_kept_as_printed_and_load_as_nan():
    assert data.printed_cells("case1_printed")[0][0] == "=B2*$G$5"
    assert data.printed_cells("case2_printed")[1][1] == "=SUMPRODUCT(D3:E3,$G$5:$H$5)"
    case3 = data.load("case3_printed")
    assert np.isnan(case3[0, 2:]).all() and not np.isnan(case3[1:]).any()


def test_unknown_name_lists_known_ones():
    with pytest.raises(KeyError, match="digit4") as excinfo:
        data.load("digit_four")
    assert "known tables" in str(excinfo.value)
    with pytest.raises(TypeError, match="name"):
        data.load(4)


def test_malformed_files_name_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    (tmp_path / "ragged.csv").write_text("1,2,3\n4,5\n")
    (tmp_path / "words.csv").write_text("a,b\nc,d\n")
    (tmp_path / "blank.csv").write_text("\n\n")
    with pytest.raises(ValueError, match=r"ragged\.csv.*different numbers of cells"):
        data.load("ragged")
    with pytest.raises(ValueError, match=r"words\.csv.*no numbers"):
        data.load("words")
    with pytest.raises(ValueError, match=r"blank\.csv.*no rows"):
        data.load("blank")


def test_missing_data_folder_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "nowhere")
    with pytest.raises(KeyError, match="data/ folder missing"):
        data.load("digit4")


def test_photos():
    assert data.photo_names() == ["astronaut", "chelsea", "coffee"]
    rgb = data.load_photo("chelsea")
    assert rgb.shape == (300, 300, 3) and rgb.dtype == np.uint8
    gray = data.load_photo("chelsea", gray=True)
    assert gray.shape == (300, 300) and gray.min() >= 0 and gray.max() <= 255
    with pytest.raises(KeyError, match="known photos"):
        data.load_photo("dog")
