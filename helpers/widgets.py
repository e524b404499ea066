"""Live ipywidgets controls for the notebooks (JupyterLab, Binder, Colab, Thebe).

``sweep_widget`` is the kernel-backed twin of ``grids.sweep_player``: an ``IntSlider`` picks
the window position and Python re-renders ``grids.sweep_html`` for it, so the numbers are
computed by the book's own ``ops.conv2d`` while the reader drags. The static website shows the
saved state of the widget; ``sweep_player`` is the control that works there with no kernel.
"""

from __future__ import annotations

from . import grids


def sweep_widget(x, kernel, stride=1, padding="valid", decimals=2,
                 description="window position"):
    """A VBox of an IntSlider (window position, 0 .. number of output cells - 1) and an HTML
    view of that sweep frame: window and output cell highlighted, the sum written out as
    ``output[i, j] = 86×1 + 4×0.3 = 87.2``.

    x, kernel, stride and padding are as in ``ops.conv2d``. The slider is keyboard-operable
    (arrow keys) and labelled with ``description``.
    """
    import ipywidgets as w

    if not isinstance(description, str) or not description:
        raise TypeError(f"description must be a non-empty string, got {description!r}")
    frames = grids.SweepFrames(x, kernel, stride, padding)
    slider = w.IntSlider(value=0, min=0, max=frames.n_frames - 1, step=1,
                         description=description, continuous_update=True,
                         style={"description_width": "initial"},
                         layout=w.Layout(width="min(480px, 95%)"))
    view = w.HTML(value=grids.sweep_html(frames, 0, decimals))

    def _show(change):
        view.value = grids.sweep_html(frames, int(change["new"]), decimals)

    slider.observe(_show, names="value")
    box = w.VBox([slider, view])
    box.frames = frames  # for tests and curious readers
    return box
