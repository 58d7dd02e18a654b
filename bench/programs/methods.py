"""Method-heavy: small methods, properties and dunder methods."""


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def scaled(self, factor):
        return Vector(self.x * factor, self.y * factor)

    def dot(self, other):
        return self.x * other.x + self.y * other.y

    @property
    def norm2(self):
        return self.dot(self)


class Account:
    def __init__(self, balance):
        self._balance = balance
        self._history = 0

    @property
    def balance(self):
        return self._balance

    def deposit(self, amount):
        self._balance += amount
        self._record()

    def withdraw(self, amount):
        if self.can_withdraw(amount):
            self._balance -= amount
            self._record()
            return True
        return False

    def can_withdraw(self, amount):
        return amount <= self._balance

    def _record(self):
        self._history += 1


def main():
    total = 0.0
    v = Vector(1.0, 0.5)
    step = Vector(0.001, -0.002)
    for i in range(180000):
        v = v + step.scaled(1.0001)
        total += v.norm2
    accounts = [Account(100) for _ in range(10)]
    for i in range(180000):
        account = accounts[i % 10]
        account.deposit(i % 7)
        account.withdraw(i % 11)
    total += sum(a.balance for a in accounts)
    print(round(total, 6))


main()
