"""What differs between the plain and the pyhooks run of one module: its
status, and the outcome of each test case."""

# Statuses that failing test cases explain: a module that passes plain and
# fails under pyhooks because of one test is that test's difference.
CASE_STATUSES = ("passed", "failed")


class Difference:
    """`module`, `plain`/`pyhooks` (ModuleResult), `status` (True if the
    module statuses differ), `cases` [(test id, plain, pyhooks outcome)],
    with "absent" for a case only one run has."""

    def __init__(self, module, plain, pyhooks):
        self.module = module
        self.plain = plain
        self.pyhooks = pyhooks
        self.status = _status_key(plain) != _status_key(pyhooks)
        self.cases = []
        for test_id in sorted(set(plain.cases) | set(pyhooks.cases)):
            before = plain.cases.get(test_id, "absent")
            after = pyhooks.cases.get(test_id, "absent")
            if before != after:
                self.cases.append((test_id, before, after))

    def __bool__(self):
        return self.status or bool(self.cases)

    def explained_by_cases(self):
        """Whether the case differences alone account for this difference
        (no crash, timeout or environment change on either side)."""
        return bool(self.cases) and all(
            r.status in CASE_STATUSES for r in (self.plain, self.pyhooks))


def _status_key(result):
    # "failed (1 error)" and "failed (2 errors)" differ even when JUnit has
    # no case for it (an error in setUpClass is not a test case).
    if result.status == "failed":
        return result.detail
    return result.status
