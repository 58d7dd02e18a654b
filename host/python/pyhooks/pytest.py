r"""pytest plugin: pyhooks plugins active while the tests run.

    pytest -p pyhooks.pytest --pyhooks=profiler
    pytest -p pyhooks.pytest --pyhooks=profiler \
        --pyhooks-option profiler.summary=10
    pytest -p pyhooks.pytest --pyhooks=profiler --pyhooks-per-test

The named plugins are loaded after pytest has read its configuration and
unloaded when the session ends (the profiler then writes its files, by
default pyhooks-profile/run-N.*, and prints its summary on the terminal).
With --pyhooks-per-test they are loaded around each test's call instead
(not its fixtures' setup and teardown): one profile per test. A plugin
that cannot be loaded, an unknown plugin or a bad option stops pytest
before any test runs, as a usage error (exit status 4).
"""

import pytest

from ._plugin_session import (PluginSession, SessionError, parse_options,
                              split_names)



def pytest_addoption(parser):
    group = parser.getgroup("pyhooks", "pyhooks plugins")
    group.addoption(
        "--pyhooks", action="append", default=[], metavar="PLUGINS",
        help="pyhooks plugins to run the tests under, comma-separated "
             "(as pyhooks run -p); may be repeated")
    group.addoption(
        "--pyhooks-option", action="append", default=[],
        metavar="PLUGIN.KEY=VALUE",
        help="an option for one of those plugins (as pyhooks run -o), "
             "for example profiler.summary=10; may be repeated")
    group.addoption(
        "--pyhooks-per-test", action="store_true", default=False,
        help="load the plugins around each test's call (one profile per "
             "test) instead of once for the whole session")


def _plugin_session(config):
    names = split_names(config.getoption("pyhooks"))
    specs = config.getoption("pyhooks_option")
    if not names:
        if specs or config.getoption("pyhooks_per_test"):
            raise pytest.UsageError(
                "--pyhooks-option and --pyhooks-per-test need "
                "--pyhooks=PLUGINS")
        return None
    try:
        return PluginSession(names, parse_options(specs, names,
                                                  "--pyhooks-option"))
    except SessionError as error:
        raise pytest.UsageError("pyhooks: %s" % error) from None


def _start(session):
    try:
        session.start()
    except SessionError as error:
        raise pytest.UsageError("pyhooks: %s" % error) from None


def _stop(config, session):
    """Unloads with pytest's output capture off, so that what the plugins
    print as they finish (the profiler's summary) reaches the terminal."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        session.stop()
        return
    with capture.global_and_fixture_disabled():
        session.stop()


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    session = _plugin_session(config)
    config._pyhooks_session = session
    if session is None:
        return
    if config.getoption("pyhooks_per_test"):
        # Checked now, before any test: every name loads and every option
        # is accepted (the profiler writes nothing for a profile this short
        # that has no outputs of its own).
        probe = PluginSession(session.names, {
            name: dict(options, output="", svg="", speedscope="", summary="0")
            if name == "profiler" else options
            for name, options in (
                (n, session.options.get(n, {})) for n in session.names)})
        _start(probe)
        probe.stop()
        return
    _start(session)


def pytest_unconfigure(config):
    session = getattr(config, "_pyhooks_session", None)
    if session is not None and session.loaded:
        _stop(config, session)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    session = getattr(item.config, "_pyhooks_session", None)
    if session is None or not item.config.getoption("pyhooks_per_test"):
        yield
        return
    _start(session)
    try:
        yield
    finally:
        _stop(item.config, session)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    plugins = getattr(session.config, "_pyhooks_session", None)
    if plugins is not None and plugins.loaded:
        _stop(session.config, plugins)
