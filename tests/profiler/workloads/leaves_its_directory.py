"""Removes the directory it started in (moving to argv[1] first), so that
default output names can no longer be written there at exit."""
import os
import sys


def work():
    return sum(range(1000))


start = os.getcwd()
os.chdir(sys.argv[1])
os.rmdir(start)
work()
