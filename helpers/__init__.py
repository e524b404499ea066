"""Helpers for the book *CNNs Demystified*. Import the module you need, e.g.
``from helpers import data, ops`` or ``from helpers.interactive import players``.

Numbers and data
    ops          numerics: conv2d, pool2d, correlate_rows, output size, padding, parameter counts
    validate     the argument rules: integers (Python or NumPy, never bools), numbers, flags
    fmt          number formatting for tables and prose (75, 87.2, 17×4, 6.21 GB)
    glue         numbers in the prose, computed (myst-nb glue)
    data         every shipped data set (tables, photos, digits) in one folder, DATA_DIR
    sweep        what a sliding window shows, frame by frame (SweepFrames)
    article      printed-versus-computed comparison of the article's tables
    coverage     how often each pixel is read by a sliding window
    flatten      flattening orders; why a dense layer cannot see the picture
    filters      named 3×3 kernels applied with ops.conv2d and OpenCV
    network      a CNN on paper: shapes and parameters per layer; the article's shape chain
    designs      Part IV's classic designs as layer lists: LeNet-5, VGG, plain vs residual,
                 a GAP head, an MLP of a given size
    batchnorm    batch normalization's arithmetic in NumPy, as Keras computes it
    losses       softmax, sigmoid and cross-entropy (also importable from learning)
    learning     gradients by finite difference and by tape, descent, recovering a kernel by
                 gradient descent
    backprop     backpropagation through a conv layer by the chain rule
    convmatrix   convolution as one matrix with tied weights
    receptive    receptive fields of conv/pool stacks (recurrence and brute force)
    exercises/   self-checks: check_answer and one registry module per part
Keras and data sets (Part III)
    tfenv        the one quiet TensorFlow/Keras entry point, seeds and determinism
    models/      article_cnn, faults (report), training (digits), probe (feature maps)
    article_code the article's Keras program as scraped: its lines, its unused imports
    overfit      a deeper convnet on few digits: overfitting, augmentation and Dropout, measured
    datasets/    cats-vs-dogs: download, verify, extract, scan, stream (opt-in)
    catsdogs     cats-vs-dogs: train the corrected model on the real photos (opt-in CLI)
    digitnet/    the in-page 10-class digit network: architecture, split, training, export,
                 NumPy forward pass, preprocessing
    classic      chapter 17's recorded comparisons of classic designs on Fashion-MNIST, and
                 LeNet-5 with batch normalization
Pictures and controls
    figures/     matplotlib in the book's style: grids, panels (images), plots, compare
                 (photos by class, curves per seed); alt (each figure's alt text, written
                 from its data)
    interactive/ the controls, all running in the page: players, forms, photo controls and
                 the digit explorer (JS/CSS in interactive/static/)
    perfnotes    the recorded benchmark results and experiments, and their tables

Code that only produces or checks the book (the errata index generator, the browser the tests
and the PDF printer drive) is in the top-level package ``book``, never imported by a chapter.
"""
