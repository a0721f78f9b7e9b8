// Prints the line coverage of each given library from Jest's json-summary (the unit run of scripts/test.sh): the
// figure only, no threshold. Usage: node tools/coverage-by-lib.js <coverage-summary.json> <lib dir>...
const path = require('node:path');

const [summaryFile, ...libs] = process.argv.slice(2);
const summary = require(path.resolve(summaryFile));
for (const lib of libs) {
  const prefix = path.resolve(lib) + path.sep;
  const files = Object.entries(summary).filter(([file]) => file.startsWith(prefix));
  const covered = files.reduce((sum, [, file]) => sum + file.lines.covered, 0);
  const total = files.reduce((sum, [, file]) => sum + file.lines.total, 0);
  const pct = total === 0 ? '-' : ((100 * covered) / total).toFixed(1);
  console.log(`coverage: ${lib} lines ${pct}% (${covered}/${total} in ${files.length} files)`);
}
