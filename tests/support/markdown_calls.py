"""Which texts handed to Streamlit's Markdown could hold user text not passed through `crm.ui.shell.plain`.

Streamlit draws Markdown (and its `:color[]`, `:material/…:` and `$…$` directives) in st.markdown, st.caption,
st.write, titles and headers, alerts and toasts, and in the label and help of every widget, expander, tab,
popover and link, and in the options of radios and button groups. `unproven(source, name)` lists each such
text that is not provably made of:

- constants, `plain(...)`, `tr(...)`/`t(...)` whose parameters are themselves proven, f-strings, `+`,
  `a if c else b`, `x or y` and `" · ".join(...)` of proven parts;
- app-made values: counts, rounded numbers, dates and times formatted by the app (APP_MADE);
- a local name every assignment of which (in its function) is proven; a loop variable over constants.

Anything else — a parameter, an attribute, a dict lookup, a call to something else — is unproven: wrap it in
`plain()`, or, for text that is catalog-only by construction, name it in the caller's allow-list with a reason.
"""

import ast

MARKDOWN_CALLS = frozenset({
    "markdown", "caption", "write", "title", "header", "subheader", "info", "warning", "error", "success", "toast",
    "exception", "expander", "tabs", "radio", "popover", "button", "page_link", "link_button", "form_submit_button",
    "download_button", "checkbox", "toggle", "text_input", "text_area", "number_input", "date_input", "time_input",
    "selectbox", "multiselect", "select_slider", "slider", "file_uploader", "color_picker", "metric", "status",
    "pills", "segmented_control", "spinner", "chat_input", "data_editor_label", "feedback"})
MARKDOWN_OPTIONS = frozenset({"radio", "pills", "segmented_control"})  # their options are Markdown too
TEXT_KEYWORDS = ("label", "help", "body", "text")
NOT_STREAMLIT = frozenset({"log", "logger", "logging", "warnings"})
CATALOG = frozenset({"tr", "t"})
APP_MADE = frozenset({"plain", "len", "round", "int", "local_time", "day_text", "partial_day", "partial_shown",
                      "date_text", "min_length", "idle_minutes", "label"})  # `label`: a Period's name, from the catalog
NUMBER_PARAMS = frozenset({"n", "total", "page", "pages", "shown", "version", "id", "code", "lat", "lon", "cities",
                           "active", "postponed", "cancelled", "at", "min", "minutes", "rows", "blank", "header",
                           "score"})  # catalog placeholders that hold a number, a time or an id, never a name
KEEPS_TEXT = frozenset({"capitalise", "upper", "lower", "strip"})  # proven if what they change is proven


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _called(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _own_nodes(owner: ast.AST):
    """The nodes of a function (or the module) without those of the functions defined inside it."""
    todo = list(ast.iter_child_nodes(owner))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


class _Scope:
    """The assignments and parameters of one function (or the module), for following a name to its values; a
    parameter is followed to what every call of its function in the same file passes (`calls`)."""

    def __init__(self, owner: ast.AST, calls: dict[str, list[ast.Call]], outer: "_Scope | None" = None) -> None:
        self.values: dict[str, list[ast.expr | None]] = {}
        self.outer = outer
        if isinstance(owner, ast.FunctionDef | ast.AsyncFunctionDef):
            args = owner.args
            positional = [*args.posonlyargs, *args.args]
            defaults = dict(zip([a.arg for a in positional][len(positional) - len(args.defaults):], args.defaults,
                                strict=True))
            defaults |= {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None}
            for index, arg in enumerate([*positional, *args.kwonlyargs]):
                callers = calls.get(owner.name, [])
                passed: list[ast.expr | None] = [defaults[arg.arg]] if arg.arg in defaults and callers else []
                for call in callers:
                    given = {k.arg: k.value for k in call.keywords}
                    if arg.arg in given:
                        passed.append(given[arg.arg])
                    elif index < len(positional) and index < len(call.args):
                        passed.append(call.args[index])
                    elif arg.arg not in defaults:
                        passed.append(None)
                self.values[arg.arg] = passed or [None]
        for sub in _own_nodes(owner):
            if isinstance(sub, ast.Assign):
                for target in sub.targets:
                    self._bind(target, sub.value)
            elif isinstance(sub, ast.AnnAssign | ast.AugAssign | ast.NamedExpr) and sub.value is not None:
                self._bind(sub.target, sub.value)
            elif isinstance(sub, ast.For | ast.comprehension):
                over = sub.iter
                constant = isinstance(over, ast.Tuple | ast.List) and all(isinstance(e, ast.Constant) for e in over.elts)
                self._bind(sub.target, ast.Constant("") if constant else None)

    def lookup(self, name: str) -> list[ast.expr | None] | None:
        if name in self.values:
            return self.values[name]
        return self.outer.lookup(name) if self.outer is not None else None

    def _bind(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.values.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            parts = value.elts if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts) \
                else [None] * len(target.elts)
            for sub, part in zip(target.elts, parts, strict=True):
                self._bind(sub, part)


def _proven(node: ast.expr | None, scope: _Scope, seen: frozenset[str] = frozenset()) -> bool:
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_proven(v, scope, seen) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return _proven(node.value, scope, seen)
    if isinstance(node, ast.IfExp):
        return _proven(node.body, scope, seen) and _proven(node.orelse, scope, seen)
    if isinstance(node, ast.BoolOp):
        return all(_proven(v, scope, seen) for v in node.values)
    if isinstance(node, ast.BinOp):
        numeric = any(isinstance(side, ast.Constant) and isinstance(side.value, int) for side in (node.left, node.right))
        return numeric or (_proven(node.left, scope, seen) and _proven(node.right, scope, seen))
    if isinstance(node, ast.GeneratorExp | ast.ListComp):
        return _proven(node.elt, scope, seen)
    if isinstance(node, ast.Call):
        name = _called(node.func)
        if name in CATALOG:
            return all(k.arg is not None and (k.arg in NUMBER_PARAMS or _proven(k.value, scope, seen))
                       for k in node.keywords)
        if name in APP_MADE:
            return True
        if name in KEEPS_TEXT:
            target = node.func.value if isinstance(node.func, ast.Attribute) and name != "capitalise" else \
                (node.args[0] if node.args else None)
            return _proven(target, scope, seen)
        if name == "join" and isinstance(node.func, ast.Attribute):
            return _proven(node.func.value, scope, seen) and all(_proven(a, scope, seen) for a in node.args)
        return False
    if isinstance(node, ast.Name) and node.id not in seen:
        values = scope.lookup(node.id)
        return bool(values) and all(_proven(v, scope, seen | {node.id}) for v in values)
    return False


def _texts(call: ast.Call, method: str) -> list[ast.expr]:
    """The arguments of a Streamlit call that are drawn as Markdown."""
    given = {k.arg: k.value for k in call.keywords if k.arg}
    texts = [given[k] for k in TEXT_KEYWORDS if k in given]
    if method == "write":
        texts += call.args
    elif method == "tabs" and call.args and isinstance(call.args[0], ast.List | ast.Tuple):
        texts += call.args[0].elts
    elif method == "tabs" and call.args:
        texts.append(call.args[0])
    elif method != "page_link" and call.args and "label" not in given and "body" not in given:
        texts.append(call.args[0])  # (a page link's first argument is its page; its text is `label=`)
    if method in MARKDOWN_OPTIONS:
        options = call.args[1] if len(call.args) > 1 else given.get("options")
        texts += [t for t in (given.get("format_func", options),) if t is not None]
    return texts


def _option_labels(node: ast.expr, scope: _Scope) -> bool:
    """A format_func `labels.__getitem__` / `labels.get` of a local dict whose values are proven."""
    if isinstance(node, ast.Attribute) and node.attr in ("__getitem__", "get") and isinstance(node.value, ast.Name):
        values = scope.lookup(node.value.id) or [None]
        for value in values:
            if isinstance(value, ast.DictComp):
                if not _proven(value.value, scope):
                    return False
            elif isinstance(value, ast.Dict):
                if not all(_proven(v, scope) for v in value.values):
                    return False
            else:
                return False
        return True
    return _proven(node, scope)


def _app_modules(tree: ast.Module) -> frozenset[str]:
    """Names the file binds to crm's own modules outside crm.ui (`from crm.records import list_rows`): their
    `header()` or `title()` is the app's, not Streamlit's."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("crm") \
                and not node.module.startswith("crm.ui"):
            names |= {alias.asname or alias.name for alias in node.names}
    return frozenset(names)


def unproven(source: str, name: str) -> list[str]:
    """`name:line method: text` for each Markdown text of a Streamlit call not proven free of raw user text."""
    tree = ast.parse(source)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    calls: dict[str, list[ast.Call]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.setdefault(node.func.id, []).append(node)
    module = _Scope(tree, calls)
    scopes: dict[int, _Scope] = {}
    not_streamlit = NOT_STREAMLIT | _app_modules(tree)

    def scope_of(node: ast.AST) -> _Scope:
        inner = [f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
        if not inner:
            return module
        owner = max(inner, key=lambda f: f.lineno)
        if id(owner) not in scopes:
            scopes[id(owner)] = _Scope(owner, calls, module)
        return scopes[id(owner)]

    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in MARKDOWN_CALLS or _root(node.func) in not_streamlit or not (node.args or node.keywords):
            continue
        scope = scope_of(node)
        for text in _texts(node, method):
            if not _option_labels(text, scope):
                found.append(f"{name}:{node.lineno} {method}: {ast.unparse(text)}")
    return found
