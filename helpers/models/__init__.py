"""Keras models of Part III, one idea per module.

* ``article_cnn`` - the article's Keras model as printed and its corrected twin (settings as
  arguments; the shape chain comes from ``helpers.network``), and the article's training
  settings;
* ``faults`` - ``report``: run the article's code, show its error and warnings in one line;
* ``training`` - the small real training recipe ("4 or 9?" digits), metrics, Keras's own
  validation split, loss gradients;
* ``probe`` - look inside a trained model: feature maps, logits, the same maps via
  ``helpers.ops``.
"""
