"""Streamlit's private parts, in one place: every workaround that relies on Streamlit internals.

Streamlit is pinned (requirements.txt: streamlit==1.67.0). Nothing else in crm/ imports
streamlit.runtime, streamlit.testing or streamlit.web, reads Streamlit's config module or touches a
private Streamlit attribute (tests/test_architecture.py enforces it). Each workaround below has a
test in tests/ui/test_streamlit_internals.py that fails, naming the workaround, when an upgrade
changes the internal it relies on: run those first after raising the pin.

1. Leaving the "pages directory" mode: `leave_pages_directory_mode()`.
   Why: a `pages/` folder beside streamlit_app.py makes a fresh Streamlit process start in the old
   multipage mode, in which `/visits` runs pages/visits.py alone, without streamlit_app.py: no
   log-in, no roles, no sidebar. Every page reaches this function first (crm.ui.shell.lang), so the
   first run switches the mode off and reruns through streamlit_app.py.
   Relies on: the process-wide class attribute `PagesManager.uses_pages_directory`
   (streamlit.runtime.pages_manager; None until a PagesManager decides, True with a pages/ folder,
   False once st.navigation ran), and the "global.appTest" option read through streamlit.config
   (AppTest patches `config.get_option`, not `st.get_option`) to skip the rerun under AppTest.
   If it changes: a page could again be served without the log-in (the attribute moves or is
   renamed: setting it does nothing), or every AppTest run reruns for ever (the option goes).

2. Per-run storage: `run_context_value(name, read)` / `forget_run_context_value(name)`.
   Why: the language and the signed-in account are asked for dozens of times a run; each
   session-state read takes locks, so they are read once per script run (crm.ui.shell).
   Relies on: `get_script_run_ctx()` (streamlit.runtime.scriptrunner), a ScriptRunContext that
   accepts extra attributes (a plain, unfrozen dataclass without __slots__), and `ctx.cursors`, a
   dict that ScriptRunContext.reset() replaces by a new one at the start of every run (it marks
   which run a kept value belongs to).
   If it changes: setting the attribute raises on every page (frozen or slotted context), or a value
   outlives its run (cursors kept between runs: a language switch or a role change would wait for
   the next session), or every read happens again (cursors replaced more often: only slower).

3. The running app's entry script: `main_script_path()`.
   Why: the per-process caches of st.Page objects (crm.ui.shell.navigation_pages,
   crm.ui.views.page_link) are kept per app, and kept at all only inside a script run.
   Relies on: `ScriptRunContext.main_script_path`.
   If it changes: AttributeError on every page.

4. Reusing a built st.Page for links: `registered_with_navigation(page)`.
   Why: st.page_link given a path resolves it on the disk (realpath) at every call; a Page built
   once skips that, but Streamlit refuses a Page that differs from the one st.navigation registered
   under its URL (navigation.page._validate_registered_page), so one is used only when it matches.
   Relies on: `ctx.pages_manager.get_pages()`, a dict keyed by page hash whose values have
   "script_path", and st.Page's private `_script_hash` (property) and `_page` (its script Path), the
   two Streamlit's own check compares.
   If it changes: AttributeError or KeyError on every page with links, or (a different key) links
   silently fall back to paths (only slower).

5. Streamlit's control-flow exceptions: `is_script_control(exc)`.
   Why: crm.ui.shell.guard turns errors into messages and must let st.rerun / st.stop /
   st.switch_page through. In 1.67 their exceptions (RerunException, StopException in
   streamlit.runtime.scriptrunner_utils.exceptions) derive from BaseException, so `except Exception`
   never catches them; the names are checked in case a version makes them ordinary Exceptions.
   If it changes: a rerun or a stop inside a guarded block would show as an "unexpected error".

6. AppTest patches (tests and the benchmark worker, crm.ui.bench_worker; never the server):
   - `ServerPagesManager` / `patch_apptest_to_rerun_main()`. AppTest sets
     `PagesManager.uses_pages_directory = None` before every run, so each of its runs would enter
     the mode again and run `pages/<x>.py` alone (workaround 1 then applies only within that page,
     with no rerun under AppTest). The patch replaces the `PagesManager` name in
     streamlit.testing.v1.app_test with a subclass that leaves the mode, so every run goes through
     streamlit_app.py as on a server. Relies on AppTest._run looking up the module name
     `PagesManager`. If it changes: the log-in tests and the benchmark run the page alone (no
     log-in, no sidebar) or fail.
   - `share_apptest_script_cache()`. AppTest makes a new ScriptCache per run, so every rerun would
     compile the entry script and the page again, a cost a server pays once. Relies on the module
     name `ScriptCache` in app_test and local_script_runner. If it changes: benchmark timings grow
     with a page's source length again.
   - `join_apptest_script_thread()`. AppTest waits for a run by polling every 1 ms
     (local_script_runner.require_widgets_deltas), which rounds each timing up to whole ticks; the
     patch puts `join_script_thread`, which joins the script thread, in its place. Relies on the
     module function `require_widgets_deltas` (looked up by LocalScriptRunner.run) and the runner's
     private `_script_thread`. If it changes: benchmark timings are rounded up again, or the worker
     fails with AttributeError.
   - `apptest_from_file()` is AppTest.from_file, public API: it is here only so that crm/ reaches
     streamlit.testing through this module alone.

(The former shortcut of Streamlit's leading-emoji regex, crm/ui/speedups.py, which replaced
string_util.extract_leading_emoji, was dropped in the package restructure, commit d490099; nothing
patches streamlit.string_util or source_util any more.)
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

T = TypeVar("T")
SCRIPT_CONTROL_EXCEPTIONS = ("RerunException", "StopException", "SwitchPageException")


# ------------------------------------------------------------------ 1. the pages-directory mode


def leave_pages_directory_mode() -> None:
    """Never let Streamlit run a `pages/x.py` file directly, bypassing streamlit_app.py and its log-in.

    Because a `pages/` folder exists, a fresh Streamlit process starts in the old "pages directory"
    mode (a process-wide flag) and serves `/visits` by running pages/visits.py alone, until some run
    calls `st.navigation`. The first run that gets here switches the flag off and reruns through
    streamlit_app.py (log-in, roles). AppTest resets the flag before each run, so there it only
    switches it off.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        from streamlit import config as st_config  # AppTest patches config.get_option, not st.get_option

        if not st_config.get_option("global.appTest"):
            st.rerun()


# ------------------------------------------------------------------ 2. per-run storage, 3. the entry script


def run_context_value(name: str, read: Callable[[], T]) -> T:
    """`read()` once per script run, kept on the run's context under `name` (a new run has new cursors).

    Outside a script run (no context) it reads every time and keeps nothing.
    """
    ctx = get_script_run_ctx()
    kept = getattr(ctx, name, None)
    if ctx is not None and kept is not None and kept[0] is ctx.cursors:
        return kept[1]
    value = read()
    if ctx is not None:
        setattr(ctx, name, (ctx.cursors, value))
    return value


def forget_run_context_value(name: str) -> None:
    """Drop what `run_context_value(name, …)` kept, so that the next call in this run reads again."""
    ctx = get_script_run_ctx()
    if ctx is not None and hasattr(ctx, name):
        delattr(ctx, name)


def main_script_path() -> str | None:
    """The entry script of the app being run (streamlit_app.py's path); None outside a script run."""
    ctx = get_script_run_ctx()
    return ctx.main_script_path if ctx is not None else None


# ------------------------------------------------------------------ 4. pages registered by st.navigation


def registered_with_navigation(page: st.Page) -> bool:
    """Whether st.navigation registered this very page in the current run: same URL (page hash),
    same script. Only then may st.page_link be given the Page object instead of its path."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    registered = ctx.pages_manager.get_pages().get(page._script_hash)
    if not registered:
        return False
    return registered.get("script_path") == str(page._page)


# ------------------------------------------------------------------ 5. control-flow exceptions


def is_script_control(exc: BaseException) -> bool:
    """Whether `exc` is Streamlit's own way of ending a run (st.rerun, st.stop, st.switch_page)."""
    return type(exc).__name__ in SCRIPT_CONTROL_EXCEPTIONS


# ------------------------------------------------------------------ 6. AppTest patches


def apptest_from_file(script: str, default_timeout: float) -> "AppTest":
    """AppTest.from_file (public API; here so that crm/ reaches Streamlit's submodules through this module only)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(script, default_timeout=default_timeout)


class ServerPagesManager(PagesManager):
    """AppTest's pages manager, out of the old "pages directory" mode as a running server is.

    A `pages/` folder makes Streamlit start in that mode, which a server leaves for good on its first
    run (leave_pages_directory_mode). AppTest resets the flag before every run, so each of its reruns
    would emulate the mode (list pages/, build 23 pages) and then run `pages/<x>.py` alone, without
    streamlit_app.py (no log-in, no sidebar). With this manager every run goes through
    streamlit_app.py and then the page, from the compiled scripts.

    (Once the name is replaced, AppTest's reset `PagesManager.uses_pages_directory = None` sets this
    subclass's attribute and no longer the flag, which Streamlit reads on PagesManager itself; setting
    the flag here is what keeps even the first run out of the mode.)
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def patch_apptest_to_rerun_main(patch: Callable[[Any, str, Any], None] = setattr) -> None:
    """Make AppTest run streamlit_app.py and then the page on every run, as a server does (ServerPagesManager).

    `patch` sets the attribute: pass pytest's `monkeypatch.setattr` to undo it after the test; the
    default (`setattr`) keeps it for the process (the benchmark worker).
    """
    from streamlit.testing.v1 import app_test

    patch(app_test, "PagesManager", ServerPagesManager)


def share_apptest_script_cache() -> None:
    """Keep compiled scripts between AppTest runs, as a Streamlit server does (one ScriptCache per process).

    AppTest makes a new ScriptCache for every run, so each rerun would re-read, re-parse and compile
    the entry script and the page (a few ms for a 150-line page): a cost a running server pays once,
    which would make the timings grow with the page's source length rather than its work.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    # patching a class name in Streamlit's test modules, which their types cannot allow
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[misc, assignment]


def join_script_thread(runner: Any, timeout: float = 3) -> None:
    """AppTest's wait for a script run (local_script_runner.require_widgets_deltas), by joining the
    script thread instead of polling every 1 ms; the same timeout and error."""
    thread = runner._script_thread
    if thread is not None:
        thread.join(timeout)
    if not runner.script_stopped():
        runner.request_stop()
        runner.join()
        raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


def join_apptest_script_thread() -> None:
    """Time an AppTest run to its end, not to the next tick of AppTest's 1 ms polling loop.

    AppTest waits for a script run by sleeping 1 ms and looking again, so every timing was rounded up
    to whole ticks of ~1.1 ms: on a 2 ms floor that is half the figure. Joining the script thread
    (which emits its last event just before it ends) ends the wait when the run does.
    """
    from streamlit.testing.v1 import local_script_runner

    local_script_runner.require_widgets_deltas = join_script_thread
