from django.utils.translation import gettext_lazy as _

from kwamdee.common.errors import ValidationFailed


class CatalogInvalid(ValidationFailed):
    code = "catalog_invalid"
    message = _("The catalog data is not valid.")
