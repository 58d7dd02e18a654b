"""A profile that takes a while to write: argv[1] distinct functions, each
called along a few distinct call paths (several MB of collapsed stacks and
SVG). Prints "ready" just before the program ends, so that a test can send a
signal while the profiler writes its files."""
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
namespace = {}
source = "\n".join(
    "def f%d(depth):\n    return f%d(depth - 1) if depth else 0" % (i, (i + 1) % count)
    for i in range(count))
exec(compile(source, "generated_paths", "exec"), namespace)
for i in range(count):
    namespace["f%d" % i](4)
print("ready", flush=True)
