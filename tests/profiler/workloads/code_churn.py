"""Code objects that die and are replaced: 3000 distinct functions compiled
one after another, each called once and then dropped, so that new code
objects reuse freed addresses."""
import gc

for i in range(3000):
    namespace = {}
    exec(compile("def churn_%d(x):\n    return x + %d\n" % (i, i),
                 "<churn>", "exec"), namespace)
    assert namespace["churn_%d" % i](1) == i + 1
    del namespace
    if i % 100 == 0:
        gc.collect()
