"""matplotlib figures of the book, all drawn in one style (``book.mplstyle``).

* ``style`` - the style file and ``subplots``, the one way the book opens a figure;
* ``grids`` - number grids: values in cells, a highlighted window and output cell, panels;
* ``panels`` - image panels: photos under filters, feature maps, kernels; JPEG export;
* ``plots`` - learning curves, confusion matrices, overfitting and selectivity (Part III);
* ``compare`` - Part IV's comparisons: photos by class, one curve per recorded seed;
* ``alt`` - what each figure shows, in words: the alt text its builder computes from its data.
"""
