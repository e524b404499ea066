"""Controls a reader moves: kernel-free players and forms for the static page (their JavaScript
and CSS are files in ``static/``) and the live ipywidgets of a running notebook.

* ``page`` - the static files (``importlib.resources``), the one id helper, the templates;
* ``players`` - sweep, filter bank and flattening players (slider + Play);
* ``calculator`` - output size in every padding convention, output volume and parameters;
* ``gallery`` - photo controls: a kernel editor and a pooling explorer computing in the page,
  and a menu that swaps precomputed images;
* ``softmax`` - softmax, cross-entropy and sigmoid of three scores;
* ``explorer`` - the draw-a-digit explorer of chapter 16 (the trained ``helpers.digitnet``);
* ``widgets`` - the same controls as ipywidgets, recomputed by Python.
"""
