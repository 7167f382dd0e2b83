"""The house rules of the library, checked on tweetnb/ as exported: small modules, no import cycles, stages that do
not reach into each other, every third-party import declared in settings.ini, readable lines."""
import ast, io, re, sys, tokenize
from configparser import ConfigParser
from importlib.metadata import packages_distributions
from pathlib import Path
from conftest import ROOT

LIB = ROOT / 'tweetnb'
FOUNDATION = {'core', 'schema', 'lake', 'models', 'encoders', 'embeddings'}   # below every stage
STAGE_PACKAGES = {'collect', 'clean', 'language', 'sentiment', 'entities', 'domains', 'topics', 'report'}
MAX_LINES, MAX_WIDTH = 350, 120


def modules() -> dict:
    "{dotted name: path} of the library's modules (nbdev's index excluded)."
    out = {}
    for p in sorted(LIB.rglob('*.py')):
        if p.name == '_modidx.py':
            continue
        parts = p.relative_to(ROOT).with_suffix('').parts
        out['.'.join(parts[:-1] if parts[-1] == '__init__' else parts)] = p
    return out


def imports(name: str, path: Path) -> set:
    "Every module a module imports, anywhere in it (function-level imports too), as absolute dotted names."
    pkg = name if path.name == '__init__.py' else name.rpartition('.')[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                up = pkg.split('.')[: len(pkg.split('.')) - node.level + 1]
                base = '.'.join(up + ([node.module] if node.module else []))
            out.add(base)
            out |= {f'{base}.{a.name}' for a in node.names}   # `from pkg import module`
    return out


def internal_graph() -> dict:
    mods = modules()
    return {m: {i for i in imports(m, p) if i in mods and i != m and not m.startswith(i + '.')} for m, p in mods.items()}


def test_no_module_over_350_lines():
    big = {m: n for m, p in modules().items() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not big, f'modules over {MAX_LINES} lines: {big}'


def test_no_import_cycles():
    g = internal_graph()
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for n in sorted(g[m]):
            visit(n)
        stack.pop()

    for m in sorted(g):
        visit(m)
    assert not cycles, 'import cycles: ' + '; '.join(' → '.join(c) for c in cycles)


def test_stages_import_only_their_own_package_and_the_foundation():
    bad = []
    for m, deps in internal_graph().items():
        top = m.split('.')[1] if '.' in m else ''
        if top not in STAGE_PACKAGES:
            continue
        for d in deps:
            other = d.split('.')[1] if '.' in d else ''
            if other != top and other not in FOUNDATION and other:
                bad.append(f'{m} imports {d}')
    assert not bad, 'sideways imports between stages: ' + '; '.join(sorted(bad))


def test_every_third_party_import_is_declared_in_settings_ini():
    cfg = ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini')
    reqs = cfg['DEFAULT']['requirements'].split() + cfg['DEFAULT'].get('llama_requirements', '').split()  # + extras
    reqs += cfg['DEFAULT'].get('gpu_requirements', '').split()
    declared = {re.split(r'[<>=!~;\[ ]', r)[0].lower().replace('_', '-') for r in reqs}
    declared.add('llama-cpp')  # the optional extra's import name, llama_cpp, when it is not installed
    declared.add('cuml')  # the gpu extra's import name (cuml-cu12 / cuml-cu13)
    dists = packages_distributions()
    missing = {}
    for m, p in modules().items():
        for i in imports(m, p):
            top = i.split('.')[0]
            if not top or top == 'tweetnb' or top in sys.stdlib_module_names:
                continue
            names = {d.lower().replace('_', '-') for d in dists.get(top, [top])}
            if not names & declared:
                missing.setdefault(top, set()).add(m)
    assert not missing, f'imported by the library but not in settings.ini requirements: {missing}'


def test_lines_fit_and_no_semicolon_chained_statements():
    long, chained = [], []
    for m, p in modules().items():
        src = p.read_text()
        long += [f'{m}:{i}' for i, line in enumerate(src.splitlines(), 1)   # nbdev writes the `__all__` line itself
                 if len(line) > MAX_WIDTH and not line.startswith('__all__ = [')]
        for tok in tokenize.generate_tokens(io.StringIO(src).readline):
            if tok.type == tokenize.OP and tok.string == ';':
                chained.append(f'{m}:{tok.start[0]}')
    assert not long, f'lines over {MAX_WIDTH} characters: {long}'
    assert not chained, f'statements chained with ";": {chained}'
