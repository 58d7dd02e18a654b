"""JSON round trip: nested records with dates and decimals through Python
`default` and `object_hook` callbacks, encoded and decoded repeatedly."""

import datetime
import decimal
import json


class Order:
    def __init__(self, number, when, lines):
        self.number = number
        self.when = when
        self.lines = lines


def make_orders(count):
    base = datetime.date(2024, 1, 1)
    orders = []
    for i in range(count):
        lines = [{"sku": "SKU-%05d" % ((i * 7 + j) % 5000), "qty": (i + j) % 5 + 1,
                  "price": decimal.Decimal("%d.%02d" % ((i * j) % 90 + 1, (i + j) % 100))}
                 for j in range(i % 6 + 1)]
        orders.append(Order(i, base + datetime.timedelta(days=i % 365), lines))
    return orders


def default(value):
    if isinstance(value, Order):
        return {"__order__": True, "number": value.number, "when": value.when,
                "lines": value.lines}
    if isinstance(value, datetime.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"__decimal__": str(value)}
    raise TypeError(type(value).__name__)


def hook(obj):
    if "__date__" in obj:
        return datetime.date.fromisoformat(obj["__date__"])
    if "__decimal__" in obj:
        return decimal.Decimal(obj["__decimal__"])
    if obj.get("__order__"):
        return Order(obj["number"], obj["when"], obj["lines"])
    return obj


def total(orders):
    return sum(line["qty"] * line["price"] for order in orders for line in order.lines)


orders = make_orders(1500)
expected = total(orders)
for _ in range(6):
    text = json.dumps(orders, default=default, sort_keys=True)
    orders = json.loads(text, object_hook=hook)
assert total(orders) == expected
print(len(text), expected)
