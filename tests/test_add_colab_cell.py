"""scripts/add_colab_cell.py: the repository URL comes from _config.yml (parsed as YAML) and the
Colab set-up cell is inserted once, then refreshed in place."""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("add_colab_cell", ROOT / "scripts" / "add_colab_cell.py")
colab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(colab)


def test_reads_the_books_repository_url():
    assert colab.repository_url() == "https://github.com/cnns-demystified/cnns-demystified"


@pytest.mark.parametrize(
    "text",
    [
        # flow style, quoted value, a comment, and other `url:` keys before the real one
        'launch_buttons: {binderhub_url: "https://mybinder.org"}\n'
        'repository: {branch: main, url: "https://example.org/a/b.git"}  # set once\n',
        "launch_buttons:\n  url: https://wrong.example\nrepository:\n  branch: main\n"
        "  # url: https://commented.example\n  url: 'https://example.org/a/b.git'\n",
    ],
)
def test_repository_url_is_parsed_as_yaml(tmp_path, text):
    config = tmp_path / "_config.yml"
    config.write_text(text)
    assert colab.repository_url(config) == "https://example.org/a/b.git"


@pytest.mark.parametrize("text", ["title: x\n", "repository: https://x\n", "repository:\n  url:\n", ""])
def test_missing_repository_url_is_a_clear_error(tmp_path, text):
    config = tmp_path / "_config.yml"
    config.write_text(text)
    with pytest.raises(ValueError, match=r"repository\.url"):
        colab.repository_url(config)


def test_cell_is_added_once_then_refreshed(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1")]
    )
    path = tmp_path / "ch.ipynb"
    nbformat.write(nb, path)
    url = "https://example.org/owner/book.git"
    assert colab.add_cell(path, url) == "added"
    assert colab.add_cell(path, url) == "unchanged"
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "code"]
    setup = cells[1]
    assert setup.id == colab.TAG and setup.metadata["tags"] == ["remove-cell", colab.TAG]
    assert '"/content/book"' in setup.source and f'"{url}"' in setup.source
    compile(setup.source, "colab-cell", "exec")
    assert colab.add_cell(path, url.replace("owner", "other")) == "updated"
    cells = nbformat.read(path, as_version=4).cells
    assert len(cells) == 3 and "other/book.git" in cells[1].source


def test_only_https_urls():
    with pytest.raises(ValueError, match="https://"):
        colab.colab_source("git@github.com:owner/book.git")
