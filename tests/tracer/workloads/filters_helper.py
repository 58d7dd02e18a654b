"""A second module, for include/exclude."""


def helper():
    return inner_helper() + 1


def inner_helper():
    return 1
