"""Content-Security-Policy with one allowance for the staff screens."""

from dataclasses import replace

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

# The admin's field-history pages (django-simple-history) and DRF's browsable API write `style`
# attributes into their markup. Allowing inline *styles* there keeps them laid out; scripts stay
# locked down everywhere, and reader pages allow no inline style at all.
STAFF_PREFIXES = ("/admin/", "/api/")
INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not request.path_info.startswith(STAFF_PREFIXES):
            return parts
        update = dict(parts.update or {})
        update["style-src"] = [*update.get("style-src", []), *INLINE_STYLES["style-src"]]
        return replace(parts, update=update)
