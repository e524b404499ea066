"""Controls a reader moves, all running in the page itself, on the website as in Jupyter (their
JavaScript and CSS are files in ``static/``): no control needs a Python kernel.

* ``page`` - the static files (``importlib.resources``), the one id helper, the templates;
* ``players`` - sweep, filter bank and flattening players (slider + Play, typed weights);
* ``calculator`` - output size in every padding convention, output volume and parameters;
* ``gallery`` - photo controls: a kernel editor and a pooling explorer computing in the page,
  and a menu that swaps precomputed images;
* ``softmax`` - softmax, cross-entropy and sigmoid of three scores;
* ``explorer`` - the draw-a-digit explorer of chapter 16 (the trained ``helpers.digitnet``).
"""
