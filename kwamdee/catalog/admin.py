from django.contrib import admin

from kwamdee.catalog.models import Category, DeedType, RuleVersion, SearchSynonym
from kwamdee.common.admin import ReadOnlyAdmin


@admin.register(DeedType)
class DeedTypeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_th", "name_en", "pricing", "community", "is_active"]
    list_filter = ["pricing", "is_active", "category"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(RuleVersion)
class RuleVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "deed_type",
        "version",
        "effective_from",
        "community",
        "credit_per_unit",
        "points_per_unit",
    ]


admin.site.register([Category], ReadOnlyAdmin)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ReadOnlyAdmin):
    list_display = ["word", "updated_at"]
    search_fields = ["word"]
