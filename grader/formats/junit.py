"""JUnit XML: a test suite per exercise, a test case per check, points as properties."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader import results
from grader.results import SubmissionResult
from grader.sanitize import clean, one_line


def render(result: SubmissionResult) -> str:
    checks = result.checks()
    root = ET.Element("testsuites", name=f"kata: {one_line(result.submission)}", tests=str(len(checks)),
                      failures=str(sum(c.status != results.PASSED for c in checks)),
                      time=f"{sum(c.duration for c in checks):.3f}")
    _properties(root, score=result.score, max_score=result.max_score, status=result.status)
    if result.status == results.ERROR:
        ET.SubElement(root, "system-err").text = clean(result.message)
    for e in result.exercises:
        suite = ET.SubElement(root, "testsuite", name=e.name, tests=str(len(e.checks)),
                              failures=str(len(e.checks) - e.passed), errors="0", skipped="0",
                              time=f"{sum(c.duration for c in e.checks):.3f}")
        _properties(suite, points=e.points, max_points=e.max_points, status=e.outcome)
        for c in e.checks:
            case = ET.SubElement(suite, "testcase", classname=c.file.removesuffix(".py").replace("/", "."),
                                 name=c.name, time=f"{c.duration:.3f}")
            _properties(case, points=round(c.points, 4), max_points=round(c.max_points, 4), hidden=c.hidden)
            if c.status != results.PASSED:
                failure = ET.SubElement(case, "failure", message=one_line(c.message or c.status), type=c.status)
                failure.text = clean(c.message)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(parent: ET.Element, **values: object) -> None:
    holder = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(holder, "property", name=name, value=str(value).lower() if isinstance(value, bool) else str(value))
