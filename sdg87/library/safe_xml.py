"""Parse XML that came from elsewhere: no entity expansion, no external entities or DTDs fetched.

``defusedxml`` refuses entity declarations (billion laughs, quadratic blow-up) and external
references (XXE); a document that is not well-formed is refused with its line and column.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sdg87.library.safe_http import BadResponse


def parse_xml(body: bytes, *, url: str) -> Element:
    """The document's root element; ``BadResponse`` naming ``url`` when it is refused."""
    if not body.strip():
        raise BadResponse(f"{url} answered with an empty body, not XML")
    try:
        return fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadResponse(
            f"refused the XML from {url}: it declares entities or external references ({exc})"
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise BadResponse(
            f"the response from {url} is not well-formed XML (line {line}, column {column})",
            details={"line": line, "column": column},
        ) from None
