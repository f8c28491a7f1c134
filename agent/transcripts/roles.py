"""Map a free-text job title to a stakeholder category with transparent keyword rules.

The rules are checked in order and the first match wins. Functional words come before
seniority words, so "Head of Data" is data and "VP Engineering" is engineering; a title
with no functional word ("CEO", "SVP", "Founder") falls through to executive. Within the
functional categories, the order settles titles that name two functions: risk first
("Data Protection Officer", "Security Engineer"), then data ("Data Engineer"), design
("Product Designer"), product, operations, and engineering last, because "engineer"
is the most generic functional word.
"""

from __future__ import annotations

import re

CATEGORIES = ("engineering", "product", "data", "executive", "risk", "operations", "design")


def _words(alternatives: str) -> re.Pattern[str]:
    # Whole words only, so "ops" does not match inside "DevOps" and "ui" not in "Guide".
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "risk",
        _words(
            r"risk|compliance|legal|lawyer|counsel|attorney|privacy|data protection|dpo"
            r"|security|infosec|ciso|audit(?:or|ing)?|governance|regulatory|grc|ethics"
            r"|responsible ai"
        ),
    ),
    (
        "data",
        _words(r"data|analytics?|analysts?|bi|business intelligence|statistic(?:s|ians?)|cdo"
               r"|scientists?|model(?:l?ing|lers?)|actuar(?:y|ies|ial)"),
    ),
    ("design", _words(r"design(?:ers?)?|ux|ui|user research(?:ers?)?")),
    ("product", _words(r"product|cpo|pm")),
    (
        "operations",
        _words(r"operations|ops|support|customer (?:service|success)|service desk|help ?desk"
               r"|quality|contact cent(?:re|er)|call cent(?:re|er)|claims|fulfil?ment"),
    ),
    (
        "engineering",
        _words(
            r"engineer(?:s|ing)?|cto|cio|developers?|dev|sre|site reliability|platform"
            r"|architect(?:ure)?|infrastructure|devops|mlops|ml|machine learning|ai|software"
            r"|tech(?:nical|nology)?|qa|(?-i:IT)"  # "IT" in capitals only, never "it"
        ),
    ),
    (
        "executive",
        _words(
            r"(?-i:C[A-Z]{1,3}O)|chief|president|(?:co-?)?founder|executive|e?s?vp"
            r"|general manager|managing director|chair(?:man|woman|person)?|board member"
            # Leaders named by remit rather than function: they sponsor, not build.
            r"|(?:managing )?partner|owner|head of (?:innovation|transformation|strategy)"
            r"|(?:chief )?digital officer|director general"
        ),
    ),
)


def categorise_role(role: str | None) -> str | None:
    """The category of a role title, or None when it is missing or not recognised.

    >>> categorise_role("Chief Data Officer"), categorise_role("VP Engineering")
    ('data', 'engineering')
    """
    if not role or not role.strip():
        return None
    for category, pattern in _RULES:
        if pattern.search(role):
            return category
    return None
