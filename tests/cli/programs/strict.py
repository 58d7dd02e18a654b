"""Calls boom(), on whose start the raising test observer fails; prints what
the program saw."""
import pyhooks


def boom():
    return "boom ran"


try:
    print(boom())
    print("after boom")
except pyhooks.PluginError as error:
    print("PluginError:", error)
