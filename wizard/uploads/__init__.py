"""Upload safety: decide what a file is, clean it, and keep it under a random name (in a folder or a bucket).

No Flask here, so the checks can be tested and reused on their own.
"""

from .backends import FileStorage, Storage, from_config, save_checked, store_upload
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
    file_size,
    inspect_upload,
    sanitise_filename,
)
from .storage import StorageFull, delete, open_file, path_for, remove_stale, store, stored_names

__all__ = [
    "LOGO_KINDS",
    "MAX_PDF_OBJECTS",
    "MAX_PDF_PAGES",
    "MAX_PIXELS",
    "PROOF_KINDS",
    "Checked",
    "CleanFile",
    "FileStorage",
    "Storage",
    "StorageFull",
    "UploadRejected",
    "check_upload",
    "delete",
    "file_size",
    "from_config",
    "inspect_upload",
    "open_file",
    "path_for",
    "remove_stale",
    "sanitise_filename",
    "save_checked",
    "store",
    "store_upload",
    "stored_names",
]
