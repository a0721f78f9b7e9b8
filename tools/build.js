// Compiles one app into dist/<app>/ so it runs on plain Node with production dependencies only:
//   node tools/build.js [app...]   (the Nx `build` target of every app; Nx caches it per app; no app = all)
// SWC, not esbuild or tsc: Nest's dependency injection needs decorator metadata, which esbuild does not emit,
// and tsc leaves the @timelog-sync/* path aliases unresolved (and is ~20x slower); SWC already runs the tests.
// Only the files main.ts reaches are compiled (following its requires), mirrored under dist/<app>/ so
// __dirname-relative assets keep working: each reached project's `wsdl/` and `public/` are copied, and its
// browser modules (`*.mts`) are compiled to `*.mjs`. `dist/<app>/main.js` is the entry point.
'use strict';
const { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { basename, dirname, join, relative, resolve } = require('node:path');
const { transformSync } = require('@swc/core');

const ROOT = resolve(__dirname, '..');
const ASSET_DIRS = ['wsdl', 'public'];
/** Commands an app ships besides main.ts (each becomes dist/<app>/<name>.js): operations run from the same image. */
const EXTRA_ENTRY_POINTS = { 'mapping-service': ['migrate', 'rotate-credential-keys'] };
const { paths } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions;
const ALIASES = new Map(Object.entries(paths).map(([alias, [target]]) => [alias, join(ROOT, target)]));

const NODE_OPTIONS = {
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  module: { type: 'commonjs' },
};
const BROWSER_OPTIONS = { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } };

/** Compiles `source` to `target` (with a source map); `rewrite` may change the code, keeping its lines. */
function compile(source, target, options, rewrite = (code) => code) {
  const { code, map } = transformSync(readFileSync(source, 'utf8'), { ...options, filename: source, sourceMaps: true, swcrc: false, configFile: false });
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.map`, map);
  writeFileSync(target, `${rewrite(code)}\n//# sourceMappingURL=${basename(target)}.map\n`);
}

/** The .ts file a specifier names, or undefined for a package (left to node_modules). */
function resolveSource(specifier, fromFile) {
  const base = ALIASES.get(specifier) ?? (specifier.startsWith('.') ? resolve(dirname(fromFile), specifier) : undefined);
  if (!base) return undefined;
  const candidate = [base, `${base}.ts`, join(base, 'index.ts')].find((file) => file.endsWith('.ts') && existsSync(file));
  if (!candidate) throw new Error(`${relative(ROOT, fromFile)}: cannot resolve ${specifier}`);
  return candidate;
}

const projectOf = (file) => relative(ROOT, file).split('/').slice(0, 2).join('/');

function build(app) {
  const out = join(ROOT, 'dist', app);
  rmSync(out, { recursive: true, force: true });
  const toOutput = (file) => join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
  const entryPoints = ['main', ...(EXTRA_ENTRY_POINTS[app] ?? [])];
  const pending = entryPoints.map((name) => join(ROOT, 'apps', app, 'src', `${name}.ts`));
  const seen = new Set(pending);
  const projects = new Set();
  while (pending.length > 0) {
    const file = pending.pop();
    projects.add(projectOf(file));
    // Our own modules (aliases and relative paths) become relative requires inside dist/<app>/ and are compiled in turn.
    compile(file, toOutput(file), NODE_OPTIONS, (code) =>
      code.replace(/require\("([^"]+)"\)/g, (call, specifier) => {
        const source = resolveSource(specifier, file);
        if (!source) return call;
        if (!seen.has(source)) {
          seen.add(source);
          pending.push(source);
        }
        const target = relative(dirname(toOutput(file)), toOutput(source)).replace(/\.js$/, '');
        return `require("${target.startsWith('.') ? target : `./${target}`}")`;
      }),
    );
  }
  for (const project of projects) {
    for (const dir of ASSET_DIRS) if (existsSync(join(ROOT, project, dir))) cpSync(join(ROOT, project, dir), join(out, project, dir), { recursive: true });
    for (const file of readdirSync(join(ROOT, project, 'src'), { recursive: true, encoding: 'utf8' })) {
      if (file.endsWith('.mts')) compile(join(ROOT, project, 'src', file), join(out, project, 'src', file.replace(/\.mts$/, '.mjs')), BROWSER_OPTIONS);
    }
  }
  for (const name of entryPoints) writeFileSync(join(out, `${name}.js`), `require('./apps/${app}/src/${name}');\n`);
  return seen.size;
}

/** Without apps: every app (each apps/<app>/src/main.ts). */
function buildApps(apps = readdirSync(join(ROOT, 'apps')).filter((app) => existsSync(join(ROOT, 'apps', app, 'src', 'main.ts')))) {
  for (const app of apps) {
    const started = Date.now();
    const files = build(app);
    console.log(`built dist/${app}: ${files} modules in ${Date.now() - started} ms`);
  }
}

if (require.main === module) buildApps(process.argv.length > 2 ? process.argv.slice(2) : undefined);
// Jest's global setup of the integration tests: the apps they start as processes always run the current sources.
module.exports = () => buildApps();
