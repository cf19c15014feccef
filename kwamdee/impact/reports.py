"""The organization's CSR/impact report, as PDF (WeasyPrint: HTML and CSS laid out through
pango, which shapes Thai and breaks Thai lines between words) and as XLSX (openpyxl). Both are
made from the same `OrganizationProfile` as the page, so the three never disagree."""

import io
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kwamdee.common.cells import cell_safe
from kwamdee.common.i18n import format_date, format_year
from kwamdee.impact.selectors import OrganizationProfile


def _font_url(name: str) -> str:
    path = finders.find(f"fonts/{name}")
    return Path(str(path)).as_uri() if path else ""


def report_pdf(profile: OrganizationProfile) -> bytes:
    """The report as an A4 PDF in the language of the request. Sarabun is declared as two font
    families (Latin and Thai files): one family split by unicode-range garbles Latin in
    WeasyPrint (LIBRARIES.md)."""
    from weasyprint import HTML  # imported when used: it loads pango on import

    fonts = {
        "latin_400": _font_url("sarabun-latin-400-normal.woff2"),
        "latin_700": _font_url("sarabun-latin-700-normal.woff2"),
        "thai_400": _font_url("sarabun-thai-400-normal.woff2"),
        "thai_700": _font_url("sarabun-thai-700-normal.woff2"),
    }
    context = {"p": profile, "fonts": fonts, "made_on": format_date(timezone.localdate())}
    html = render_to_string("impact/report_pdf.html", context)
    # Only the fonts above are fetched, from the app's own static files; nothing else is loaded.
    return HTML(string=html, url_fetcher=_local_fonts_only(fonts)).write_pdf()  # type: ignore[no-any-return]


def _local_fonts_only(fonts: dict[str, str]) -> Any:
    """A fetcher that reads the report's own font files and nothing else (no file or address a
    text on the page could name)."""
    from weasyprint.urls import URLFetcher

    allowed = set(fonts.values())

    class FontsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url not in allowed:
                raise ValueError(f"not fetched: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def _sheet_rows(sheet: Any, header: list[str], rows: list[list[Any]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_safe(value) for value in row])
    for column, title in zip(sheet.columns, header, strict=False):
        longest = max([len(str(title))] + [len(str(c.value or "")) for c in column])
        sheet.column_dimensions[column[0].column_letter].width = min(80, max(12, longest + 2))


def _figures(p: OrganizationProfile) -> list[list[Any]]:
    """The summary's rows: a figure, its value, and the rule that found it."""
    hidden = _("fewer than %(n)s people") % {"n": p.min_people}

    def shown(value: Any) -> Any:
        return hidden if value is None else value

    level = p.certificate.level.name if p.certificate else _("Not assessed yet")
    valid_until = p.certificate.valid_until.isoformat() if p.certificate else ""
    hours = None if p.hours is None else float(p.hours)
    rules, members = p.rules, p.members
    return [
        [_("Organization"), p.organization.name, ""],
        [_("Year"), format_year(p.year), ""],
        [_("Level"), level, rules["level"]],
        [_("Certificate valid until"), valid_until, ""],
        [_("Activities run"), p.activities_run, rules["activities"]],
        [_("Participants"), shown(p.participants), rules["participants"]],
        [_("Hours"), shown(hours), rules["hours"]],
        [_("Deeds verified by its verifiers"), p.deeds_verified, rules["deeds_verified"]],
        [_("Credit from its activities"), shown(p.credit_total), rules["credit_by_virtue"]],
        [_("Linked members who did a verified deed"), shown(members.people), rules["members"]],
        [_("Their verified deeds"), shown(members.rows), rules["members"]],
        [_("Their credit"), shown(members.total), rules["members"]],
    ]


def report_xlsx(profile: OrganizationProfile) -> bytes:
    """The report as a workbook: the figures with the rule behind each, then one sheet per table."""
    p = profile
    book = Workbook()
    summary = book.active
    summary.title = _("Figures")[:31]
    _sheet_rows(summary, [_("Figure"), _("Value"), _("How it was computed")], _figures(p))
    _sheet_rows(
        book.create_sheet(_("Credit by virtue")[:31]),
        [_("Virtue"), _("Credit")],
        [[row.name, row.credit] for row in p.credit_by_virtue],
    )
    _sheet_rows(
        book.create_sheet(_("Credit by SDG")[:31]),
        [_("SDG"), _("Goal"), _("Credit")],
        [[int(row.code), row.name, row.credit] for row in p.credit_by_sdg],
    )
    header = [_("Deed type"), _("Starts on"), _("Ends on"), _("Verified deeds"), _("People reached")]
    rows = [
        [
            r.sponsorship.deed_type.name,
            r.sponsorship.starts_on.isoformat(),
            r.sponsorship.ends_on.isoformat(),
            r.verified_deeds,
            r.people_reached,
            r.points_paid,
        ]
        for r in p.sponsorships
    ]
    _sheet_rows(book.create_sheet(_("Sponsorships")[:31]), [*header, _("Points paid")], rows)
    _sheet_rows(
        book.create_sheet(_("Activities")[:31]),
        [_("Activity"), _("Ended on")],
        [[a.title, a.ends_at.date().isoformat()] for a in p.recent_activities],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
