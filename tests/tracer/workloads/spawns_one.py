"""One new interpreter started by subprocess (it inherits the plugins under
pyhooks run): calls spawned_only(); the program calls parent_only(). Prints
the child's pid."""
import subprocess
import sys


def parent_only():
    return 0


parent_only()
child = subprocess.run(
    [sys.executable, "-c",
     "import os\ndef spawned_only(): return 0\nspawned_only()\n"
     "print(os.getpid())"], check=True, capture_output=True, text=True)
print(child.stdout.strip())
