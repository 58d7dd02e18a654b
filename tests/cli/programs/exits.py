"""Ends in the way argv[1] names: `code N`, `message TEXT`, `none`,
`raise`, `thread N` (sys.exit in a thread), `os_exit N`, `signal N`."""
import os
import signal
import sys
import threading

how = sys.argv[1]
arg = sys.argv[2] if len(sys.argv) > 2 else None
print("running", how, flush=True)
if how == "code":
    sys.exit(int(arg))
elif how == "message":
    raise SystemExit(arg)
elif how == "none":
    sys.exit(None)
elif how == "raise":
    raise KeyError(arg)
elif how == "thread":
    worker = threading.Thread(target=sys.exit, args=(int(arg),))
    worker.start()
    worker.join()
    print("main thread continues", flush=True)
elif how == "os_exit":
    os._exit(int(arg))
elif how == "signal":
    os.kill(os.getpid(), int(arg))
    signal.pause()
