#!/usr/bin/env python3
"""tools/test-summary.py BUILD JUNIT - one line per CTest label (the unit
tests, then each CPython) from a single CTest run's JUnit file, so that the
output of a run that mixed every interpreter still says which were tested.

Each line counts the CTest entries of that label that passed, failed or were
skipped, and the test cases inside the passed ones (GoogleTest's "[  PASSED
] N tests", unittest's "Ran N tests"). An entry registered but missing from
the file (the run was cut) counts as failed. Exits 1 if any entry failed.
"""

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

CASES = re.compile(r"\[  PASSED  \] (\d+) test|^Ran (\d+) test", re.MULTILINE)


def labels_of_tests(build):
    listed = subprocess.run(
        ["ctest", "--test-dir", build, "--show-only=json-v1"],
        capture_output=True, text=True, check=True).stdout
    labels = {}
    for test in json.loads(listed)["tests"]:
        for prop in test.get("properties", []):
            if prop["name"] == "LABELS":
                labels[test["name"]] = prop["value"]
    return labels


def label_order(label):
    """unit first, then the CPythons by version."""
    numbers = [int(part) for part in re.findall(r"\d+", label)]
    return (label != "unit", numbers, label)


def main():
    build, junit = sys.argv[1], sys.argv[2]
    results = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        output = case.findtext("system-out") or ""
        skipped = case.find("skipped") is not None
        results[case.get("name")] = (case.get("status"), skipped, output)
    per_label = {}
    for name, labels in labels_of_tests(build).items():
        for label in labels:
            per_label.setdefault(label, []).append(name)
    failed_any = False
    for label in sorted(per_label, key=label_order):
        passed = failed = skipped = cases = 0
        for name in per_label[label]:
            status, was_skipped, output = results.get(name, ("notrun", False,
                                                             ""))
            if was_skipped or status == "disabled":
                skipped += 1
            elif status == "run":
                passed += 1
                cases += sum(int(a or b) for a, b in CASES.findall(output))
            else:
                failed += 1
        failed_any |= failed > 0
        total = passed + failed + skipped
        print("%-22s %d of %d passed, %d failed, %d skipped "
              "(%d test cases passed)" % (label + ":", passed, total, failed,
                                         skipped, cases))
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
