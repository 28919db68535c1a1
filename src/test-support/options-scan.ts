/**
 * A static scan of the public API for the calls that take an options object (used by
 * options-registry.test.ts, which checks that each one refuses misspelt keys and wrong types).
 *
 * It follows the re-exports of the entry points (src/index.ts, src/node.ts) to their declarations and
 * lists every exported function, and every constructor, static method and public method of every
 * exported class, with a parameter that is an options object: a parameter named options, opts,
 * settings, config, extra, callbacks, runtime, spec, init or o, or whose type is named …Options,
 * …Settings or …Callbacks. The ids read `fn/1` (function, parameter index), `new Class/0`,
 * `Class.staticMethod/1` and `Class#method/1`.
 *
 * Test-only (src/test-support/ is left out of the package, see package.json "files"): it parses
 * TypeScript sources with the `typescript` compiler (a dev dependency), syntax only (no type
 * checking), so it takes well under a second.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const NAMES = /^(options|opts|settings|config|extra|callbacks|runtime|spec|init|o)$/;
const TYPES = /(Options|Settings|Callbacks)\b/;

export interface OptionsParameter {
  id: string;
  /** Source file, relative to the root. */
  file: string;
  /** The parameter's type as written. */
  type: string;
}

export function scanOptionsParameters(root: string, entries: readonly string[]): OptionsParameter[] {
  const files = new Map<string, ts.SourceFile>();
  const parse = (file: string): ts.SourceFile => {
    let sf = files.get(file);
    if (!sf) {
      sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      files.set(file, sf);
    }
    return sf;
  };
  const moduleFile = (from: string, spec: string): string => {
    const p = resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
    return existsSync(p) ? p : join(resolve(dirname(from), spec.replace(/\.js$/, '')), 'index.ts');
  };
  /** Exported value name → [declaring file, local name]. */
  const exportsOf = (file: string, seen: Set<string>): Map<string, [string, string]> => {
    const out = new Map<string, [string, string]>();
    if (seen.has(file)) return out;
    seen.add(file);
    for (const st of parse(file).statements) {
      if (ts.isExportDeclaration(st)) {
        if (st.isTypeOnly) continue;
        const target = st.moduleSpecifier ? moduleFile(file, (st.moduleSpecifier as ts.StringLiteral).text) : file;
        if (!st.exportClause) {
          for (const [k, v] of exportsOf(target, seen)) out.set(k, v);
        } else if (ts.isNamedExports(st.exportClause)) {
          for (const el of st.exportClause.elements) {
            if (el.isTypeOnly) continue;
            const local = (el.propertyName ?? el.name).text;
            const inner = st.moduleSpecifier ? exportsOf(target, new Set()).get(local) : undefined;
            out.set(el.name.text, inner ?? [target, local]);
          }
        }
      } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name
        && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
        out.set(st.name.text, [file, st.name.text]);
      }
    }
    return out;
  };
  const isOptions = (p: ts.ParameterDeclaration): boolean => {
    const type = p.type?.getText() ?? '';
    return TYPES.test(type) || (NAMES.test(p.name.getText()) && !/^(number|string|boolean)\b/.test(type));
  };
  const found = new Map<string, OptionsParameter>();
  const add = (id: string, file: string, p: ts.ParameterDeclaration): void => {
    found.set(id, { id, file: file.slice(root.length).replace(/^\//, ''), type: p.type?.getText() ?? '' });
  };
  for (const entry of entries) {
    for (const [name, [file, local]] of exportsOf(join(root, entry), new Set())) {
      for (const st of parse(file).statements) {
        if (ts.isFunctionDeclaration(st) && st.name?.text === local && st.body) {
          st.parameters.forEach((p, i) => { if (isOptions(p)) add(`${name}/${i}`, file, p); });
        }
        if (!ts.isClassDeclaration(st) || st.name?.text !== local) continue;
        for (const m of st.members) {
          if (!ts.isConstructorDeclaration(m) && !ts.isMethodDeclaration(m)) continue;
          const flags = ts.getCombinedModifierFlags(m);
          if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
          if (m.name && ts.isPrivateIdentifier(m.name)) continue;
          const id = ts.isConstructorDeclaration(m) ? `new ${name}` : `${name}${flags & ts.ModifierFlags.Static ? '.' : '#'}${m.name.getText()}`;
          m.parameters.forEach((p, i) => { if (isOptions(p)) add(`${id}/${i}`, file, p); });
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id));
}
