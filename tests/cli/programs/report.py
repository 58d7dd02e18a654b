"""Prints, as JSON, the active chain, the event source, and what the recorder
saw of a call to work()."""
import json

import pyhooks
import recorded


def work():
    return 42


recorded.events()  # clear
work()
print(json.dumps({
    "chain": [p["name"] for p in pyhooks.chain() if p["state"] == "active"],
    "priorities": {p["name"]: p["priority"] for p in pyhooks.chain()},
    "event_source": pyhooks.event_source(),
    "work": [e for e in recorded.events() if e.split()[1:2] == ["work"]],
}))
