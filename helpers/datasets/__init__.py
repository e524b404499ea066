"""The real cats-vs-dogs path, opt-in: download, verify, extract safely, scan, stream.
(The small data sets the book ships, tables, photos and MNIST digits, are ``helpers.data``.)

The article loads 23,000 photos into one in-memory array (6.21 GB as uint8, 24.84 GB as
float32). This package does what a reader with the real data needs instead, and nothing here
runs unless a reader asks for it (tests use generated archives on a 127.0.0.1 server):

    python -m helpers.datasets cats-vs-dogs --dest DIR    # download + verify + extract + scan
    python -m helpers.catsdogs --dest DIR                  # then train (helpers/catsdogs.py)

One job per module; everything below is importable from ``helpers.datasets`` itself.

* ``fetch.py``, ``download``: writes ``NAME.part`` and gives it the final name (atomic rename)
  only once it is verified: its size when known (``--size`` or the server's Content-Length),
  its SHA-256 when known, and a ``check`` (by default ``check_by_name``: a ``.zip`` must be a
  readable zip whose every CRC is right, and no file may be a web page). A dropped connection
  keeps ``NAME.part``; the next call resumes it with ``Range`` + ``If-Range``, and starts over
  cleanly when the server ignores ranges, answers from another offset or the file changed on
  the server. A stalled or dripping server hits ``timeout`` / the overall ``deadline``. The
  SHA-256 of what arrived is recorded in ``NAME.sha256``.
* ``archive.py``, ``extract_zip``: refuses members that would land outside DEST (``../x``,
  absolute paths, ``..\\x``, drive letters, symbolic links) and lists them; refuses a zip bomb
  (compression ratio over ``max_ratio``, or more bytes than the disk has free) before writing
  anything; extracts into a temporary folder, then renames each top-level entry into place. It
  never deletes or overwrites what it did not create: it records every file it writes (size
  and time), and an existing entry that the book did not extract, or one that now holds a file
  it did not write or that changed since, stops it with a message naming that file. Stale
  temporary folders of a killed run are removed on the next run. ``verify_zip`` (the check of a
  download) and the extraction read members through one function.
* ``scan.py``, ``scan_images``: decodes every file once; empty, corrupt and non-image files,
  and names TensorFlow cannot open (not UTF-8), are skipped and listed with the reason.
* ``stream.py``, ``make_datasets``: a streaming ``tf.data`` pipeline: shuffle the file list
  *before* the split, then read, decode, resize to 300x300, scale to [0, 1], batch, prefetch.
  Only a few batches are ever in memory (``pipeline_peak_bytes``), not the whole data set. A
  file that TensorFlow still cannot decode is left out of the batches and counted
  (``StreamStats``).
* ``cli.py``, the command line (``main``, ``fetch_cats_vs_dogs``) and what ``helpers.catsdogs``
  shares with it: ``CommandLine`` (a bad argument is one line), argument types (``positive``,
  ``folder``), ``run_command`` (an error is one line ``error: ...`` and an exit code).
* ``files.py``, what the others share: the errors, the free-space rule and its messages, the
  one-run-per-folder lock, ``write_atomic``. Arguments are checked by ``helpers.validate``, the
  rule every helper follows (a time limit and ``max_ratio`` may be infinite: no limit).

Why not pooch (``pooch.retrieve(url, known_hash, processor=Unzip())``, checked with pooch
1.9.0): it downloads to a temporary file and moves it into place only if the hash matches,
which is the part this package needs most, but (1) it cannot resume: an interrupted 786 MB
download starts again from zero, and the temporary file is deleted; (2) Microsoft publishes no
checksum for this archive, and with ``known_hash=None`` pooch accepts whatever a 200 response
carried - a truncated body or an HTML error page; (3) it has no overall deadline, only a
per-read timeout; (4) its ``Unzip`` is ``ZipFile.extractall`` into ``NAME.unzip``, with no
limit on the uncompressed size or ratio. Resuming, verifying without a published checksum and
bounding the extraction are what this package adds, in about as much code as wrapping pooch
would take; it uses ``hashlib.file_digest`` for the checksum and the standard library only.
"""

from .archive import (
    MANIFEST,
    MAX_RATIO,
    RATIO_FLOOR,
    TEMP_MARK,
    TEMP_PREFIX,
    Extraction,
    check_by_name,
    extract_zip,
    verify_zip,
)
from .cli import (
    CATS_VS_DOGS_SHA256,
    CATS_VS_DOGS_SIZE,
    CATS_VS_DOGS_URL,
    EMPTY_FOLDER,
    KNOWN_ARCHIVES,
    CommandLine,
    as_argument,
    fetch_cats_vs_dogs,
    folder,
    main,
    positive,
    run_command,
)
from .fetch import DOWNLOAD_DEADLINE, download, sha256_of, verify_file
from .files import (
    DISK_FULL,
    FREE_MARGIN,
    ChecksumError,
    DatasetError,
    DownloadError,
    ExtractionError,
    Interrupted,
    free_bytes,
    write_atomic,
)
from .scan import ACCEPTED_FORMATS, CLASSES, IMAGE_SUFFIXES, Scan, check_image, scan_images
from .stream import StreamStats, make_datasets, pipeline_peak_bytes

__all__ = [
    "ACCEPTED_FORMATS",
    "CATS_VS_DOGS_SHA256",
    "CATS_VS_DOGS_SIZE",
    "CATS_VS_DOGS_URL",
    "CLASSES",
    "DISK_FULL",
    "DOWNLOAD_DEADLINE",
    "EMPTY_FOLDER",
    "FREE_MARGIN",
    "IMAGE_SUFFIXES",
    "KNOWN_ARCHIVES",
    "MANIFEST",
    "MAX_RATIO",
    "RATIO_FLOOR",
    "TEMP_MARK",
    "TEMP_PREFIX",
    "ChecksumError",
    "CommandLine",
    "DatasetError",
    "DownloadError",
    "Extraction",
    "ExtractionError",
    "Interrupted",
    "Scan",
    "StreamStats",
    "as_argument",
    "check_by_name",
    "check_image",
    "download",
    "extract_zip",
    "fetch_cats_vs_dogs",
    "folder",
    "free_bytes",
    "main",
    "make_datasets",
    "pipeline_peak_bytes",
    "positive",
    "run_command",
    "scan_images",
    "sha256_of",
    "verify_file",
    "verify_zip",
    "write_atomic",
]
