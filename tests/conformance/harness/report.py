"""The conformance table: one row per module (plain result, pyhooks result,
verdict), the differing test cases under it, stale expectations, totals."""

SAME, EXPECTED, FLAKY, UNEXPECTED = "same", "expected", "flaky", "UNEXPECTED"
# Differing test cases listed under a module (the rest are counted).
_CASES_SHOWN = {EXPECTED: 3, FLAKY: 12, UNEXPECTED: 12}


class Row:
    """One module's line: `module`, `plain`, `pyhooks` (ModuleResult),
    `verdict`, `note` (the reason, or what happened on retry), `difference`
    (compare.Difference of the first run), `stale` [(entry, why)]."""

    def __init__(self, module, plain, pyhooks, verdict, note="",
                 difference=None, stale=()):
        self.module = module
        self.plain = plain
        self.pyhooks = pyhooks
        self.verdict = verdict
        self.note = note
        self.difference = difference
        self.stale = list(stale)


def render(rows, missing, seconds, unattributed):
    lines = []
    if rows:
        width = [max(len(r.module) for r in rows), 0, 0]
        width[1] = max(len(r.plain.summary()) for r in rows)
        width[2] = max(len(r.pyhooks.summary()) for r in rows)
        width = [max(w, len(t)) for w, t in zip(width, ("MODULE", "PLAIN", "PYHOOKS"))]
        lines.append("%-*s  %-*s  %-*s  VERDICT" % (
            width[0], "MODULE", width[1], "PLAIN", width[2], "PYHOOKS"))
        for row in rows:
            verdict = row.verdict + (": " + row.note if row.note else "")
            if row.stale:
                verdict += "; STALE expectation"
            lines.append("%-*s  %-*s  %-*s  %s" % (
                width[0], row.module, width[1], row.plain.summary(),
                width[2], row.pyhooks.summary(), verdict))
            if row.difference and row.verdict != SAME:
                lines += _case_lines(row.difference, _CASES_SHOWN[row.verdict])
    if missing:
        lines.append("not in this CPython: %s" % ", ".join(missing))
    stale = [(row, entry, why) for row in rows for entry, why in row.stale]
    if stale:
        lines.append("stale expectations (expected.toml; remove them or mark "
                     "them sometimes = true):")
        for row, entry, why in stale:
            lines.append("  %s: %s" % (entry.label(), why))
    lines += _totals(rows, seconds, unattributed, len(stale))
    return "\n".join(lines)


def _case_lines(difference, shown):
    lines = []
    plain, pyhooks = difference.plain, difference.pyhooks
    absent_side = not plain.cases or not pyhooks.cases
    if absent_side:  # a crash or timeout: every case differs, say it once
        lines.append("    (%d test cases only in the %s run)" % (
            len(plain.cases) + len(pyhooks.cases),
            "plain" if plain.cases else "pyhooks"))
        return lines
    for test_id, before, after in difference.cases[:shown]:
        message = pyhooks.messages.get(test_id) or plain.messages.get(test_id, "")
        lines.append("    %s: %s -> %s%s" % (
            test_id, before, after, "  [%s]" % message[:160] if message else ""))
    if len(difference.cases) > shown:
        lines.append("    ... and %d more test cases"
                     % (len(difference.cases) - shown))
    return lines


def _totals(rows, seconds, unattributed, stale):
    count = {v: sum(1 for r in rows if r.verdict == v)
             for v in (SAME, EXPECTED, FLAKY, UNEXPECTED)}
    cases_plain = sum(len(r.plain.cases) for r in rows)
    cases_pyhooks = sum(len(r.pyhooks.cases) for r in rows)
    differing = {v: sum(len(r.difference.cases) for r in rows
                        if r.difference and r.verdict == v)
                 for v in (EXPECTED, UNEXPECTED)}
    lines = [
        "totals: %d modules: %d same, %d expected differences, %d flaky, "
        "%d UNEXPECTED; %d stale expectations" % (
            len(rows), count[SAME], count[EXPECTED], count[FLAKY],
            count[UNEXPECTED], stale),
        "test cases run: %d plain, %d under pyhooks; differing: %d expected, "
        "%d UNEXPECTED" % (cases_plain, cases_pyhooks, differing[EXPECTED],
                           differing[UNEXPECTED]),
        "time: plain %.0f s, pyhooks %.0f s, retries %.0f s" % (
            seconds["plain"], seconds["pyhooks"], seconds["retries"]),
    ]
    if unattributed:
        lines.append("note: %d JUnit test cases could not be attributed to a "
                     "module" % unattributed)
    return lines
