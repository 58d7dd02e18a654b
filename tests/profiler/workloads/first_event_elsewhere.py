"""Activates the profiler (pyhooks.load, output argv[1]) while another thread
is busy calling leaf(), so that the first event the profiler sees usually
comes from a thread other than the one that started it."""
import sys
import threading
import time

import pyhooks

stop = False


def leaf():
    return 1


def spin():
    while not stop:
        leaf()


worker = threading.Thread(target=spin)
worker.start()
time.sleep(0.02)
pyhooks.load("profiler", options={"summary": 0, "output": sys.argv[1],
                                  "svg": "", "collapsed": ""})
time.sleep(0.05)
stop = True
worker.join()
