import recorded  # the recorder must already have seen this module start
import sys


def greet():
    return "hello"


greet()
log = recorded.events()
print("\n".join(log))
sys.exit(0 if log and log[0].endswith("start <module>") else 1)
