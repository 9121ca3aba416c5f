"""Schema validation of a workbook the product writes: ``validate(path) -> list[str]``.

The validator is openxml-audit (PyPI, MIT, pure Python), an independent re-implementation of the
Open XML SDK's validator: OPC package, relationships and every part's XML against the SDK's
schema data for ECMA-376 / ISO/IEC 29500 (transitional). Only its errors count; its warnings
(e.g. "inline strings, Excel will move them to shared strings on the next save") are advice.

One divergence is corrected here, not hidden: the SDK's schema data makes a font's children
(``b``, ``i``, ``sz``, ``color``, ``name``...) a fixed *sequence*, while ISO 29500 Part 1's
``sml.xsd`` declares ``CT_Font`` an ``xsd:choice maxOccurs="unbounded"``: any order is valid
(openpyxl writes ``name`` first; Excel opens it without a word). Those order-only messages are
dropped and every ``<font>`` is checked against the ISO rule instead: only the 15 child
elements the standard names, each at most once.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree
from openxml_audit import OpenXmlValidator, ValidationErrorType, ValidationSeverity

SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: ISO/IEC 29500-1 sml.xsd, CT_Font: the elements of its repeating choice.
FONT_CHILDREN = frozenset(
    {
        "b",
        "i",
        "strike",
        "condense",
        "extend",
        "outline",
        "shadow",
        "u",
        "vertAlign",
        "sz",
        "color",
        "name",
        "family",
        "charset",
        "scheme",
    }
)
_FONT_PATH = re.compile(r"/font\[\d+\]$")


def rewrite_part(path: Path, part: str, change) -> None:
    """Rewrite one part of the package in place (a damaged or hand-edited workbook, for a test)."""
    with zipfile.ZipFile(path) as z:
        entries = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, change(data) if info.filename == part else data)


def _font_order_only(error) -> bool:
    """An SDK 'Unexpected element' on a font's child the ISO choice allows in any order."""
    return (
        error.error_type is ValidationErrorType.SCHEMA
        and _FONT_PATH.search(error.path or "") is not None
        and error.description.startswith("Unexpected element")
        and (error.node or "") in FONT_CHILDREN
    )


def font_problems(path: Path) -> list[str]:
    """Every <font> (cell formats and differential formats) against ISO's CT_Font."""
    with zipfile.ZipFile(path) as z:
        if "xl/styles.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("xl/styles.xml"))
    problems = []
    for i, font in enumerate(root.iter(f"{{{SML}}}font"), start=1):
        names = [etree.QName(child).localname for child in font if isinstance(child.tag, str)]
        for name in sorted(set(names)):
            if name not in FONT_CHILDREN:
                problems.append(f"/xl/styles.xml: font {i}: <{name}> is not a font property")
            elif names.count(name) > 1:
                problems.append(f"/xl/styles.xml: font {i}: <{name}> appears {names.count(name)} times")
    return problems


def validate(path: Path | str) -> list[str]:
    """The schema and package errors of an .xlsx/.xlsm, one line each; [] when it validates."""
    path = Path(path)
    result = OpenXmlValidator(max_errors=0).validate(path)
    errors = [e for e in result.errors if e.severity is ValidationSeverity.ERROR and not _font_order_only(e)]
    return [str(e) for e in errors] + font_problems(path)
