"""The member steps' hooks for the engine (wizard/engine.py Step): files, "already listed", page context.

View-layer code: it runs inside the wizard's step view, so it may read the request.

Files follow one rule: the stored answer is the truth. A step's answer for a file field is the id of
an accepted upload; a post may bring a new file (which replaces it), and the page echoes the current
id in a hidden input only so that "required" holds across errors on other fields. The posted id is
never stored: `handle_files` rebuilds the answer from what is stored for this draft.
"""
from flask import request, url_for
from flask_login import current_user
from wtforms import FieldList

from wizard.forms.members import StoredFileField
from wizard.models import Profile, Upload
from wizard.services import uploads

MANUAL_STEP = "clusters_not_listed"
LOGO_STEP = "logo"
PURPOSES = {MANUAL_STEP: uploads.PROOF, LOGO_STEP: uploads.LOGO}


def file_fields(form) -> list[tuple[StoredFileField, FieldList | None]]:
    """Every StoredFileField of a form, rows included, in page order, with the row list it sits in."""
    found = []
    for field in form:
        if isinstance(field, StoredFileField):
            found.append((field, None))
        elif isinstance(field, FieldList):
            for entry in field.entries:
                found.extend((f, field) for f in entry if isinstance(f, StoredFileField))
    return found


def stored_upload(profile: Profile, step_name: str, field_name: str) -> Upload | None:
    return uploads.answered_upload(profile, step_name, field_name, PURPOSES[step_name])


def _row_has_content(field: StoredFileField) -> bool:
    prefix = field.name.rsplit("-", 1)[0] + "-"
    return any(value.strip() for key, value in request.form.items(multi=True)
               if key.startswith(prefix) and key != field.name)


def _add_error(field: StoredFileField, rows: FieldList | None, message: str) -> None:
    field.errors = [*field.errors, message]
    if rows is not None:
        # A row list computes its errors once, in validate(): refresh them so the step counts as invalid.
        rows.errors = [entry.errors for entry in rows.entries]


def _files_of(step_name: str, required: bool):
    def handle_files(profile: Profile, form) -> dict[str, list[str]]:
        answers = {}
        for field, rows in file_fields(form):
            current = stored_upload(profile, step_name, field.name)
            if field.file is not None:
                try:
                    new = uploads.accept(field.file, PURPOSES[step_name], profile, current_user)
                except (uploads.UploadRejected, uploads.StorageFull) as refusal:
                    _add_error(field, rows, refusal.message)
                else:
                    if current is not None:
                        uploads.discard(current)
                    current = new
            elif current is None and field.ref and required and not field.errors and _row_has_content(field):
                # The page echoed an id that is not this draft's file (tampered, or removed in another tab).
                _add_error(field, rows, "Upload proof of your membership")
            answers[field.name] = [str(current.id)] if current is not None else []
        return answers

    return handle_files


manual_cluster_files = _files_of(MANUAL_STEP, required=True)
logo_files = _files_of(LOGO_STEP, required=False)


def remove_file(profile: Profile, step_name: str, field_name: str) -> Upload | None:
    """The "Remove file" button: the upload goes (once committed) and the answer is emptied by the caller."""
    current = stored_upload(profile, step_name, field_name)
    if current is not None:
        uploads.discard(current)
    return current


def already_listed(profile: Profile) -> str | None:
    """The clusters step's interrupt: stop when a chosen cluster organisation already lists this organisation."""
    from wizard.members.listing import listing_matches

    if listing_matches(profile):
        return url_for("members.already_listed", public_id=profile.public_id)
    return None


def picker_context_for(step_name: str):
    """A picker step's page (members/step_clusters.html): the search (from the query string) and the chosen
    cluster organisations. The member's clusters step and the association's and partnership's use it."""

    def context(profile: Profile, form) -> dict:
        from wizard.members.search import search_clusters
        from wizard.services.paging import page_number

        query = (request.args.get("q") or "").strip()[:200]
        chosen = [(pid, form.clusters.clusters.get(pid)) for pid in form.clusters.data or []]
        search = search_clusters(query, page_number(request.args.get("page")),
                                 eu_cosme_only=form.clusters.eu_cosme_only) if query else None
        return {"query": query, "search": search, "chosen": chosen, "chosen_ids": set(form.clusters.data or []),
                "update_url": url_for("members.update_step", public_id=profile.public_id, step_name=step_name)}

    return context


picker_context = picker_context_for("clusters")


def files_context(step_name: str):
    def context(profile: Profile, form) -> dict:
        current = {field.name: stored_upload(profile, step_name, field.name) for field, _ in file_fields(form)}
        return {"current_files": current,
                "update_url": url_for("members.update_step", public_id=profile.public_id, step_name=step_name)}

    return context
