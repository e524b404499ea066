"""The ``tf.data`` stream: ``make_datasets`` reads, decodes, resizes and batches the scanned
files from disk, a few batches at a time, and ``StreamStats`` counts which files arrived.
"""

from __future__ import annotations

import os

from .. import tfenv, validate
from .scan import _name_problem


def pipeline_peak_bytes(
    batch_size: int = 128, image_size=(300, 300), prefetch: int = 2, parallel_calls: int = 2
) -> int:
    """Upper estimate of the image bytes the pipeline holds at once (float32 batches).

    Batches in the prefetch buffer + the one the model is using + the one being assembled,
    plus the images being decoded in parallel. Independent of the number of images.
    """
    per_image = image_size[0] * image_size[1] * 3 * 4
    return per_image * (batch_size * (prefetch + 2) + parallel_calls)


class StreamStats:
    """Which files the streams of ``make_datasets`` have delivered so far.

    A file that the scan accepted but TensorFlow cannot read or decode (changed on disk since,
    or a variant PIL reads and TensorFlow does not) is left out of the batches, so a long
    training goes on, and is counted here: after one full pass over both streams,
    ``dropped()`` names every file that never arrived.
    """

    def __init__(self):
        self.files: list[str] = []
        self._seen = None

    def _bind(self, files):
        tf = tfenv.tensorflow()

        self.files = list(files)
        self._seen = tf.Variable(tf.zeros([len(self.files)], tf.bool), trainable=False)

    def delivered(self) -> int:
        return int(self._seen.numpy().sum()) if self._seen is not None else 0

    def dropped(self, part: slice = slice(None)) -> list[str]:
        """The files (of ``files[part]``, in the streams' shuffled order) never delivered."""
        if self._seen is None:
            return []
        seen = self._seen.numpy()[part]
        return [f for f, ok in zip(self.files[part], seen) if not ok]


def make_datasets(
    files,
    labels,
    *,
    image_size=(300, 300),
    batch_size: int = 128,
    val_fraction: float = 0.3,
    seed: int = 0,
    prefetch: int = 2,
    parallel_calls: int = 2,
    stats: StreamStats | None = None,
):
    """Streaming ``tf.data`` pipelines ``(train, val)`` over image files.

    The file list is shuffled (seeded) *before* the split, so both parts hold cats and dogs
    (the article's ``validation_split`` took the last 30 % unshuffled). Each element is read
    from disk, decoded, resized to ``image_size`` (aspect ratio ignored, as in the article),
    scaled to [0, 1] float32. A file that still fails to decode is left out and counted in
    ``stats`` (a ``StreamStats``; pass one to see them). The training order is reshuffled
    every epoch.
    """
    import numpy as np

    if isinstance(files, (str, bytes)) or isinstance(labels, (str, bytes)):
        raise ValueError(
            f"files and labels must be lists (of paths, of 0/1), got {type(files).__name__} "
            f"{files!r:.40} and {type(labels).__name__}"
        )
    batch_size = validate.positive_integer("batch_size", batch_size)
    if not isinstance(image_size, (tuple, list)):
        raise TypeError(f"image_size must be two positive integers (height, width), got {image_size!r:.40}")
    if len(image_size) != 2:
        raise ValueError(f"image_size must be two positive integers (height, width), got {image_size!r:.40}")
    image_size = tuple(
        validate.positive_integer(f"image_size[{i}]", side) for i, side in enumerate(image_size)
    )
    if len(files) != len(labels) or not files:
        raise ValueError(
            f"files and labels must be non-empty and equally long, got {len(files)}, {len(labels)}"
        )
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must lie strictly between 0 and 1, got {val_fraction}")
    bad = next((f for f in files if _name_problem(f)), None)
    if bad is not None:
        raise ValueError(f"{os.fsencode(bad)!r}: {_name_problem(bad)}; scan_images lists such files")
    tf = tfenv.tensorflow()
    stats = stats if stats is not None else StreamStats()
    order = np.random.default_rng(seed).permutation(len(files))
    paths = np.asarray(files)[order]
    labs = np.asarray(labels, dtype=np.float32)[order]
    stats._bind(paths.tolist())
    index = np.arange(len(files), dtype=np.int64)
    n_val = max(1, round(len(files) * val_fraction))
    h, w = image_size

    def load(path, label, i):
        raw = tf.io.read_file(path)
        img = tf.io.decode_image(raw, channels=3, expand_animations=False)
        img = tf.image.resize(img, (h, w))  # float32, 0-255
        img.set_shape((h, w, 3))
        return img / 255.0, label, i

    def arrived(img, label, i):
        stats._seen.scatter_nd_update(tf.reshape(i, (1, 1)), [True])
        return img, label

    def pipeline(sl, shuffle):
        ds = tf.data.Dataset.from_tensor_slices((paths[sl], labs[sl], index[sl]))
        if shuffle:  # shuffles file names only: cheap at any data-set size
            n = len(index[sl])
            ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
        # a file that fails to decode leaves the stream here; `arrived` counts every other one
        ds = ds.map(load, num_parallel_calls=parallel_calls).ignore_errors().map(arrived)
        return ds.batch(batch_size).prefetch(prefetch)

    train = pipeline(slice(n_val, None), shuffle=True)
    val = pipeline(slice(0, n_val), shuffle=False)
    return train, val
