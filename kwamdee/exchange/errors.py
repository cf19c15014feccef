"""Error codes of the catalog interchange (beyond the catalog's own `catalog_import_invalid`)."""

from django.utils.translation import gettext_lazy as _

from kwamdee.catalog.errors import CatalogImportInvalid


class CatalogImportTooLarge(CatalogImportInvalid):
    """The file is past a limit (its size, unpacked size, rows or sheet shape): refused before
    any parser built it in memory. Carries (row, column, message) like any import error."""

    code = "catalog_import_too_large"
    status = 413
    message = _("The file is too large to import; nothing was imported.")
