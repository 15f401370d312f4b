// Where and with what a run was measured: printed first and stored with every result.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, release, totalmem } from 'node:os';
import { FEED_SERVER_OVERRIDE } from './contenders.js';
import { compilerVersion } from './load-generator.js';

export interface Machine {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly compiler: string;
  readonly versions: Readonly<Record<string, string>>;
}

const require = createRequire(import.meta.url);

function versionOf(name: string): string {
  const path = require.resolve(`${name}/package.json`);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: `Linux ${release()}`,
    node: process.version,
    compiler: compilerVersion(),
    versions: {
      '@ticker/feed-server':
        FEED_SERVER_OVERRIDE === null
          ? versionOf('@ticker/feed-server')
          : `${versionOf('@ticker/feed-server')} (BENCH_FEED_SERVER=${FEED_SERVER_OVERRIDE})`,
      ws: versionOf('ws'),
      'socket.io': versionOf('socket.io'),
      'uWebSockets.js': versionOf('uWebSockets.js'),
    },
  };
}

export function machineLine(machine: Machine): string {
  const versions = Object.entries(machine.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return (
    `${machine.date.slice(0, 10)} on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
    `${machine.kernel}; Node ${machine.node}; ${versions}; load generator built with ${machine.compiler}`
  );
}
