"""The conformance runner's parts (tests/conformance/run is the entry):
interpreter probing, regrtest runs and their parsing, comparison,
expectations and the report."""


class SetupError(Exception):
    """The run cannot be made (bad arguments, plugin set, interpreter, or
    plugins not active where the tests run): exit status 2, no table."""


class Skipped(Exception):
    """The interpreter has no regression test package: exit status 77
    (CTest's SKIP_RETURN_CODE)."""
