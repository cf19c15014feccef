"""Serving a stored upload back as a download (an organization's document, an assessment's
evidence): the one way, so that every such download carries the same guards."""

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def stored_file_response(name: str, *, content_type: str, filename_stem: str) -> FileResponse:
    """The stored file `name` as an attachment, with the type it was stored with (checked from its
    bytes at upload) and a filename of ours (never the uploader's): `nosniff`, not cached, and a
    CSP that runs nothing if it is opened on its own. 404 if the file is gone."""
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = name.rsplit(".", 1)[-1] if "." in name else "bin"
    response = FileResponse(
        handle, content_type=content_type, as_attachment=True, filename=f"{filename_stem}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
