import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';

export const BROWSER_SOURCE_DIR = join(__dirname, 'browser');

/**
 * The browser code is TypeScript (checked by tsconfig.browser.json); SWC, which already runs every app,
 * strips the types once at start-up, so the console needs no front-end build step or bundler.
 */
export class BrowserModules {
  private readonly modules = new Map<string, string>();

  constructor(sourceDir: string = BROWSER_SOURCE_DIR) {
    for (const file of readdirSync(sourceDir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.mts')) continue;
      const { code } = transformSync(readFileSync(join(sourceDir, file), 'utf8'), {
        filename: file,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
        sourceMaps: 'inline',
        swcrc: false,
      });
      this.modules.set(file.replace(/\.mts$/, '.mjs').split('\\').join('/'), code);
    }
  }

  /** The compiled module for `path` (e.g. `views/people.mjs`), or undefined. */
  get(path: string): string | undefined {
    return this.modules.get(path);
  }
}
