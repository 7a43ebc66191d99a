// Validates SARIF files against the vendored SARIF 2.1.0 schema (draft-04).
// Usage: node validate.js NODE_MODULES SCHEMA FILE...; prints "FILE valid" or why not.
"use strict";
const path = require("path");
const fs = require("fs");
const [modules, schemaFile, ...files] = process.argv.slice(2);
const Ajv = require(path.resolve(modules, "ajv-draft-04"));
const addFormats = require(path.resolve(modules, "ajv-formats"));
const ajv = new Ajv({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
let bad = 0;
for (const f of files) {
    let doc;
    try {
        doc = JSON.parse(fs.readFileSync(f, "utf8"));
    } catch (e) {
        console.log(`${f} unparsable: ${e.message}`);
        bad++;
        continue;
    }
    if (validate(doc)) {
        console.log(`${f} valid`);
    } else {
        bad++;
        console.log(`${f} invalid`);
        for (const e of validate.errors) console.log(`    ${e.instancePath} ${e.message}`);
    }
}
process.exit(bad ? 1 : 0);
