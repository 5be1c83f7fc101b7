"""One test per workaround in crm/ui/streamlit_internals.py: each fails, naming the workaround and what
changed, when a Streamlit upgrade moves the internal it relies on. Run these first after raising the pin."""

import dataclasses
import inspect
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from crm.ui import streamlit_internals
from tests.support.apptest import errors, open_page, rerun_through_main


def _app(tmp_path: Path, source: str, pages: dict[str, str] | None = None) -> str:
    """A throwaway app: `app.py` (with `source`) and, if given, a pages/ folder of these scripts."""
    (tmp_path / "app.py").write_text(source, encoding="utf-8")
    for name, text in (pages or {}).items():
        (tmp_path / "pages").mkdir(exist_ok=True)
        (tmp_path / "pages" / f"{name}.py").write_text(text, encoding="utf-8")
    return str(tmp_path / "app.py")


def _markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def _names_used(function) -> set[str]:
    """The global and attribute names a function's own code looks up."""
    return set(function.__code__.co_names)


# ------------------------------------------------------------------ 1. the pages-directory mode


def test_pages_directory_mode_can_still_be_left(tmp_path, monkeypatch):
    """Workaround 1, leave_pages_directory_mode: PagesManager.uses_pages_directory and "global.appTest"."""
    from streamlit import config as st_config

    assert "uses_pages_directory" in vars(PagesManager), (
        "leave_pages_directory_mode: PagesManager.uses_pages_directory is gone; find how this Streamlit "
        "decides to serve pages/x.py without streamlit_app.py (the log-in) and switch that off instead")
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(_app(tmp_path, "", {"visits": ""}), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True, (
        "leave_pages_directory_mode: a pages/ folder no longer sets PagesManager.uses_pages_directory; "
        "check whether this Streamlit still runs pages/x.py alone (then fix the workaround) or not (then drop it)")
    try:
        st_config.get_option("global.appTest")
    except RuntimeError as exc:
        raise AssertionError("leave_pages_directory_mode: the config option global.appTest is gone; under "
                             "AppTest the workaround would rerun on every run") from exc

    script = _app(tmp_path, "import streamlit as st\nfrom streamlit.runtime.pages_manager import PagesManager\n"
                            "from crm.ui.streamlit_internals import leave_pages_directory_mode\n"
                            "st.markdown(f'before {PagesManager.uses_pages_directory}')\n"
                            "leave_pages_directory_mode()\n"
                            "st.markdown(f'after {PagesManager.uses_pages_directory}')\n")
    at = streamlit_internals.apptest_from_file(script, default_timeout=30)
    at.run()
    assert errors(at) == [] and _markdown(at) == ["before True", "after False"], (
        f"leave_pages_directory_mode: under AppTest with a pages/ folder it drew {_markdown(at)} {errors(at)}")


# ------------------------------------------------------------------ 2. per-run storage, 3. the entry script


def test_the_run_context_still_holds_values_for_one_run(tmp_path):
    """Workaround 2, run_context_value / forget_run_context_value: extra attributes on ScriptRunContext, ctx.cursors."""
    from streamlit.runtime.scriptrunner import ScriptRunContext

    params = ScriptRunContext.__dataclass_params__
    assert dataclasses.is_dataclass(ScriptRunContext) and not params.frozen and "__slots__" not in vars(ScriptRunContext), (
        "run_context_value: ScriptRunContext no longer accepts extra attributes (frozen or slotted); keep the "
        "per-run values elsewhere (e.g. a dict keyed by the run)")
    fields = {f.name for f in dataclasses.fields(ScriptRunContext)}
    assert {"cursors", "main_script_path", "pages_manager"} <= fields, (
        f"run_context_value / main_script_path / registered_with_navigation: ScriptRunContext lost "
        f"{ {'cursors', 'main_script_path', 'pages_manager'} - fields}")

    # A server keeps one context per session and resets it at the start of each run (AppTest makes a
    # new one per run): the reset here stands for the next run of a server.
    script = _app(tmp_path, "import streamlit as st\nfrom streamlit.runtime.scriptrunner import get_script_run_ctx\n"
                            "from crm.ui.streamlit_internals import forget_run_context_value, run_context_value\n"
                            "def read():\n"
                            "    st.session_state['reads'] = st.session_state.get('reads', 0) + 1\n"
                            "    return st.session_state['reads']\n"
                            "first = run_context_value('_liaison_test_value', read)\n"
                            "again = run_context_value('_liaison_test_value', read)\n"
                            "forget_run_context_value('_liaison_test_value')\n"
                            "forgotten = run_context_value('_liaison_test_value', read)\n"
                            "ctx = get_script_run_ctx()\n"
                            "ctx.reset(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash)\n"
                            "next_run = run_context_value('_liaison_test_value', read)\n"
                            "st.markdown(f'{first} {again} {forgotten} {next_run}')\n")
    at = streamlit_internals.apptest_from_file(script, default_timeout=30)
    at.run()
    assert errors(at) == [] and _markdown(at) == ["1 1 2 3"], (
        "run_context_value: within one run it should read once, again after forgetting, and again once the "
        f"context is reset for the next run (ScriptRunContext.reset replacing ctx.cursors): {_markdown(at)} {errors(at)}")
    at.run()
    assert _markdown(at) == ["4 4 5 6"], f"run_context_value: a new AppTest run should read again: {_markdown(at)}"
    assert streamlit_internals.run_context_value("_liaison_test_value", lambda: "outside") == "outside"


def test_the_run_context_still_knows_the_entry_script(tmp_path):
    """Workaround 3, main_script_path: ScriptRunContext.main_script_path."""
    script = _app(tmp_path, "import streamlit as st\nfrom crm.ui.streamlit_internals import main_script_path\n"
                            "st.markdown(repr(main_script_path()))\n")
    at = streamlit_internals.apptest_from_file(script, default_timeout=30)
    at.run()
    assert errors(at) == [] and _markdown(at) == [repr(script)], (
        f"main_script_path: ctx.main_script_path is no longer the entry script: {_markdown(at)} {errors(at)}")
    assert streamlit_internals.main_script_path() is None


# ------------------------------------------------------------------ 4. pages registered by st.navigation


def test_a_page_registered_by_navigation_can_still_be_recognised(tmp_path):
    """Workaround 4, registered_with_navigation: st.Page._script_hash, st.Page._page, get_pages()[hash]["script_path"]."""
    from streamlit.navigation.page import StreamlitPage

    assert isinstance(inspect.getattr_static(StreamlitPage, "_script_hash", None), property), (
        "registered_with_navigation: st.Page has no `_script_hash` property any more (the key of the pages "
        "st.navigation registered)")
    assert "_page" in inspect.getsource(StreamlitPage.__init__), (
        "registered_with_navigation: st.Page no longer keeps its script in `_page`")

    script = _app(tmp_path, "import streamlit as st\nfrom streamlit.runtime.scriptrunner import get_script_run_ctx\n"
                            "from crm.ui.streamlit_internals import registered_with_navigation\n"
                            "st.navigation([st.Page('pages/a.py', url_path='a'), st.Page('pages/b.py', url_path='b')],"
                            " position='hidden')\n"
                            "registered = get_script_run_ctx().pages_manager.get_pages()\n"
                            "st.markdown(str(all('script_path' in info for info in registered.values())))\n"
                            "st.markdown(str(registered_with_navigation(st.Page('pages/a.py', url_path='a'))))\n"
                            "st.markdown(str(registered_with_navigation(st.Page('pages/b.py', url_path='a'))))\n"
                            "st.markdown(str(registered_with_navigation(st.Page('pages/a.py', url_path='c'))))\n",
                 {"a": "", "b": ""})
    at = streamlit_internals.apptest_from_file(script, default_timeout=30)
    at.run()
    assert errors(at) == [], f"registered_with_navigation: {errors(at)}"
    assert _markdown(at) == ["True", "True", "False", "False"], (
        "registered_with_navigation: expected [every registered page has a script_path, the same page is "
        f"registered, another script under its URL is not, an unregistered URL is not], got {_markdown(at)}")


def test_links_reuse_the_pages_navigation_registered(tmp_path, monkeypatch):
    """Workaround 4 in use: crm.ui.views.page_link hands st.page_link the Page objects st.navigation registered."""
    from crm.ui import views

    answers = []
    real = views.registered_with_navigation
    monkeypatch.setattr(views, "registered_with_navigation", lambda page: answers.append(real(page)) or answers[-1])
    script = _app(tmp_path, "import streamlit as st\nfrom crm.ui.views import page_link\n"
                            "st.navigation([st.Page('pages/timeline.py', url_path='timeline')], position='hidden')\n"
                            "page_link('timeline', 'Timeline', current='en')\n"
                            "page_link('timeline', 'Timeline again', current='en')\n",
                  {"timeline": ""})
    at = streamlit_internals.apptest_from_file(script, default_timeout=30)
    at.run()
    assert errors(at) == [], f"crm.ui.views.page_link: {errors(at)}"
    assert answers == [True, True], (
        f"registered_with_navigation: page_link's Page was not recognised as registered ({answers}): links fall "
        "back to paths")


# ------------------------------------------------------------------ 5. control-flow exceptions


def test_streamlit_control_flow_still_passes_through_guard():
    """Workaround 5, is_script_control: RerunException / StopException and what they derive from."""
    from streamlit.runtime.scriptrunner_utils import exceptions
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    from crm.ui.shell import guard

    for name in ("RerunException", "StopException"):
        cls = getattr(exceptions, name, None)
        assert cls is not None, f"is_script_control: streamlit has no {name} any more; update SCRIPT_CONTROL_EXCEPTIONS"
        assert name in streamlit_internals.SCRIPT_CONTROL_EXCEPTIONS
        exc = cls(RerunData()) if name == "RerunException" else cls()
        assert streamlit_internals.is_script_control(exc)
        with pytest.raises(cls), guard():  # crm.ui.shell.guard must never swallow st.rerun / st.stop
            raise exc
    assert not streamlit_internals.is_script_control(ValueError())


# ------------------------------------------------------------------ 6. AppTest patches


def test_apptest_still_resets_the_pages_directory_mode_through_its_pages_manager_name():
    """Workaround 6, ServerPagesManager / patch_apptest_to_rerun_main: app_test.PagesManager."""
    from streamlit.testing.v1 import app_test

    assert getattr(app_test, "PagesManager", None) is PagesManager, (
        "patch_apptest_to_rerun_main: streamlit.testing.v1.app_test has no PagesManager name to replace any more")
    used = _names_used(app_test.AppTest._run)
    assert "PagesManager" in used, (
        "patch_apptest_to_rerun_main: AppTest._run no longer builds its pages manager from the module name "
        "PagesManager, so ServerPagesManager is never used")
    assert "uses_pages_directory" in used, (
        "patch_apptest_to_rerun_main: AppTest no longer resets uses_pages_directory; check whether its "
        "reruns now go through streamlit_app.py by themselves (then drop ServerPagesManager)")
    assert issubclass(streamlit_internals.ServerPagesManager, PagesManager)


def test_every_apptest_run_goes_through_the_app_with_the_patch(sqlite_url, monkeypatch):
    """Workaround 6 in the app: with the patch, the first run and the next draw streamlit_app.py's sidebar."""
    rerun_through_main(monkeypatch)
    at = open_page("visits", "en")
    for run in ("first", "second"):
        if run == "second":
            at.run()
        assert errors(at) == [] and at.title[0].value == "Visits received"
        assert [box for box in at.sidebar.selectbox if box.key == "_lang_choice"], (
            f"patch_apptest_to_rerun_main: the {run} AppTest run ran pages/visits.py alone (no language "
            "selector from streamlit_app.py in the sidebar)")


def test_apptest_still_builds_its_script_cache_through_module_names(tmp_path, monkeypatch):
    """Workaround 6, share_apptest_script_cache: app_test.ScriptCache and local_script_runner.ScriptCache."""
    from streamlit.testing.v1 import app_test, local_script_runner

    for module, function in ((app_test, app_test.AppTest._run),
                             (local_script_runner, local_script_runner.LocalScriptRunner.__init__)):
        assert hasattr(module, "ScriptCache") and "ScriptCache" in _names_used(function), (
            f"share_apptest_script_cache: {function.__qualname__} no longer builds its cache from "
            f"{module.__name__}.ScriptCache; the benchmark would compile every script at every run")
        monkeypatch.setattr(module, "ScriptCache", module.ScriptCache)  # undone after the test
    streamlit_internals.share_apptest_script_cache()
    assert app_test.ScriptCache() is local_script_runner.ScriptCache()
    at = streamlit_internals.apptest_from_file(_app(tmp_path, "import streamlit as st\nst.markdown('ran')\n"), 30)
    at.run()
    at.run()
    assert errors(at) == [] and _markdown(at) == ["ran"], f"share_apptest_script_cache: {_markdown(at)} {errors(at)}"


def test_apptest_still_waits_through_require_widgets_deltas_on_a_script_thread(tmp_path, monkeypatch):
    """Workaround 6, join_apptest_script_thread: local_script_runner.require_widgets_deltas, runner._script_thread."""
    from streamlit.testing.v1 import local_script_runner

    real = getattr(local_script_runner, "require_widgets_deltas", None)
    assert real is not None and "require_widgets_deltas" in _names_used(local_script_runner.LocalScriptRunner.run), (
        "join_apptest_script_thread: LocalScriptRunner.run no longer waits through "
        "local_script_runner.require_widgets_deltas; find its new wait to time runs exactly")
    assert list(inspect.signature(real).parameters) == ["runner", "timeout"], (
        f"join_apptest_script_thread: require_widgets_deltas now takes {inspect.signature(real)}")
    monkeypatch.setattr(local_script_runner, "require_widgets_deltas", real)  # undone after the test
    streamlit_internals.join_apptest_script_thread()
    joined = []

    def recording(runner, timeout: float = 3) -> None:
        joined.append(getattr(runner, "_script_thread", "missing"))
        streamlit_internals.join_script_thread(runner, timeout)

    assert local_script_runner.require_widgets_deltas is streamlit_internals.join_script_thread
    monkeypatch.setattr(local_script_runner, "require_widgets_deltas", recording)
    at = streamlit_internals.apptest_from_file(_app(tmp_path, "import streamlit as st\nst.markdown('ran')\n"), 30)
    at.run()
    assert errors(at) == [] and _markdown(at) == ["ran"]
    assert joined and isinstance(joined[0], threading.Thread), (
        f"join_apptest_script_thread: the runner's `_script_thread` is {joined[0] if joined else 'never asked'}, "
        "not the script's thread")
    assert not joined[0].is_alive()


def test_the_module_documents_every_workaround():
    doc = streamlit_internals.__doc__ or ""
    public = [name for name, value in vars(streamlit_internals).items() if not name.startswith("_")
              and callable(value) and getattr(value, "__module__", "") == streamlit_internals.__name__]
    missing = [name for name in public if f"`{name}" not in doc]
    assert public and not missing, f"crm/ui/streamlit_internals.py: say in the docstring what {missing} work around"
    assert f"streamlit=={st.__version__}" in doc, (
        f"Streamlit is now {st.__version__}: once the tests of this file pass, say so in the docstring of "
        "crm/ui/streamlit_internals.py (and fix what they found)")
