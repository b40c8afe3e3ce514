// Checks KQL texts with Microsoft's own Kusto parser (Kusto.Language compiled to JavaScript, npm
// @kusto/language-service-next) against the database described by infra/kusto/schema.kql.
// stdin: [{"name": "...", "kql": "..."}]; stdout: [{"name", "diagnostics": [{code, severity, message, start, length}]}].
// The commands of schema.kql itself are checked first, each named "schema.kql#<n>".
'use strict';
const fs = require('fs');
const path = require('path');

require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
const { KustoCode, GlobalState } = Kusto.Language;
const Symbols = Kusto.Language.Symbols;

const schemaPath = process.argv[2] || path.join(__dirname, '..', '..', 'infra', 'kusto', 'schema.kql');

// One command per block, blocks separated by blank lines; comment lines are not part of a command.
function commandsOf(text) {
  return text.split(/\r?\n\s*\r?\n/)
    .map(block => block.split(/\r?\n/).filter(line => !/^\s*\/\//.test(line)).join('\n').trim())
    .filter(command => command.length > 0);
}

function databaseOf(commands) {
  const tables = [];
  const views = [];
  for (const command of commands) {
    const table = /^\.create(?:-merge)? table (\w+) \(([^)]*)\)\s*$/.exec(command);
    if (table) {
      tables.push(new Symbols.TableSymbol.$ctor7(table[1], '(' + table[2] + ')', null));
    }
  }

  // A view's columns are whatever its query returns: the parser computes them from the tables above.
  const withTables = GlobalState.Default.WithDatabase(new Symbols.DatabaseSymbol.$ctor1('AdClicks', tables));
  for (const command of commands) {
    const view = /^\.create(?:-or-alter| async| async ifnotexists| ifnotexists)* materialized-view(?: with \([^)]*\))? (\w+) on table \w+\s*\{([\s\S]*)\}\s*$/.exec(command);
    if (view) {
      const result = KustoCode.ParseAndAnalyze(view[2], withTables).ResultType;
      if (!(result instanceof Symbols.TableSymbol)) {
        throw new Error('The query of materialized view ' + view[1] + ' does not return a table.');
      }
      views.push(new Symbols.MaterializedViewSymbol.$ctor2(view[1], result.Columns, view[2].trim(), null));
    }
  }

  if (tables.length === 0) {
    throw new Error('No .create-merge table command found in ' + schemaPath + '.');
  }

  return new Symbols.DatabaseSymbol.$ctor1('AdClicks', tables.concat(views));
}

function diagnose(kql, globals) {
  const diagnostics = [];
  const found = KustoCode.ParseAndAnalyze(kql, globals).GetDiagnostics();
  for (let i = 0; i < found.Count; i++) {
    const d = found.getItem(i);
    diagnostics.push({ code: d.Code, severity: d.Severity, message: d.Message, start: d.Start, length: d.Length });
  }
  return diagnostics;
}

const commands = commandsOf(fs.readFileSync(schemaPath, 'utf8'));
const globals = GlobalState.Default.WithDatabase(databaseOf(commands));
const inputs = JSON.parse(fs.readFileSync(0, 'utf8'));
const results = commands.map((kql, i) => ({ name: 'schema.kql#' + (i + 1), diagnostics: diagnose(kql, globals) }))
  .concat(inputs.map(input => ({ name: input.name, diagnostics: diagnose(input.kql, globals) })));
process.stdout.write(JSON.stringify(results));
