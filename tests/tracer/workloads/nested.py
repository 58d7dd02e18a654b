"""Known call tree: top() calls middle() 3 times, each calls leaf() twice."""


def leaf(n):
    return n * 2


def middle(n):
    return leaf(n) + leaf(n + 1)


def top():
    total = 0
    for i in range(3):
        total += middle(i)
    return total


print(top())
