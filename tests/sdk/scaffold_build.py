"""Fixture of the sdk_scaffold tests: scaffolds one project per kind x
language with the installed `pyhooks new-plugin`, then builds each exactly as
its README says (`cmake -S . -B b -DCMAKE_PREFIX_PATH=<stage> && cmake
--build b`) and runs its own ctest once. The tests in scaffold/ then run the
binaries under every interpreter: one limited-API build serves them all.

usage: scaffold_build.py OUT_DIR"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

STAGE = Path(os.environ["PYHOOKS_STAGE"])
KINDS = ("observer", "evaluator")
LANGS = ("c", "c++")


def combo_name(kind, lang):
    return "demo_%s_%s" % (kind, "cxx" if lang == "c++" else "c")


def run(command, cwd):
    env = dict(os.environ)
    # As an outside author: nothing but the prefix tells cmake where pyhooks is.
    for name in ("CMAKE_PREFIX_PATH", "PYHOOKS_PLUGIN_PATH", "PYTHONPATH"):
        env.pop(name, None)
    done = subprocess.run(command, cwd=str(cwd), env=env, capture_output=True,
                          text=True, timeout=300)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        sys.exit("%s (in %s) failed with %d:\n%s" % (
            " ".join(command), cwd, done.returncode, output))
    return output


def main():
    out = Path(sys.argv[1])
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for kind in KINDS:
        for lang in LANGS:
            name = combo_name(kind, lang)
            run([str(STAGE / "bin" / "pyhooks"), "new-plugin", name,
                 "--kind", kind, "--lang", lang], cwd=out)
            project = out / name
            run(["cmake", "-S", ".", "-B", "b",
                 "-DCMAKE_PREFIX_PATH=%s" % STAGE], cwd=project)
            built = run(["cmake", "--build", "b"], cwd=project)
            if "warning:" in built:
                sys.exit("%s builds with warnings:\n%s" % (name, built))
            run(["ctest", "--test-dir", "b", "--output-on-failure"],
                cwd=project)
            print("built and tested", name)


if __name__ == "__main__":
    main()
