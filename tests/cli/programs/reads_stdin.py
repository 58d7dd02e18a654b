"""Echoes stdin back, upper-cased, with line and byte counts."""
import sys

data = sys.stdin.read()
sys.stdout.write(data.upper())
print("lines=%d chars=%d" % (data.count("\n"), len(data)))
