"""Live controls (ipywidgets) for a running notebook: sweeps, filter banks, flattening, the
size and volume calculators, softmax.

Each control recomputes with ``helpers.ops`` and redraws with the frame HTML of
``helpers.interactive.players`` (or ``calculator``, ``softmax``),
so what the reader sees live is what the static page and the tests show. Redrawing is plain
HTML text (no matplotlib), which keeps an update to a few milliseconds.
"""

from __future__ import annotations

import ipywidgets as W
import numpy as np

from ..sweep import SweepFrames
from . import calculator, page, players, softmax


class SweepWidget(W.VBox):
    """Slide a kernel over an image: a position slider, optionally one box per weight, and
    the highlighted window, output cell and written-out sum.

    Attributes ``slider``, ``weights`` (list of FloatText, empty unless ``editable``) and
    ``view`` (the HTML widget) are public so tests and pages can drive them.
    """

    def __init__(
        self, x, kernel, stride=1, padding="valid", editable=False, decimals=2, description="window"
    ):
        self._args = dict(x=x, stride=stride, padding=padding)
        self.decimals = decimals
        self.frames = SweepFrames(x, kernel, stride, padding)
        self.slider = W.IntSlider(
            value=0,
            min=0,
            max=self.frames.n_frames - 1,
            description=description,
            continuous_update=True,
            layout=W.Layout(width="420px"),
        )
        k = self.frames.kernel
        self.weights = (
            [
                W.FloatText(
                    value=float(v), description=f"w[{r},{c}]", step=0.1, layout=W.Layout(width="150px")
                )
                for (r, c), v in np.ndenumerate(k)
            ]
            if editable
            else []
        )
        self.view = W.HTML(players.sweep_html(self.frames, 0, decimals))
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
        self.frames = SweepFrames(kernel=kernel, **self._args)
        self._on_change()

    def _on_change(self, _change=None):
        self.view.value = players.sweep_html(self.frames, self.slider.value, self.decimals)

    @property
    def output(self) -> np.ndarray:
        """The whole output for the current weights."""
        return self.frames.out


def sweep_widget(
    x, kernel, stride=1, padding="valid", editable=False, decimals=2, description="window"
) -> SweepWidget:
    """A live sweep control, ``SweepWidget`` with the same arguments (the name the chapters use)."""
    return SweepWidget(
        x,
        kernel,
        stride=stride,
        padding=padding,
        editable=editable,
        decimals=decimals,
        description=description,
    )


class FilterBankWidget(W.VBox):
    """Several filters sliding together over one input (the article's Case 4): one position
    slider, optionally one box per weight of every filter, and ``players.filter_bank_html``.

    Attributes as ``SweepWidget``: ``slider``, ``weights`` (a flat list, filter by filter,
    empty unless ``editable``), ``view``; ``output`` is the stacked ``(H, W, filters)`` array.
    """

    def __init__(
        self,
        x,
        kernels,
        stride=1,
        padding="valid",
        editable=False,
        decimals=2,
        names=None,
        description="window",
    ):
        self._args = dict(x=x, stride=stride, padding=padding)
        self.decimals = decimals
        self.bank = [SweepFrames(x, k, stride, padding) for k in kernels]
        self.names = list(names) if names is not None else [f"filter {k + 1}" for k in range(len(self.bank))]
        self.view = W.HTML(players.filter_bank_html(self.bank, 0, decimals, self.names))
        self.slider = W.IntSlider(
            value=0,
            min=0,
            max=self.bank[0].n_frames - 1,
            description=description,
            continuous_update=True,
            layout=W.Layout(width="420px"),
        )
        self.weights = (
            [
                W.FloatText(
                    value=float(v),
                    description=f"{name} w[{r},{c}]",
                    step=0.1,
                    style={"description_width": "initial"},
                    layout=W.Layout(width="190px"),
                )
                for f, name in zip(self.bank, self.names)
                for (r, c), v in np.ndenumerate(f.kernel)
            ]
            if editable
            else []
        )
        self.slider.observe(self._on_change, names="value")
        for box in self.weights:
            box.observe(self._on_weights, names="value")
        rows = [self.slider]
        per = self.bank[0].kernel.size
        for k in range(0, len(self.weights), per):
            rows.append(W.HBox(self.weights[k : k + per]))
        super().__init__(rows + [self.view])

    def _on_weights(self, _change=None):
        shape = self.bank[0].kernel.shape
        per = self.bank[0].kernel.size
        values = np.array([b.value for b in self.weights], dtype=float)
        self.bank = [
            SweepFrames(kernel=values[k : k + per].reshape(shape), **self._args)
            for k in range(0, values.size, per)
        ]
        self._on_change()

    def _on_change(self, _change=None):
        self.view.value = players.filter_bank_html(self.bank, self.slider.value, self.decimals, self.names)

    @property
    def output(self) -> np.ndarray:
        """The stacked output, one channel per filter, for the current weights."""
        return np.stack([f.out for f in self.bank], axis=-1)


class FlattenWidget(W.VBox):
    """Walk along the flattened row of an image: a slider picks value number k and
    ``players.flatten_html`` shows which pixel row-major and column-major order put there."""

    def __init__(self, x, decimals=2, description="value k"):
        self.x = x
        self.decimals = decimals
        n = np.asarray(x).size
        self.slider = W.IntSlider(
            value=0,
            min=0,
            max=n - 1,
            description=description,
            continuous_update=True,
            layout=W.Layout(width="420px"),
        )
        self.view = W.HTML(players.flatten_html(x, 0, decimals))
        self.slider.observe(self._on_change, names="value")
        super().__init__([self.slider, self.view])

    def _on_change(self, _change=None):
        self.view.value = players.flatten_html(self.x, self.slider.value, self.decimals)


# ============================================================================ Part II
class SizeCalculator(W.VBox):
    """Sliders for n, k, s, p and dilation; the output size in every padding convention
    (``helpers.calculator.sizes``) and the padded grid of the chosen one."""

    def __init__(self, n=6, k=3, s=2, p=1, d=1, convention="keras_same"):
        # the page calculator's limits (calculator.SIZE_FIELDS): real networks' sizes
        self.n, self.k, self.s, self.p, self.d = (
            W.IntSlider(value=v, min=lo, max=hi, description=label)
            for v, (label, lo, hi, _) in zip((n, k, s, p, d), calculator.SIZE_FIELDS.values())
        )
        self.convention = W.Dropdown(
            options=[(v, k_) for k_, v in calculator.LABELS.items()], value=convention, description="draw"
        )
        self.view = W.HTML()
        for c in (self.n, self.k, self.s, self.p, self.d, self.convention):
            c.observe(self.update, names="value")
        self.update()
        super().__init__(
            [W.HBox([W.VBox([self.n, self.k, self.s]), W.VBox([self.p, self.d, self.convention])]), self.view]
        )

    def update(self, _change=None) -> None:
        args = (self.n.value, self.k.value, self.s.value, self.p.value, self.d.value)
        self.result = calculator.sizes(*args)
        self.view.value = page.frame(calculator.size_view(*args, self.convention.value), "cnn-calc")


class SoftmaxWidget(W.VBox):
    """Three class scores and the true class → softmax, cross-entropy, sigmoid (live)."""

    def __init__(self, z=(2.0, 1.0, -1.0), y=0):
        self.z = [
            W.FloatSlider(value=v, min=-5, max=5, step=0.5, description=f"score {i}") for i, v in enumerate(z)
        ]
        self.y = W.Dropdown(options=[0, 1, 2], value=y, description="true class")
        self.view = W.HTML()
        for c in (*self.z, self.y):
            c.observe(self.update, names="value")
        self.update()
        super().__init__([*self.z, self.y, self.view])

    def update(self, _change=None) -> None:
        self.view.value = softmax.softmax_text([s.value for s in self.z], self.y.value)


class VolumeCalculator(W.VBox):
    """Input size and depth, filters, kernel, stride, padding → output volume and parameters."""

    def __init__(self, n=32, c=3, f=10, k=5, s=1, p=0):
        # the page calculator's limits (calculator.VOLUME_FIELDS)
        self.boxes = {
            nm: W.BoundedIntText(value=v, min=lo, max=hi, description=nm, layout=W.Layout(width="150px"))
            for v, (nm, (_, lo, hi, _)) in zip((n, c, f, k, s, p), calculator.VOLUME_FIELDS.items())
        }
        self.view = W.HTML()
        for b in self.boxes.values():
            b.observe(self.update, names="value")
        self.update()
        super().__init__([W.HBox(list(self.boxes.values())), self.view])

    def update(self, _change=None) -> None:
        self.view.value = calculator.volume_text(**{k: b.value for k, b in self.boxes.items()})
