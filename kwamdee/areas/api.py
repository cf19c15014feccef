"""API: Thai geography (provinces, districts, subdistricts) for sign-up forms."""

from ninja import Router, Schema

from kwamdee.areas.selectors import district_options, province_options, subdistrict_options

router = Router(tags=["geography"], auth=None)


class AreaOut(Schema):
    code: str
    name: str


@router.get("/provinces", response=list[AreaOut])
def provinces(request):
    return province_options()


@router.get("/provinces/{code}/districts", response=list[AreaOut])
def districts(request, code: str):
    return district_options(code)


@router.get("/districts/{code}/subdistricts", response=list[AreaOut])
def subdistricts(request, code: str):
    return subdistrict_options(code)
