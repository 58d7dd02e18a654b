"""`python -m demo_pkg.tool`: prints how it was started, fails if asked."""
import json
import pickle
import sys

import show_state  # found through sys.path[0], the current directory


class Local:
    pass


if __name__ == "__main__":
    state = show_state.state()
    state["local_pickle"] = type(pickle.loads(pickle.dumps(Local()))).__module__
    print(json.dumps(state, sort_keys=True))
    if sys.argv[1:2] == ["fail"]:
        raise ValueError("demo_pkg.tool failed on purpose")
