#!/usr/bin/env node
// Lint Cypher texts with Neo4j's own grammar, semantic analysis and built-in function table.
//
// Usage:
//   node lint.mjs [--schema SCHEMA.json] FILE...     lint each file as one text
//   node lint.mjs [--schema SCHEMA.json] -           lint Cypher read from stdin
//   node lint.mjs --json                             stdin: {"schema": {...}, "texts": [{"name", "text"}]}
//
// Prints one JSON array of diagnostics:
//   {"name", "line", "column", "endLine", "endColumn", "severity", "message"}
// with 1-based lines and columns and severity "error" | "warning" | "information" | "hint".
// Exit status: 0 without errors, 1 with at least one error, 2 when the lint itself cannot run.
//
// What is checked, and why it is set up this way:
// * lintCypherQuery from @neo4j-cypher/language-support (the library behind Neo4j's editors)
//   parses with the Cypher 5 grammar and runs the semantic analysis compiled from Neo4j itself
//   (undefined variables, wrong argument counts, deprecated functions, ...).
// * Unknown functions (`label(n)` for `labels(n)`) are only reported when the schema given to
//   the lint lists functions.  The package ships, as its `testData.mockSchema`, the function and
//   procedure tables dumped from a real server; we keep the built-in functions (no APOC/GDS:
//   docker-compose.yml installs no plugins) and the built-in procedure namespaces.  That
//   snapshot comes from a newer server than 5.26, so a function added after 5.26 would still
//   pass; the shared store tests that run every query are the backstop.
// * Parameters are declared from the text itself: values arrive at run time, so `$name` is never
//   an error here.
// * Labels and relationship types are checked (as warnings, the library's choice) only when the
//   caller passes them, e.g. from graph/schema.py.
//
// The package's ESM build uses extension-less imports that Node's ESM loader rejects, so the
// CommonJS build is loaded through createRequire.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const VERSION = 'CYPHER 5';
const PROCEDURE_NAMESPACES = /^(db|dbms|tx)\./;

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

function loadLibrary() {
  try {
    return require('@neo4j-cypher/language-support');
  } catch (e) {
    fail(`@neo4j-cypher/language-support is not installed (run: npm ci --prefix .ci/cypher-lint): ${e.message.split('\n')[0]}`);
  }
}

function builtins(lib) {
  const mock = lib.testData?.mockSchema;
  const functions = mock?.functions?.[VERSION];
  const procedures = mock?.procedures?.[VERSION];
  if (!functions || !procedures) {
    fail('this version of @neo4j-cypher/language-support has no function table (testData.mockSchema); keep the version pinned in package.json');
  }
  const keep = (table, wanted) => Object.fromEntries(Object.entries(table).filter(([name, item]) => wanted(name, item)));
  return {
    functions: keep(functions, (_, f) => f.isBuiltIn === true),
    procedures: keep(procedures, (name) => PROCEDURE_NAMESPACES.test(name)),
  };
}

function parseArgs(argv) {
  const args = { schema: null, json: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--schema') {
      if (i + 1 >= argv.length) fail('--schema needs a file');
      args.schema = JSON.parse(readFileSync(argv[++i], 'utf8'));
    } else if (a === '--json') args.json = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write('usage: lint.mjs [--schema SCHEMA.json] (FILE... | - | --json)\n');
      process.exit(0);
    } else args.files.push(a);
  }
  if (!args.json && args.files.length === 0) fail('no input: give files, - for stdin, or --json');
  return args;
}

function readInputs(args) {
  if (args.json) {
    const payload = JSON.parse(readFileSync(0, 'utf8'));
    if (!Array.isArray(payload.texts)) fail('--json input needs a "texts" array');
    return { schema: payload.schema ?? args.schema, texts: payload.texts };
  }
  const texts = args.files.map((f) => ({ name: f === '-' ? '<stdin>' : f, text: readFileSync(f === '-' ? 0 : f, 'utf8') }));
  return { schema: args.schema, texts };
}

function lintOne(lib, tables, schema, { name, text }) {
  const parameters = Object.fromEntries(lib.parseParameters(text, false).map((p) => [p, null]));
  const dbSchema = {
    functions: { [VERSION]: tables.functions },
    procedures: { [VERSION]: tables.procedures },
    parameters,
    defaultLanguage: VERSION,
  };
  if (schema?.labels && schema?.relationshipTypes) {
    dbSchema.labels = schema.labels;
    dbSchema.relationshipTypes = schema.relationshipTypes;
  }
  return lib.lintCypherQuery(text, dbSchema).map((d) => ({
    name,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message.replace(/\s+/g, ' ').trim(),
  }));
}

const args = parseArgs(process.argv.slice(2));
const lib = loadLibrary();
const tables = builtins(lib);
const { schema, texts } = readInputs(args);
const diagnostics = texts.flatMap((t) => lintOne(lib, tables, schema, t));
process.stdout.write(JSON.stringify(diagnostics, null, 1) + '\n');
process.exit(diagnostics.some((d) => d.severity === 'error') ? 1 : 0);
