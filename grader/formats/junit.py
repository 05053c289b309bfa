"""JUnit XML, valid against the Jenkins/Surefire JUnit schema (junit-10.xsd, checked in the self-tests).

A test suite per exercise, with its points as properties; a test case per check, whose points
(and whether it is hidden) are in its system-out, since the schema gives test cases no properties.
When the grader could not grade, one suite holds one test case with an `error` saying why.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader import results
from grader.results import SubmissionResult, shown
from grader.sanitize import clean, one_line


def render(result: SubmissionResult) -> str:
    checks = result.checks()
    errored = result.status == results.ERROR
    root = ET.Element("testsuites", name=f"kata: {one_line(result.submission)}",
                      tests=str(len(checks) if not errored else 1),
                      failures=str(sum(c.status != results.PASSED for c in checks)), errors=str(int(errored)),
                      time=f"{sum(c.duration for c in checks):.3f}")
    if errored:
        suite = ET.SubElement(root, "testsuite", name="grading", tests="1", failures="0", errors="1", skipped="0",
                              time="0.000")
        case = ET.SubElement(suite, "testcase", classname="grader", name="grading", time="0.000")
        ET.SubElement(case, "error", message=one_line(result.message), type=results.ERROR).text = clean(result.message)
    for e in result.exercises:
        suite = ET.SubElement(root, "testsuite", name=e.name, tests=str(len(e.checks)),
                              failures=str(len(e.checks) - e.passed), errors="0", skipped="0",
                              time=f"{sum(c.duration for c in e.checks):.3f}")
        _properties(suite, points=e.points, max_points=e.max_points, status=e.outcome)
        for c in e.checks:
            case = ET.SubElement(suite, "testcase", classname=c.file.removesuffix(".py").replace("/", "."),
                                 name=c.name, time=f"{c.duration:.3f}")
            if c.status != results.PASSED:
                failure = ET.SubElement(case, "failure", message=one_line(c.message or c.status), type=c.status)
                failure.text = clean(c.message)
            ET.SubElement(case, "system-out").text = (
                f"points: {shown(c.points)} / {shown(c.max_points)}" + (" (hidden check)" if c.hidden else ""))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _properties(parent: ET.Element, **values: object) -> None:
    holder = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(holder, "property", name=name, value=str(value))
