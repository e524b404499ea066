"""Live controls (ipywidgets) for a running notebook, where Python must compute each picture:
the kernel editor (a photo filtered with typed weights) and the pooling explorer.

Every other control of the book runs in the page itself, without a kernel (``players``,
``calculator``, ``softmax``, ``gallery``). These two recompute with ``helpers.filters`` and
``helpers.ops`` and encode a PNG with PIL (no matplotlib), which keeps an update of a 300×300
grey photo to a few milliseconds.
"""

from __future__ import annotations

import base64
import html

import ipywidgets as W
import numpy as np

from .. import filters, ops


def img_html(png: bytes, alt: str, width: int) -> str:
    """An <img> with alt text for a live picture (ipywidgets.Image cannot carry alt text)."""
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (
        f'<img src="{src}" alt="{html.escape(alt)}" width="{width}" '
        'style="image-rendering:pixelated;max-width:100%">'
    )


class KernelEditor(W.VBox):
    """Edit a 3×3 kernel and watch a photo filtered live.

    Nine number boxes (``boxes``, row by row), a preset menu (``preset``, the kernels of
    ``helpers.filters.KERNELS``) and the filtered photo (``image``, an ``ipywidgets.Image``).
    Each change recomputes with ``filters.apply`` (``ops.conv2d``, zero padding) and encodes a
    PNG with PIL - no matplotlib - so an update of a 300×300 grey photo takes milliseconds.
    """

    def __init__(self, photo, kernel="edge (Laplacian)", width=300):
        self.photo = np.asarray(photo, dtype=float)
        k = filters.kernel(kernel) if isinstance(kernel, str) else np.asarray(kernel, float)
        if k.shape != (3, 3):
            raise ValueError(f"kernel must be 3×3, got shape {k.shape}")
        self._quiet = False
        self.preset = W.Dropdown(
            options=["(custom)"] + list(filters.KERNELS),
            value=kernel if isinstance(kernel, str) else "(custom)",
            description="preset",
        )
        self.boxes = [
            W.FloatText(value=round(float(v), 4), step=0.1, layout=W.Layout(width="80px")) for v in k.ravel()
        ]
        self.width = width
        self.image = W.HTML()
        self.info = W.HTML()
        self.preset.observe(self._on_preset, names="value")
        for b in self.boxes:
            b.observe(self._on_box, names="value")
        grid = W.GridBox(self.boxes, layout=W.Layout(grid_template_columns="repeat(3, 85px)"))
        self.update()
        super().__init__([self.preset, W.HBox([W.VBox([grid, self.info]), self.image])])

    @property
    def kernel(self) -> np.ndarray:
        return np.array([b.value for b in self.boxes], dtype=float).reshape(3, 3)

    def _on_preset(self, change):
        if change["new"] == "(custom)":
            return
        self._quiet = True
        for b, v in zip(self.boxes, filters.kernel(change["new"]).ravel()):
            b.value = round(float(v), 4)
        self._quiet = False
        self.update()

    def _on_box(self, _change):
        if not self._quiet:
            self.update()

    def update(self) -> None:
        """Filter the photo with the current weights and show it."""
        k = self.kernel
        self.output = filters.apply(self.photo, k)
        self.pixels = filters.to_uint8(self.output, k)
        self.png = filters.encode(self.pixels, "PNG")
        self.image.value = img_html(
            self.png, f"the photo filtered with the kernel {k.round(3).tolist()}", self.width
        )
        self.info.value = f"sum of weights {k.sum():.3g}: " + (
            "shown as |response|, scaled" if abs(k.sum()) < 1e-9 else "clipped to 0–255"
        )


class PoolExplorer(W.VBox):
    """Pool a photo live: mode (max / avg / l2) and window size; shows the pooled photo
    (``ops.pool2d``) enlarged back to the original width, as a PNG from PIL."""

    def __init__(self, photo, mode="max", size=4, width=300):
        self.photo = np.asarray(photo, dtype=float)
        self.mode = W.ToggleButtons(options=["max", "avg", "l2"], value=mode, description="mode")
        self.size = W.IntSlider(value=size, min=1, max=16, description="window")
        self.width = width
        self.image = W.HTML()
        self.info = W.HTML()
        self.mode.observe(self.update, names="value")
        self.size.observe(self.update, names="value")
        self.update()
        super().__init__([self.mode, self.size, self.info, self.image])

    def update(self, _change=None) -> None:
        k = self.size.value
        self.output = ops.pool2d(self.photo, k, mode=self.mode.value)
        shown = self.output / k if self.mode.value == "l2" else self.output  # l2 of k² equal pixels = k·v
        self.png = filters.encode(np.clip(np.round(shown), 0, 255).astype(np.uint8))
        self.image.value = img_html(
            self.png, f"the photo after {self.mode.value} pooling with {k}×{k} windows", self.width
        )
        self.info.value = (
            f"{self.photo.shape[0]}×{self.photo.shape[1]} → "
            f"{self.output.shape[0]}×{self.output.shape[1]} with {k}×{k} windows, stride {k}"
        )
