"""Upload safety: decide what a file is, clean it, and keep it on disk under a random name.

No Flask here, so the checks can be tested and reused on their own.
"""

from .inspect import (
    LOGO_KINDS,
    MAX_PDF_OBJECTS,
    MAX_PDF_PAGES,
    MAX_PIXELS,
    PROOF_KINDS,
    Checked,
    CleanFile,
    UploadRejected,
    check_upload,
    inspect_upload,
    sanitise_filename,
)
from .storage import StorageFull, delete, open_file, path_for, remove_stale, store, store_upload, stored_names

__all__ = [
    "LOGO_KINDS",
    "MAX_PDF_OBJECTS",
    "MAX_PDF_PAGES",
    "MAX_PIXELS",
    "PROOF_KINDS",
    "Checked",
    "CleanFile",
    "StorageFull",
    "UploadRejected",
    "check_upload",
    "delete",
    "inspect_upload",
    "open_file",
    "path_for",
    "remove_stale",
    "sanitise_filename",
    "store",
    "store_upload",
    "stored_names",
]
