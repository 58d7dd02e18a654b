"""Proof that the plugins are active where the tests run.

tests/conformance/run puts this module first in both regrtest runs (plain
and under `pyhooks run`), through `--testdir`, so it runs in a regrtest
worker process exactly as the CPython tests after it do. It records what it
finds in that process as JSON in $PYHOOKS_CONFORMANCE_SANITY; the runner
checks the record (plain: no pyhooks at all; pyhooks: every plugin of the
run active and seeing this module's calls) and stops if it is wrong, since
the comparison would then mean nothing.
"""

import json
import os
import sys
import unittest


def _called():
    return 42


# The jit sees a function's first calls only, on every version: _called is
# a leaf (no loop, no call), which it declines for good at its first call,
# so the host stops offering it (docs/jit.md, the leaf rule);
# and on 3.12+, where it is an entry evaluator (HOST-28), code it compiles
# is reached through a function entry it does not see either. So it must
# have seen _called start, not each call. native_names is offered each code
# object once too: it names the code's interpreter trampoline and disables
# itself for it, and the host calls the trampoline from then on (plugin ABI
# HOST-30), with no callback into the plugin.
SEES_FIRST_CALLS_ONLY = {"jit", "native_names"}


class PluginsInThisWorker(unittest.TestCase):
    def test_record(self):
        record = {
            "pid": os.getpid(),
            "executable": sys.executable,
            "spec": None,
            "pyhooks_imported": "pyhooks" in sys.modules,
        }
        text = os.environ.get("PYHOOKS_RUN_SPEC")
        if text is not None:
            import pyhooks

            spec = json.loads(text)
            before = pyhooks.counters()
            for _ in range(100):
                _called()
            after = pyhooks.counters()
            record["spec"] = {
                "pid": spec["pid"],
                "plugins": [plugin["name"] for plugin in spec["plugins"]],
            }
            record["chain"] = pyhooks.chain()
            record["counters"] = after
            record["seen"] = {
                name: sum(stats["events"].values()) + stats["offered"]
                - sum(before["plugins"][name]["events"].values())
                - before["plugins"][name]["offered"]
                for name, stats in after["plugins"].items()
            }
        path = os.environ.get("PYHOOKS_CONFORMANCE_SANITY")
        if path:
            with open(path, "w") as out:
                json.dump(record, out, indent=1)
        if record["spec"] is not None:
            states = {p["name"]: p["state"] for p in record["chain"]}
            for name in record["spec"]["plugins"]:
                self.assertEqual(states.get(name), "active", name)
                minimum = 1 if name in SEES_FIRST_CALLS_ONLY else 100
                self.assertGreaterEqual(record["seen"].get(name, 0), minimum,
                                        name)


if __name__ == "__main__":
    unittest.main()
