"""Live controls (ipywidgets) for a running notebook.

Each control recomputes with ``helpers.ops`` and redraws with ``helpers.grids.sweep_html``,
so what the reader sees live is what the static page and the tests show. Redrawing is plain
HTML text (no matplotlib), which keeps an update to a few milliseconds.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from . import grids


class SweepWidget(W.VBox):
    """Slide a kernel over an image: a position slider, optionally one box per weight, and
    the highlighted window, output cell and written-out sum.

    Attributes ``slider``, ``weights`` (list of FloatText, empty unless ``editable``) and
    ``view`` (the HTML widget) are public so tests and pages can drive them.
    """

    def __init__(self, x, kernel, stride=1, padding="valid", editable=False, decimals=2,
                 description="window"):
        self._args = dict(x=x, stride=stride, padding=padding)
        self.decimals = decimals
        self.frames = grids.SweepFrames(x, kernel, stride, padding)
        self.slider = W.IntSlider(value=0, min=0, max=self.frames.n_frames - 1,
                                  description=description, continuous_update=True,
                                  layout=W.Layout(width="420px"))
        k = self.frames.kernel
        self.weights = [
            W.FloatText(value=float(v), description=f"w[{r},{c}]", step=0.1,
                        layout=W.Layout(width="150px"))
            for (r, c), v in np.ndenumerate(k)
        ] if editable else []
        self.view = W.HTML(grids.sweep_html(self.frames, 0, decimals))
        self.slider.observe(self._on_change, names="value")
        for box in self.weights:
            box.observe(self._on_weights, names="value")
        rows = [self.slider]
        if self.weights:
            rows.append(W.HBox(self.weights))
        super().__init__(rows + [self.view])

    def _on_weights(self, _change=None):
        shape = self.frames.kernel.shape
        kernel = np.array([b.value for b in self.weights], dtype=float).reshape(shape)
        self.frames = grids.SweepFrames(kernel=kernel, **self._args)
        self._on_change()

    def _on_change(self, _change=None):
        self.view.value = grids.sweep_html(self.frames, self.slider.value, self.decimals)

    @property
    def output(self) -> np.ndarray:
        """The whole output for the current weights."""
        return self.frames.out


def sweep_widget(x, kernel, stride=1, padding="valid", editable=False, decimals=2):
    """A live sweep control; see ``SweepWidget``."""
    return SweepWidget(x, kernel, stride, padding, editable, decimals)
