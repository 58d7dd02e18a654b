"""Says it is ready, then sleeps until interrupted."""
import time


def wait():
    time.sleep(60)


print("ready", flush=True)
wait()
