"""tools/wheel/pyhooks_wheel.py - the PEP 517 build backend behind
`pip install .`, and `make wheel`'s wheel builder.

pip finds it through pyproject.toml (`backend-path`, `requires = []`), so a
wheel builds offline with build isolation: nothing is downloaded, only the
standard library and CMake are used. A wheel is for the interpreter that
builds it: CMake builds pyhooks for that one CPython (tests off), installs
the tree, and the wheel holds it inside the package:

    pyhooks/__init__.py, __main__.py, _host<EXT_SUFFIX>    import pyhooks
    pyhooks/bin/pyhooks                                     the CLI
    pyhooks/lib/pyhooks/{boot,plugins}/                     what it loads
    pyhooks/{include,lib/cmake,lib/pkgconfig,share}/        the SDK

plus a `pyhooks` console script (pyhooks.__main__:main), which runs the CLI
with this interpreter as its default (`$PYHOOKS_PYTHON`).

`--config-settings stage=DIR` packages an installed tree already built for
this interpreter (`make build`'s build/stage) instead of building one: the
tests use it, so that they check the packaging and the install, not a second
compile.

By hand: `python3.12 tools/wheel/pyhooks_wheel.py [--stage DIR] OUT_DIR`.
"""

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
NAME = "pyhooks"


class WheelError(Exception):
    pass


def project_version():
    with open(os.path.join(SOURCE, "CMakeLists.txt")) as f:
        match = re.search(r"project\(pyhooks VERSION ([0-9.]+)", f.read())
    if match is None:
        raise WheelError("CMakeLists.txt names no project version")
    return match.group(1)


def wheel_tag():
    """cp312-cp312-linux_x86_64: this interpreter, its ABI, this machine."""
    python = "cp%d%d" % sys.version_info[:2]
    soabi = sysconfig.get_config_var("SOABI") or ""
    abi = "cp" + soabi.split("-")[1] if soabi.startswith("cpython-") else python
    platform = re.sub(r"[-.]", "_", sysconfig.get_platform())
    return "%s-%s-%s" % (python, abi, platform)


def build_stage(work):
    """Builds and installs pyhooks for this interpreter; returns the tree."""
    if shutil.which("cmake") is None:
        raise WheelError("building pyhooks needs cmake and a C++ compiler "
                         "(apt-get install cmake g++ libtomlplusplus-dev "
                         "libcli11-dev)")
    build, stage = os.path.join(work, "build"), os.path.join(work, "stage")
    steps = (
        ["cmake", "-S", SOURCE, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
         "-DPYHOOKS_BUILD_TESTS=OFF", "-DPYHOOKS_PYTHONS=" + sys.executable],
        ["cmake", "--build", build, "-j", str(os.cpu_count() or 1)],
        ["cmake", "--install", build, "--prefix", stage],
    )
    for step in steps:
        # CMake's output goes to stderr: pip shows it with -v, and stdout
        # is the backend's own channel to its caller.
        if subprocess.call(step, stdout=sys.stderr) != 0:
            raise WheelError("`%s` failed" % " ".join(step))
    return stage


def stage_files(stage):
    """(path in the stage, path in the wheel) of every file to ship."""
    package = os.path.join(stage, "lib", "pyhooks", "python", NAME)
    host = "_host" + sysconfig.get_config_var("EXT_SUFFIX")
    if not os.path.isfile(os.path.join(package, host)):
        raise WheelError("%s has no host module for this interpreter (%s); "
                         "build it with `make build PYTHONS=%s`"
                         % (stage, host, sys.executable))
    files = []
    for name in sorted(os.listdir(package)):
        if name.endswith(".py") or name == host:
            files.append((os.path.join(package, name), NAME + "/" + name))
    trees = [os.path.join("bin", NAME), os.path.join("lib", "pyhooks", "boot"),
             os.path.join("lib", "pyhooks", "plugins"), "include",
             os.path.join("lib", "cmake"), os.path.join("lib", "pkgconfig"),
             "share"]
    for tree in trees:
        top = os.path.join(stage, tree)
        if os.path.isfile(top):
            files.append((top, NAME + "/" + tree))
            continue
        for directory, subdirs, names in os.walk(top):
            subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(directory, name)
                files.append((path, NAME + "/" + os.path.relpath(path, stage)))
    if not any(target == NAME + "/bin/" + NAME for _, target in files):
        raise WheelError("%s is not an installed pyhooks tree (no bin/%s)"
                         % (stage, NAME))
    return files


def record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return "%s,sha256=%s,%d" % (arcname, digest.rstrip(b"=").decode(),
                                len(data))


def metadata_files(version, tag):
    dist_info = "%s-%s.dist-info" % (NAME, version)
    metadata = (
        "Metadata-Version: 2.1\n"
        "Name: %s\n"
        "Version: %s\n"
        "Summary: One owner for CPython's frame-evaluation hook, chaining "
        "plugins (profiler, tracer, native names)\n"
        "Requires-Python: >=3.11, <3.14\n" % (NAME, version))
    wheel = ("Wheel-Version: 1.0\nGenerator: pyhooks_wheel\n"
             "Root-Is-Purelib: false\nTag: %s\n" % tag)
    entry_points = "[console_scripts]\npyhooks = pyhooks.__main__:main\n"
    return dist_info, [(dist_info + "/METADATA", metadata),
                       (dist_info + "/WHEEL", wheel),
                       (dist_info + "/entry_points.txt", entry_points)]


def write_wheel(stage, out_dir):
    version, tag = project_version(), wheel_tag()
    name = "%s-%s-%s.whl" % (NAME, version, tag)
    dist_info, metadata = metadata_files(version, tag)
    records = []
    path = os.path.join(out_dir, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for source, arcname in stage_files(stage):
            with open(source, "rb") as f:
                data = f.read()
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if os.access(source, os.X_OK) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            wheel.writestr(info, data)
            records.append(record_line(arcname, data))
        for arcname, text in metadata:
            wheel.writestr(arcname, text)
            records.append(record_line(arcname, text.encode()))
        records.append(dist_info + "/RECORD,,")
        wheel.writestr(dist_info + "/RECORD", "\n".join(records) + "\n")
    return name


# PEP 517 hooks.

def get_requires_for_build_wheel(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    stage = (config_settings or {}).get("stage")
    if stage:
        return write_wheel(os.path.abspath(stage), wheel_directory)
    with tempfile.TemporaryDirectory(prefix="pyhooks-wheel-") as work:
        return write_wheel(build_stage(work), wheel_directory)


def main(argv):
    args = list(argv)
    stage = None
    if args[:1] == ["--stage"] and len(args) >= 2:
        stage = args[1]
        del args[:2]
    if len(args) != 1:
        sys.stderr.write("usage: %s [--stage DIR] OUT_DIR\n" % sys.argv[0])
        return 2
    os.makedirs(args[0], exist_ok=True)
    try:
        name = build_wheel(args[0], {"stage": stage} if stage else None)
    except WheelError as error:
        sys.stderr.write("pyhooks wheel: error: %s\n" % error)
        return 1
    print(os.path.join(args[0], name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
