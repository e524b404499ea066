"""Keras training time per epoch on CPU (Part III's model and recipe).

Measures ``helpers.models.training.train_digits`` (the corrected article model on the shipped
"4 or 9?" digits) and ``helpers.models.article_cnn.corrected_model`` at the article's size.

Rows: seconds per epoch of the digits recipe, as (t(E) - t(1)) / (E - 1) so model building
and the first-epoch graph tracing cancel (after one untimed warm-up run); and the article-size
model's seconds per image on random 300×300×3 batches of 128, times 16,099 training images
(the article's 23,000 with ``validation_split=0.3``) = one article epoch on this CPU, extrapolated.
"""

from __future__ import annotations

import time

import numpy as np

from . import common

ARTICLE_TRAIN_IMAGES = 16_099


def run(mode: str) -> dict:
    title = "Keras training time per epoch (CPU)"
    from helpers.models import article_cnn, training

    epochs = 2 if mode == "quick" else 4
    rows, details = [], {"digits_epochs": epochs}
    training.train_digits(seed=0, epochs=1)  # untimed: TensorFlow start-up, first tracing
    t = {1: [], epochs: []}
    for _ in range(1 if mode == "quick" else 2):
        for e in (1, epochs):
            t0 = time.perf_counter()
            run_ = training.train_digits(seed=0, epochs=e)
            t[e].append(time.perf_counter() - t0)
            details[f"accuracy_after_{e}_epochs"] = float(run_.test_accuracy)
    t1, te = common.median(t[1]), common.median(t[epochs])
    per_epoch = (te - t1) / (epochs - 1)
    details["digits_seconds"] = {str(k): v for k, v in t.items()}
    rows.append(
        common.row(
            "training time per epoch",
            "digits 4 vs 9 (600 train images, 28×28)",
            per_epoch,
            "s",
            note=f"a 1-epoch run incl. set-up takes {t1:.3g} s",
        )
    )

    n, batch = (128, 64) if mode == "quick" else (256, 128)
    model = article_cnn.corrected_model(input_shape=(300, 300, 3))
    rng = np.random.default_rng(0)
    x = rng.random((n, 300, 300, 3), dtype=np.float32)
    y = (rng.random(n) < 0.5).astype(np.float32)
    model.fit(x[:batch], y[:batch], batch_size=batch, epochs=1, verbose=0)  # trace + warm up
    t0 = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    per_image = (time.perf_counter() - t0) / n
    epoch = per_image * ARTICLE_TRAIN_IMAGES
    details.update(article_images_timed=n, article_seconds_per_image=per_image)
    rows.append(
        common.row(
            "training time per epoch",
            "article model 300×300×3, 16,099 images (extrapolated)",
            epoch / 60,
            "min",
            note=f"{per_image * 1e3:.3g} ms per image, timed on {n}",
        )
    )
    return common.section("training", title, mode, rows, details)
