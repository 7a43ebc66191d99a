// Checks that the JSON Schema and the loader know the same keys:
//   1. every key the loader accepts (the `keys[]` tables of src/load/load_json*.c, the theme fields
//      of src/theme/theme.c, the lint rules of src/model/lint_rules.c and their parameters) is a
//      property somewhere in the schema;
//   2. every property of the schema is a key the loader accepts;
//   3. the fixtures in tests/schema/valid/ use every property of the schema, so that their
//      loading without a warning (checked by test_schema.sh) proves each one is accepted.
// Usage: node check_keys.js SOURCE_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const src = process.argv[2];
const read = (p) => fs.readFileSync(path.join(src, p), 'utf8');
let failed = false;
const fail = (msg) => { console.error(`check_keys: ${msg}`); failed = true; };

// 1. The loader's keys.
const loader = new Set();
const jsonLoader = fs.readdirSync(path.join(src, 'src/load'))
  .filter((f) => /^load_json.*\.c$/.test(f)).sort().map((f) => `src/load/${f}`);
let loaderTables = 0;
for (const file of [...jsonLoader, 'src/theme/theme.c']) {
  const text = read(file);
  let tables = 0;
  for (const m of text.matchAll(/static const char \*const (?:\w+_)?keys\[\] = \{([^}]*)\}/g)) {
    tables++;
    for (const k of m[1].matchAll(/"([^"]*)"/g)) loader.add(k[1]);
  }
  for (const m of text.matchAll(/^\s*F\((\w+),/gm)) loader.add(m[1]);
  if (jsonLoader.includes(file)) loaderTables += tables;
  else if (!tables) fail(`no key tables found in ${file}: has the loader changed shape?`);
}
if (!loaderTables) fail('no key tables found in src/load/load_json*.c: has the loader changed shape?');
// The "lint" key's members are the lint rules' ids and parameters (src/model/lint_rules.c),
// which load_json_lint.c looks up in that table.
{
  const rows = [...read('src/model/lint_rules.c').matchAll(
    /\[JM_RULE_\w+\]\s*=\s*\{\s*"([^"]+)",[\s\S]*?(?:NULL|"(\w+)"),\s*-?[\d.]+\s*\}/g)];
  if (rows.length < 10) fail('no lint rules found in src/model/lint_rules.c: has the table changed shape?');
  for (const m of rows) { loader.add(m[1]); if (m[2]) loader.add(m[2]); }
}
// Keys the theme loader accepts outside its field table.
for (const k of ['$schema', 'description']) loader.add(k);

// 2. The schema's properties.
const schemaProps = new Set();
(function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v))
      Object.keys(v).forEach((p) => schemaProps.add(p));
    walk(v);
  }
})(JSON.parse(read('data/schema/journeymap.schema.json')));

for (const k of loader) if (!schemaProps.has(k)) fail(`the loader accepts "${k}" but the schema does not`);
for (const k of schemaProps) if (!loader.has(k)) fail(`the schema has "${k}" but the loader does not accept it`);

// 3. The fixtures use every property.
const used = new Set();
const fixtures = path.join(src, 'tests/schema/valid');
(function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) { used.add(k); walk(v); }
})(fs.readdirSync(fixtures).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(fixtures, f), 'utf8'))));
for (const k of schemaProps) if (!used.has(k)) fail(`no fixture in tests/schema/valid/ uses "${k}"`);

if (failed) process.exit(1);
console.log(`check_keys: the schema and the loader agree on ${schemaProps.size} keys; the fixtures use all of them`);
