"""Reading an Atom feed response in tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml.ElementTree import fromstring

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_entries(response) -> list[ET.Element]:
    """The entries of a 200 Atom answer (the XML must be well-formed)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return fromstring(response.content).findall(f"{ATOM}entry")
