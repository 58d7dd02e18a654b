"""Eight workers, one after another, each started after the previous one
ended, so that CPython hands the same thread ident to several of them. Each
calls step() 5 times. Prints how many distinct idents the workers had."""
import threading


def step():
    return sum(range(100))


def work(idents):
    idents.append(threading.get_ident())
    for _ in range(5):
        step()


idents = []
for _ in range(8):
    thread = threading.Thread(target=work, args=(idents,))
    thread.start()
    thread.join()
print(len(set(idents)))
