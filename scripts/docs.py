"""Build the documentation site from nbs/, the way nbdev would, but with mkdocs instead of quarto.

    .venv/bin/python scripts/docs.py [--out _docs] [--no-execute] [--no-cache]

1. Every notebook under nbs/ (names starting with `_` or `.` are skipped) is processed into _proc/docs/, mirroring
   the tree, with nbdev's page names (`collect/13_jobs.ipynb` -> `collect/jobs.ipynb`):
   `#| hide` cells and `#| default_exp` cells are hidden, `#|` directives are stripped, and each `#| export`
   cell becomes an API entry (signature, docstring, parameter table, collapsed source) for every public function
   and class it defines, like nbdev's `show_doc`. The hidden and exported code stays in the notebook, tagged so
   that the page leaves it out, so the cells below still run.
   Stage notebooks (nbs/stages) get a table of their parameters and are not executed; tutorials keep their stored
   outputs. The other notebooks are executed with nbclient (2 at a time; results are cached by content).
2. The nav is generated from the nbs/ tree (numeric prefixes give the order, folders become sections, titles are
   each notebook's first H1), merged into the base config mkdocs.yml and written to _proc/mkdocs.yml.
3. `mkdocs build` writes the site to --out (default _docs). docs_assets/ (CSS, the search shim for file://, the
   theme override) goes with it. The generated config also loads this file as a mkdocs hook module (`on_config`,
   `on_page_content`: tables in lists, unique heading ids, `name` in the text linked to its API entry).
"""
from __future__ import annotations

import argparse
import ast
import copy
import dataclasses
import hashlib
import html
import importlib
import inspect
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tokenize
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / 'nbs'
PROC = ROOT / '_proc'
DOCS = PROC / 'docs'
ASSETS = ROOT / 'docs_assets'
CACHE = PROC / '.cache'
SYMBOLS = PROC / 'symbols.json'  # documented name -> page.html#name, for the links of `name` in the text
LIB = 'tweetnb'
STAGES, TUTORIALS = 'stages', 'tutorials'
NOT_RUN = (STAGES, TUTORIALS)  # folders of nbs/ whose notebooks are shown as stored, not executed
WORKERS = 2
CELL_TIMEOUT = 600
CACHE_VERSION = 2  # bump when the way notebooks are run changes, so that cached results are not reused
SIG_WIDTH = 70  # signatures longer than this get one parameter per line

# cell tags that the page (mkdocs-jupyter's TagRemovePreprocessor) leaves out
TAG_REMOVE, TAG_NO_INPUT, TAG_NO_OUTPUT = 'docs-remove', 'docs-remove-input', 'docs-remove-output'

DIRECTIVE = re.compile(r'^\s*#\s*\|\s*([\w-]+:?)\s*(.*?)\s*$')
NUM_PREFIX = re.compile(r'^(\d+)[_-](.+)$')


def log(msg: str):
    "Print a progress line of the build."
    print(f'docs: {msg}', flush=True)


# ---------------------------------------------------------------------------------------------------------------
# the notebooks and their pages


@dataclasses.dataclass
class Page:
    "One notebook of nbs/ and the page it becomes."
    src: Path  # the notebook in nbs/
    rel: Path  # its path under nbs/
    out: Path  # the processed notebook's path under _proc/docs/
    title: str
    kind: str  # home | library | stage | tutorial

    @property
    def executed(self) -> bool:
        "Whether the notebook is run for the docs."
        return self.kind in ('home', 'library')


def visible(p: Path) -> bool:
    "Whether a file or folder of nbs/ takes part in the docs (names starting with `_` or `.` do not)."
    return not p.name.startswith(('_', '.'))


def page_name(name: str) -> str:
    "The page name nbdev gives a notebook: its numeric prefix dropped (`13_jobs.ipynb` -> `jobs.ipynb`)."
    m = NUM_PREFIX.match(name)
    return m.group(2) if m else name


def first_h1(nb) -> str | None:
    "The text of the notebook's first `# heading`, if any."
    for cell in nb.cells:
        if cell.cell_type == 'markdown':
            for line in cell.source.splitlines():
                if line.startswith('# '):
                    return line[2:].strip()
    return None


def find_pages() -> list[Page]:
    "Every visible notebook under nbs/, with its page path, title and kind."
    pages = []
    for src in sorted(NBS.rglob('*.ipynb')):
        rel = src.relative_to(NBS)
        if not all(visible(Path(part)) for part in rel.parts) or '.ipynb_checkpoints' in rel.parts:
            continue
        name = page_name(src.name)
        if name != src.name and (src.parent / name).exists():
            name = src.name  # stripping the prefix would collide with another notebook
        top = rel.parts[0] if len(rel.parts) > 1 else ''
        kind = {STAGES: 'stage', TUTORIALS: 'tutorial'}.get(top, 'library')
        if rel == Path('index.ipynb'):
            kind = 'home'
        nb = nbformat.read(src, as_version=4)
        pages.append(Page(src, rel, rel.parent / name, first_h1(nb) or src.stem, kind))
    outs = [p.out for p in pages]
    dups = {o for o in outs if outs.count(o) > 1}
    if dups:
        raise SystemExit(f'docs: two notebooks would become the same page: {sorted(map(str, dups))}')
    return pages


# ---------------------------------------------------------------------------------------------------------------
# directives


def split_directives(source: str) -> tuple[dict, str]:
    "The `#|` directives leading a cell ({name: args}) and the cell's source with every directive line removed."
    lines = source.splitlines()
    found, leading = {}, True
    for line in lines:
        m = DIRECTIVE.match(line)
        if leading and m:
            found[m.group(1).rstrip(':')] = m.group(2)
        elif leading and line.strip():
            leading = False
    body = '\n'.join(line for line in lines if not DIRECTIVE.match(line)).strip('\n')
    return found, body


def test_flags() -> set[str]:
    "nbdev's `tst_flags` of settings.ini: cells flagged with them (like `#| slow`) are not run, as in nbdev_test."
    ini = (ROOT / 'settings.ini').read_text() if (ROOT / 'settings.ini').exists() else ''
    m = re.search(r'^tst_flags\s*=\s*(.*)$', ini, re.M)
    return set(m.group(1).split()) if m else set()


# ---------------------------------------------------------------------------------------------------------------
# small HTML helpers: an API entry is one HTML block without blank lines, so the notebook's markdown keeps it whole


def inline_md(text: str) -> str:
    "HTML for a line of markdown that uses only `code`, **bold** and *italics*."
    out = []
    for i, part in enumerate(re.split(r'(`[^`]*`)', text or '')):
        if i % 2:
            out.append(f'<code>{html.escape(part[1:-1])}</code>')
        else:
            part = html.escape(part, quote=False)
            part = re.sub(r'\*\*(.+?)\*\*', r'<strong>\1</strong>', part)
            out.append(re.sub(r'(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])', r'<em>\1</em>', part))
    return ''.join(out)


def one_block(fragment: str) -> str:
    "HTML without blank lines: newlines inside <pre> become `&#10;`, empty lines go."
    fragment = re.sub(r'<pre\b.*?</pre>', lambda m: m.group(0).replace('\n', '&#10;'), fragment, flags=re.S)
    return '\n'.join(line for line in fragment.splitlines() if line.strip())


def code_html(code: str, cls: str = '') -> str:
    "Python source highlighted by pygments, in the `highlight` markup that the theme colours."
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    body = highlight(code, PythonLexer(), HtmlFormatter(nowrap=True)).rstrip('\n')
    return f'<div class="highlight {cls}"><pre><code>{body}</code></pre></div>'


def docstring_html(doc: str | None) -> str:
    "A docstring (markdown) as HTML."
    if not doc:
        return ''
    import markdown

    body = markdown.markdown(inspect.cleandoc(doc), extensions=['fenced_code', 'tables'])
    return f'<div class="tnb-doc">{body}</div>'


def html_table(cls: str, header: list[str], rows: list[list[str]]) -> str:
    "An HTML table; the cells are HTML already."
    head = ''.join(f'<th>{h}</th>' for h in header)
    body = ''.join('<tr>' + ''.join(f'<td>{c}</td>' for c in row) + '</tr>' for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def code_or_blank(text: str) -> str:
    "`text` as inline code, or nothing."
    return f'<code>{html.escape(text)}</code>' if text else ''


# ---------------------------------------------------------------------------------------------------------------
# API entries (nbdev's show_doc)


def slug(name: str) -> str:
    "The id mkdocs-jupyter gives a heading (lower case, punctuation dropped)."
    return re.sub(r'[-\s]+', '-', re.sub(r'[^\w\s-]', '', name).strip().lower())


def fmt_annotation(anno) -> str:
    "An annotation as written (string annotations, from `from __future__ import annotations`, stay as they are)."
    if anno is inspect.Parameter.empty or anno is None:
        return ''
    return anno if isinstance(anno, str) else inspect.formatannotation(anno)


def fmt_default(default, name: str, owner=None) -> str:
    "A default value as a short expression; a dataclass field's factory shows as `factory()`."
    if default is inspect.Parameter.empty:
        return ''
    if repr(default) == '<factory>' and dataclasses.is_dataclass(owner):
        factory = owner.__dataclass_fields__[name].default_factory
        return f"{getattr(factory, '__name__', 'factory')}()"
    text = repr(default)
    return text if len(text) <= 60 else text[:57] + '...'


def param_texts(sig: inspect.Signature, owner=None) -> list[str]:
    "The parameters of a signature as source text, with `/` and `*` markers where Python needs them."
    out, star = [], False
    params = list(sig.parameters.values())
    for i, p in enumerate(params):
        if p.kind == p.KEYWORD_ONLY and not star:
            out.append('*')
            star = True
        prefix = {p.VAR_POSITIONAL: '*', p.VAR_KEYWORD: '**'}.get(p.kind, '')
        star = star or p.kind == p.VAR_POSITIONAL
        text = prefix + p.name
        anno = fmt_annotation(p.annotation)
        default = fmt_default(p.default, p.name, owner)
        if anno:
            text += f': {anno}' + (f' = {default}' if default else '')
        elif default:
            text += f'={default}'
        out.append(text)
        last_positional = p.kind == p.POSITIONAL_ONLY and (i + 1 == len(params) or params[i + 1].kind != p.kind)
        if last_positional:
            out.append('/')
    return out


def fmt_signature(prefix: str, params: list[str], ret: str = '') -> str:
    "`prefix(params) -> ret`, one parameter per line when it is too long for one."
    tail = f' -> {ret}' if ret else ''
    one = f"{prefix}({', '.join(params)}){tail}"
    if len(one) <= SIG_WIDTH or not params:
        return one
    body = ''.join(f'    {p},\n' for p in params)
    return f'{prefix}(\n{body}){tail}'


def drop_first(sig: inspect.Signature) -> inspect.Signature:
    "A method's signature without `self`."
    return sig.replace(parameters=list(sig.parameters.values())[1:])


def own_init(cls) -> bool:
    "Whether the class (or a Python base) defines `__init__`, so that its signature means something."
    for klass in cls.__mro__[:-1]:
        init = klass.__dict__.get('__init__')
        if init is not None:
            return inspect.isfunction(init)
    return False


def params_table(obj, sig: inspect.Signature, owner=None, only_documented: bool = False) -> str:
    "The parameter table of a function or class from `fastcore.docments.docments(obj, full=True)`."
    from fastcore.docments import docments

    try:
        docs = docments(obj, full=True)
    except Exception:  # no source to read the comments from
        docs = {}
    rows = []
    for p in sig.parameters.values():
        d = docs.get(p.name) or {}
        name = {p.VAR_POSITIONAL: '*', p.VAR_KEYWORD: '**'}.get(p.kind, '') + p.name
        note = d.get('docment') or ''
        rows.append([f'<code class="tnb-name">{html.escape(name)}</code>', code_or_blank(fmt_annotation(p.annotation)),
                     code_or_blank(fmt_default(p.default, p.name, owner)), inline_md(note)])
    ret = docs.get('return') or {}
    if ret.get('docment') or (rows and fmt_annotation(sig.return_annotation)):
        rows.append(['<strong>Returns</strong>', code_or_blank(fmt_annotation(sig.return_annotation)), '',
                     inline_md(ret.get('docment') or '')])
    documented = any(r[3] for r in rows)
    if not rows or (only_documented and not documented):
        return ''
    if not documented:  # no docments: no empty column
        return html_table('tnb-params tnb-nodesc', ['Parameter', 'Type', 'Default'], [r[:3] for r in rows])
    return html_table('tnb-params', ['Parameter', 'Type', 'Default', 'Description'], rows)


def heading(name: str, level: int) -> str:
    "The markdown heading of an entry, with an anchor whose id is exactly the name."
    anchor = '' if slug(name) == name else f'<a id="{html.escape(name)}" class="tnb-anchor"></a>\n\n'
    text = name.replace('_', '\\_')  # not emphasis
    return f"{anchor}{'#' * level} {text}\n\n"


def signature_of(obj, node, name: str, method: bool = False) -> tuple[str, inspect.Signature | None]:
    "The signature text of a function (from the live object, or the source if it is missing) and the Signature."
    prefix = ('async ' if isinstance(node, ast.AsyncFunctionDef) else '') + name
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        args = ast.unparse(node.args)
        if method:
            args = re.sub(r'^\s*\w+\s*(,\s*)?', '', args)
        ret = ast.unparse(node.returns) if node.returns else ''
        return fmt_signature(prefix, [args] if args else [], ret), None
    if method and sig.parameters:
        sig = drop_first(sig)
    return fmt_signature(prefix, param_texts(sig), fmt_annotation(sig.return_annotation)), sig


def function_entry(obj, node, name: str, level: int = 3, method: bool = False) -> str:
    "The entry of a function or method: heading, signature, docstring and (for functions) parameters."
    text, sig = signature_of(obj, node, name, method)
    parts = [code_html(text, 'tnb-sig'), docstring_html(ast.get_docstring(node))]
    member = level > 3  # a method: its table only when its parameters are documented
    if sig is not None and obj is not None:
        parts.append(params_table(obj, sig, only_documented=member))
    kind = 'tnb-method' if member else 'tnb-function'
    return heading(name, level) + f'<div class="tnb-api {kind}">' + one_block(''.join(parts)) + '</div>\n\n'


def decorated_as(node, names: tuple[str, ...]) -> bool:
    "Whether a def carries one of the decorators `names` (e.g. property, classmethod)."
    for d in node.decorator_list:
        text = ast.unparse(d)
        if text in names or text.split('.')[-1] in names:
            return True
    return False


def method_entries(cls, node: ast.ClassDef, name: str) -> str:
    "The entries of the public methods and properties defined in the class body."
    out, seen = [], set()
    for item in node.body:
        if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) or item.name.startswith('_'):
            continue
        if item.name in seen:  # a property's setter, an overload
            continue
        seen.add(item.name)
        qual = f'{name}.{item.name}'
        raw = cls.__dict__.get(item.name) if cls is not None else None
        if decorated_as(item, ('property', 'cached_property')) or isinstance(raw, property):
            body = code_html(f'{qual}  # property', 'tnb-sig') + docstring_html(ast.get_docstring(item))
            out.append(heading(qual, 4) + f'<div class="tnb-api tnb-method">{one_block(body)}</div>\n\n')
            continue
        live = getattr(cls, item.name, None) if cls is not None else None
        # a classmethod comes bound (no `cls` left to drop), a staticmethod has no `self`
        plain = not isinstance(raw, (classmethod, staticmethod))
        out.append(function_entry(live, item, qual, level=4, method=plain))
    return ''.join(out)


def class_entry(cls, node: ast.ClassDef, name: str) -> str:
    "The entry of a class: heading, `__init__` signature, bases, docstring, parameters, then its methods."
    parts, sig = [], None
    if cls is not None and own_init(cls):
        try:
            sig = inspect.signature(cls).replace(return_annotation=inspect.Signature.empty)  # `__init__ -> None`
        except (TypeError, ValueError):
            sig = None
    params = param_texts(sig, cls) if sig is not None else []
    parts.append(code_html(fmt_signature(f'class {name}', params) if sig is not None else f'class {name}',
                           'tnb-sig'))
    bases = [ast.unparse(b) for b in node.bases] + [ast.unparse(k) for k in node.keywords]
    if bases:
        parts.append('<p class="tnb-bases">Bases: ' + ', '.join(code_or_blank(b) for b in bases) + '</p>')
    parts.append(docstring_html(ast.get_docstring(node)))
    if sig is not None:
        parts.append(params_table(cls, sig, owner=cls))
    entry = heading(name, 3) + f'<div class="tnb-api tnb-class">{one_block("".join(parts))}</div>\n\n'
    return entry + method_entries(cls, node, name)


def constants_block(nodes: list, source: str) -> str:
    "One line per public module-level constant: `NAME = value` (the source, shortened)."
    rows = []
    for node in nodes:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name) and not t.id.startswith('_')]
        if not names:
            continue
        value = ' '.join((ast.get_source_segment(source, node.value) or '').split())
        value = value if len(value) <= 100 else value[:97] + '...'
        for n in names:
            name, code = f'<code class="tnb-name">{html.escape(n)}</code>', f'<code>{html.escape(value)}</code>'
            rows.append(f'<div class="tnb-const" id="{html.escape(n)}">{name} = {code}</div>')
    return f'<div class="tnb-consts">{"".join(rows)}</div>\n\n' if rows else ''


def api_markdown(source: str, module) -> str:
    "The API entries of an exported cell's public functions and classes, its constants and its collapsed source."
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = ast.Module(body=[], type_ignores=[])
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    out, consts = [], []
    for node in tree.body:
        public = not getattr(node, 'name', '_').startswith('_')
        if public and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.append(constants_block(consts, source))  # the constants above it, in source order
            consts = []
        if public and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append(function_entry(getattr(module, node.name, None), node, node.name))
        elif public and isinstance(node, ast.ClassDef):
            out.append(class_entry(getattr(module, node.name, None), node, node.name))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            patched = (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                       and not target.attr.startswith('_') and isinstance(node.value, ast.Name)
                       and node.value.id in defs)
            if patched:  # `Lake.sql = _sql`: a method added to a class of the module
                owner = getattr(module, target.value.id, None)
                live = getattr(owner, target.attr, None)
                qual = f'{target.value.id}.{target.attr}'
                out.append(function_entry(live, defs[node.value.id], qual, level=4, method=True))
            elif node.value is not None:
                consts.append(node)
    out.append(constants_block(consts, source))
    if not any(out) and all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body):
        return ''  # just imports: nothing to show
    src = one_block(code_html(source))
    out.append(f'<details class="tnb-source" data-search-exclude><summary>source</summary>{src}</details>\n')
    return ''.join(out)


def import_module(name: str | None, where: Path):
    "The exported module `tweetnb.<name>`, or None (with a warning) when it cannot be imported."
    if not name:
        return None
    try:
        return importlib.import_module(f'{LIB}.{name}')
    except Exception as e:
        log(f'warning: {where}: cannot import {LIB}.{name} ({type(e).__name__}: {e}); '
            'its API entries show the source signatures only')
        return None


# ---------------------------------------------------------------------------------------------------------------
# processing


def hidden_code(source: str, tags: list[str] | None = None):
    "A code cell that runs but is left out of the page."
    return nbformat.v4.new_code_cell(source, metadata={'tags': [TAG_REMOVE] + (tags or [])})


def stage_parameters(nb) -> list[dict]:
    "The parameters cell of a stage notebook as [{name, default, help}] (help: the line's trailing comment)."
    cells = [c for c in nb.cells if 'parameters' in (c.metadata.get('tags') or [])]
    if not cells:
        return []
    src = split_directives(cells[0].source)[1]
    notes = {}
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type == tokenize.COMMENT:
            notes[tok.start[0]] = tok.string.lstrip('#').strip()
    out = []
    for node in ast.parse(src).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                out.append(dict(name=target.id, default=ast.get_source_segment(src, node.value) or '',
                                help=notes.get(node.end_lineno) or notes.get(node.lineno, '')))
    return out


def parameters_cell(nb, stage: str):
    "A markdown cell with the table of a stage notebook's parameters, or None."
    params = stage_parameters(nb)
    if not params:
        return None
    rows = [[f'<code class="tnb-name">{html.escape(p["name"])}</code>', code_or_blank(p['default']),
             inline_md(p['help'])]
            for p in params]
    table = html_table('tnb-params tnb-stage-params', ['Parameter', 'Default', 'Description'], rows)
    intro = ('Set them in the `parameters` cell below, or from the command line: '
             f'`tweetnb run ... -p {stage}.NAME=VALUE`.')
    return nbformat.v4.new_markdown_cell(f'## Parameters\n\n{intro}\n\n{table}\n')


def documented_names(doc: str) -> list[str]:
    "The names that an API markdown cell documents (each has an anchor whose id is the name)."
    names = [h.replace('\\_', '_') for h in re.findall(r'^#{3,4} (\S+)$', doc, re.M)]
    return names + re.findall(r'<div class="tnb-const" id="([^"]+)">', doc)


def process_notebook(page: Page, flags: set[str]):
    """The notebook as the page shows it (see the module docstring; cells not to run carry `docs_skip` metadata)
    and the names its API entries document."""
    nb = nbformat.read(page.src, as_version=4)
    names = []
    module_name = None
    for cell in nb.cells:
        if cell.cell_type == 'code':
            found = split_directives(cell.source)[0]
            if 'default_exp' in found:
                module_name = found['default_exp'].split()[0] if found['default_exp'] else None
    modules = {}
    cells = []
    for number, cell in enumerate(nb.cells, 1):
        if cell.cell_type != 'code':
            cells.append(cell)
            continue
        found, body = split_directives(cell.source)
        if not body.strip():
            continue  # `#| default_exp` alone, or an empty cell
        tags = [t for t in (cell.metadata.get('tags') or []) if t != TAG_REMOVE]
        skip = found.get('eval', '').lower() == 'false' or bool(flags & found.keys())
        if 'hide' in found or 'exporti' in found:
            new = hidden_code(body, tags)
        elif 'export' in found or 'exports' in found:
            name = (found.get('export') or found.get('exports') or '').split()
            name = name[0] if name else module_name
            if name not in modules:
                modules[name] = import_module(name, page.rel)
            doc = api_markdown(body, modules[name])
            if doc:
                cells.append(nbformat.v4.new_markdown_cell(doc))
                names += documented_names(doc)
            new = hidden_code(body, tags)
        else:
            new = copy.deepcopy(cell)
            new.source = body
            if found.get('echo', '').lower() == 'false':
                tags.append(TAG_NO_INPUT)
            if found.get('output', '').lower() == 'false':
                tags.append(TAG_NO_OUTPUT)
            new.metadata = {'tags': tags} if tags else {}
        if skip:
            new.metadata['docs_skip'] = True
        new.metadata['docs_cell'] = number  # for error messages
        if page.executed:
            new.outputs, new.execution_count = [], None
        cells.append(new)
    nb.cells = cells
    if page.kind == 'stage':
        extra = parameters_cell(nb, page.out.stem)
        first = next((i for i, c in enumerate(cells) if c.cell_type == 'markdown'), -1)
        if extra is not None:
            cells.insert(first + 1, extra)
    for i, cell in enumerate(nb.cells):
        cell.id = f'c{i:03d}'
    return nb, names


# ---------------------------------------------------------------------------------------------------------------
# execution


def lib_fingerprint() -> str:
    "A hash of the library's files: executed notebooks are cached against it."
    h = hashlib.sha256()
    for f in sorted((ROOT / LIB).rglob('*')):
        if f.is_file() and '__pycache__' not in f.parts:
            h.update(str(f.relative_to(ROOT)).encode() + b'\0' + f.read_bytes())
    return h.hexdigest()


def strip_ansi(text: str) -> str:
    "Text without terminal colour codes."
    return re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', text)


def execute_notebook(nb_json: str, cwd: str, rel: str) -> dict:
    "Run a processed notebook with nbclient in `cwd`; {ok, nb (json), seconds, error (a readable message)}."
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    t0 = time.time()
    nb = nbformat.reads(nb_json, as_version=4)
    skipped = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == 'code' and cell.metadata.get('docs_skip'):
            skipped[i], cell.source = cell.source, ''
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name='python3', coalesce_streams=True,
                            resources={'metadata': {'path': cwd}})  # coalesce: a progress bar shows its last state
    error = ''
    log_file = CACHE / 'kernels' / (rel.replace('/', '__') + '.log')  # the kernel's stderr, kept out of the build's
    log_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(log_file, 'w') as kernel_stderr:
            client.execute(stderr=kernel_stderr)
    except CellExecutionError as e:
        error = failure_message(nb, rel, strip_ansi(str(e)))
    except Exception as e:  # a dead kernel, a timeout
        error = failure_message(nb, rel, f'{type(e).__name__}: {strip_ansi(str(e))}')
    for i, src in skipped.items():
        nb.cells[i].source = src
    for cell in nb.cells:
        if cell.cell_type == 'code':
            cell.outputs = [o for o in cell.outputs if o.output_type != 'stream' or o.text.strip()]
    return dict(ok=not error, nb=nbformat.writes(nb), seconds=time.time() - t0, error=error)


def failure_message(nb, rel: str, detail: str) -> str:
    "Which notebook and cell failed (the cell's number in nbs/, counting every cell from 1), and the error."
    where = ''
    for cell in nb.cells:
        if any(o.get('output_type') == 'error' for o in cell.get('outputs', [])):
            where = f", cell {cell.metadata.get('docs_cell', '?')}"
            break
    tail = '\n'.join(detail.strip().splitlines()[-40:])
    return f'docs: nbs/{rel}{where} failed:\n{tail}'


def kernel_env():
    """Environment for the kernels: offline models, one thread each (two run side by side), and no warning that
    tqdm's notebook bars need ipywidgets."""
    for key, value in dict(HF_HUB_OFFLINE='1', TOKENIZERS_PARALLELISM='false', OMP_NUM_THREADS='1',
                           MKL_NUM_THREADS='1', PYDEVD_DISABLE_FILE_VALIDATION='1',
                           PYTHONWARNINGS='ignore:IProgress not found').items():
        os.environ.setdefault(key, value)


def execute_pages(jobs: list[tuple[Page, object]], use_cache: bool) -> dict:
    "Execute the notebooks (2 at a time), reusing cached results; {page.out: executed nb}. Exits on failures."
    fingerprint = lib_fingerprint()
    done, todo = {}, []
    for page, nb in jobs:
        text = nbformat.writes(nb)
        key = hashlib.sha256(f'{CACHE_VERSION}{fingerprint}{page.rel}{text}'.encode()).hexdigest()[:32]
        cached = CACHE / 'exec' / f'{key}.ipynb'
        if use_cache and cached.exists():
            done[page.out] = nbformat.read(cached, as_version=4)
        else:
            todo.append((page, text, cached))
    log(f'executing {len(todo)} notebooks ({len(done)} cached), {WORKERS} at a time')
    kernel_env()
    failures = []
    if todo:
        import multiprocessing

        with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context('spawn')) as pool:
            futures = [(page, cached, pool.submit(execute_notebook, text, str(page.src.parent), str(page.rel)))
                       for page, text, cached in todo]
            for page, cached, future in futures:
                res = future.result()
                if not res['ok']:
                    failures.append(res['error'])
                    log(f'FAILED {page.rel} ({res["seconds"]:.0f}s)')
                    continue
                log(f'ran {page.rel} ({res["seconds"]:.0f}s)')
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(res['nb'])
                done[page.out] = nbformat.reads(res['nb'], as_version=4)
    if failures:
        sys.stderr.write('\n' + '\n\n'.join(failures) + '\n\n')
        raise SystemExit(f'docs: {len(failures)} notebook(s) failed to run; the site was not built')
    return done


def plotly_html(nb, page: Page) -> bool:
    """Give plotly figures stored only as JSON (`plotly_mimetype`) an HTML rendering that loads plotly.js from the
    site's assets (no CDN: the site works offline). True if the notebook has any."""
    mime = 'application/vnd.plotly.v1+json'
    src = '../' * len(page.out.parent.parts) + 'assets/plotly.min.js'
    found = False
    for cell in nb.cells:
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if mime in data and 'text/html' not in data:
                import plotly.io as pio

                fig = pio.from_json(json.dumps(data[mime]))
                data['text/html'] = pio.to_html(fig, include_plotlyjs=False if found else src, full_html=False)
                found = True
    return found


def copy_plotly_js(dest: Path):
    "plotly.js of the installed plotly package, for the figures of the pages."
    import plotly

    shutil.copy(Path(plotly.__file__).parent / 'package_data' / 'plotly.min.js', dest)


# ---------------------------------------------------------------------------------------------------------------
# nav and config


def sort_key(path: Path) -> tuple:
    "A notebook sorts by its numeric prefix, a folder by the smallest prefix inside it; unnumbered ones go last."
    if path.is_dir():
        nums = [sort_key(p)[0] for p in path.iterdir() if visible(p) and (p.is_dir() or p.suffix == '.ipynb')]
        return (min(nums, default=float('inf')), path.name)
    m = NUM_PREFIX.match(path.name)
    return (int(m.group(1)) if m else float('inf'), path.name)


def nav_items(folder: Path, by_src: dict[Path, Page], skip=()) -> list:
    "The nav entries of a folder of nbs/: pages as {title: path}, sub-folders as sections."
    items = []
    for p in sorted((p for p in folder.iterdir() if visible(p) and p.name not in skip), key=sort_key):
        if p.is_dir():
            sub = nav_items(p, by_src)
            if sub:
                items.append({p.name: sub})
        elif p in by_src and by_src[p].kind != 'home':
            page = by_src[p]
            items.append({page.title: page.out.as_posix()})
    return items


def build_nav(pages: list[Page]) -> list:
    "Home, the library in prefix order, then Stages and Tutorials."
    by_src = {p.src: p for p in pages}
    nav = [{'Home': p.out.as_posix()} for p in pages if p.kind == 'home']
    nav += nav_items(NBS, by_src, skip=NOT_RUN)
    for folder, title in ((STAGES, 'Stages'), (TUTORIALS, 'Tutorials')):
        if (NBS / folder).is_dir():
            sub = nav_items(NBS / folder, by_src)
            if sub:
                nav.append({title: sub})
    return nav


def write_config(nav: list) -> Path:
    "The repo's mkdocs.yml with the generated nav, the processed notebooks as docs_dir and the executed outputs."
    base = yaml.safe_load((ROOT / 'mkdocs.yml').read_text())
    base['docs_dir'] = 'docs'
    base.pop('site_dir', None)
    base['nav'] = nav
    theme = base.setdefault('theme', {})
    theme['font'] = False
    if (ASSETS / 'overrides').is_dir():
        theme['custom_dir'] = str(ASSETS / 'overrides')
    plugins = []
    for plugin in base.get('plugins') or []:
        name = next(iter(plugin)) if isinstance(plugin, dict) else plugin
        if name == 'mkdocs-jupyter':
            conf = dict(plugin[name] or {})
            conf.update(execute=False, no_prompt=True, cache_dir=str(CACHE / 'mkdocs-jupyter'),
                        remove_tag_config=dict(remove_cell_tags=[TAG_REMOVE], remove_input_tags=[TAG_NO_INPUT],
                                               remove_all_outputs_tags=[TAG_NO_OUTPUT]))
            plugin = {name: conf}
        plugins.append(plugin)
    base['plugins'] = plugins
    base['hooks'] = [*(base.get('hooks') or []), str(Path(__file__).resolve())]  # on_config etc. below
    path = PROC / 'mkdocs.yml'
    path.write_text('# generated by scripts/docs.py from mkdocs.yml: edit that instead\n'
                    + yaml.safe_dump(base, sort_keys=False, allow_unicode=True))
    return path


# ---------------------------------------------------------------------------------------------------------------
# mkdocs hooks (this file is a hook module of the generated config)


def on_config(config):
    """mkdocs hook (the generated config loads this file as one): nbconvert's markdown renders tables inside list
    items and quotes too, as quarto and GitHub do."""
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    extra = ('mistune.plugins.table.table_in_list', 'mistune.plugins.table.table_in_quote')
    if 'table' in MarkdownWithMath.DEFAULT_PLUGINS and extra[0] not in MarkdownWithMath.DEFAULT_PLUGINS:
        MarkdownWithMath.DEFAULT_PLUGINS = (*MarkdownWithMath.DEFAULT_PLUGINS, *extra)
    return config


_LINKABLE = re.compile(r'(?P<skip><pre\b.*?</pre>|<a\b.*?</a>|<h(?P<level>[1-6])\b.*?</h(?P=level)>'
                       r'|<summary\b.*?</summary>)|<code>(?P<name>[A-Za-z_][\w.]*)(?P<call>\(\))?</code>', re.S)


def link_names(content: str, page_uri: str) -> str:
    "Inline code naming a documented function, class or constant (`Lake`, `job_dir()`) links to its entry, as in nbdev."
    if not SYMBOLS.exists():
        return content
    symbols = json.loads(SYMBOLS.read_text())
    here = os.path.dirname(page_uri)

    def link(m):
        "The match, linked when it names a documented object."
        target = symbols.get(m.group('name') or '')
        if m.group('skip') or target is None:
            return m.group(0)
        path, anchor = target.split('#')
        href = ('' if path == page_uri else os.path.relpath(path, here or '.')) + '#' + anchor
        return f'<a class="tnb-link" href="{href}">{m.group(0)}</a>'

    return _LINKABLE.sub(link, content)


def on_page_content(content, page, config, files):
    """mkdocs hook: headings with the same id (a section `Quarantine` and the class `Quarantine`) get `_1`, `_2`...
    as the table of contents expects; a heading's `¶` text comes from CSS, so search results do not read `core¶`;
    the copy buttons' second copy of each cell and their "Copied!" stay out of the search index."""
    seen = set()

    def unique(m):
        "The heading, with an id not used before on the page."
        old = new = m.group(2)
        while new in seen:
            n = re.match(r'^(.*)_([0-9]+)$', new)
            new = f'{n.group(1)}_{int(n.group(2)) + 1}' if n else f'{new}_1'
        seen.add(new)
        return m.group(0).replace(f'id="{old}"', f'id="{new}"', 1).replace(f'href="#{old}"', f'href="#{new}"', 1)

    content = re.sub(r'<h([1-6])\b[^>]*\bid="([^"]+)"[^>]*>.*?</h\1>', unique, content, flags=re.S)
    content = content.replace('<div class="clipboard-copy-txt"', '<div class="clipboard-copy-txt" data-search-exclude')
    content = content.replace('<span class="notice" hidden', '<span class="notice" data-search-exclude hidden')
    content = link_names(content, page.file.dest_uri)
    return re.sub(r'(<a class="anchor-link" href="#[^"]*">)\u00b6(</a>)', r'\1\2', content)


# ---------------------------------------------------------------------------------------------------------------
# build


def run_mkdocs(config: Path, site: Path):
    "Run `mkdocs build`, passing on its messages except mkdocs-jupyter's per-file chatter."
    chatter = re.compile(r'^INFO\s+-\s+(Copied jupyter file|Converting notebook|Cache (hit|miss)|Evicted stale cache)')
    cmd = [sys.executable, '-m', 'mkdocs', 'build', '-f', str(config), '-d', str(site)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING='1')
    with subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as proc:
        for line in proc.stdout:
            if not chatter.match(line):
                print(line, end='', flush=True)
    if proc.returncode:
        raise SystemExit(f'docs: mkdocs build failed (exit code {proc.returncode})')


def main(argv=None):
    "Process the notebooks, execute the library ones, generate the config and run mkdocs."
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--out', default='_docs', help='the site folder (default: _docs)')
    ap.add_argument('--no-execute', action='store_true', help='do not run the notebooks (pages without outputs)')
    ap.add_argument('--no-cache', action='store_true', help='run every notebook, even unchanged ones')
    args = ap.parse_args(argv)
    t0 = time.time()
    sys.path.insert(0, str(ROOT))
    pages = find_pages()
    log(f'{len(pages)} notebooks in nbs/')
    if DOCS.exists():
        shutil.rmtree(DOCS)
    flags = test_flags()
    processed, symbols = [], {}
    for page in pages:
        nb, names = process_notebook(page, flags)
        processed.append((page, nb))
        for name in names:
            symbols.setdefault(name, []).append(f'{page.out.with_suffix(".html").as_posix()}#{name}')
    PROC.mkdir(exist_ok=True)
    unique = {name: where[0] for name, where in symbols.items() if len(where) == 1}
    SYMBOLS.write_text(json.dumps(unique, indent=0, sort_keys=True))
    run = [(page, nb) for page, nb in processed if page.executed and not args.no_execute]
    executed = execute_pages(run, use_cache=not args.no_cache) if run else {}
    figures = False
    for page, nb in processed:
        nb = executed.get(page.out, nb)
        figures = plotly_html(nb, page) or figures
        out = DOCS / page.out
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out)
    if ASSETS.is_dir():
        shutil.copytree(ASSETS, DOCS / 'assets', ignore=shutil.ignore_patterns('overrides', '*.md'))
    if figures:
        (DOCS / 'assets').mkdir(exist_ok=True)
        copy_plotly_js(DOCS / 'assets' / 'plotly.min.js')
    config = write_config(build_nav(pages))
    site = (ROOT / args.out).resolve()
    log(f'mkdocs build -> {site}')
    run_mkdocs(config, site)
    log(f'built {site / "index.html"} in {time.time() - t0:.0f}s')


if __name__ == '__main__':
    main()
