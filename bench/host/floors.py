"""bench/host/floors.py - the raw mechanisms pyhooks is measured against.

monitoring_c6: sys.monitoring with no-op C callbacks on the six events
pyhooks subscribes for an observer that wants exits (PY_START, PY_RESUME,
PY_THROW, PY_RETURN, PY_YIELD, PY_UNWIND; monitoring_source.cc:
monitoring_events_for): the floor of an observer on CPython 3.12+.
monitoring_c9: the same and the three pyhooks adds for an observer of C
calls (CALL, C_RETURN, C_RAISE): the floor of such an observer.
bare_hook: a pass-through PEP 523 hook (tests/foreign): the floor of
anything on the eval-frame hook. Both need PYHOOKS_BENCH_EXT_DIR on
sys.path."""

import sys

TOOL_ID = 4  # the id pyhooks itself would take


def install_monitoring(name, c_calls=False):
    import _pyhooks_test_monitoring_floor as floor
    monitoring = sys.monitoring
    events = monitoring.events
    wanted = (events.PY_START, events.PY_RESUME, events.PY_THROW,
              events.PY_RETURN, events.PY_YIELD, events.PY_UNWIND)
    if c_calls:
        wanted += (events.CALL, events.C_RETURN, events.C_RAISE)
    monitoring.use_tool_id(TOOL_ID, name)
    mask = 0
    for event in wanted:
        monitoring.register_callback(TOOL_ID, event, floor.noop)
        mask |= event
    monitoring.set_events(TOOL_ID, mask)


def install_bare_hook():
    import _pyhooks_test_foreign
    _pyhooks_test_foreign.install()


def install(config):
    """Installs a floor configuration; False if `config` is not one."""
    if config == "monitoring_c6":
        install_monitoring(config)
    elif config == "monitoring_c9":
        install_monitoring(config, c_calls=True)
    elif config == "bare_hook":
        install_bare_hook()
    else:
        return False
    return True
