import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const READY = /Ready to accept connections/;
const PORT_TAKEN = /Address already in use/;

/**
 * A redis-server of a test's own, on a loopback port nobody else uses, keeping nothing on disk:
 * tests kill and restart it freely and never touch the machine's shared instance on 6379.
 */
export class RedisServer {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts on a random high port, trying another if that one is taken (bounded). */
  static async start(): Promise<RedisServer> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const server = new RedisServer(20_000 + Math.floor(Math.random() * 30_000));
      if (await server.launch()) return server;
    }
    throw new Error('no free port for redis-server after 20 tries');
  }

  /** Starts it again on the same port, empty (as a real restart without persistence is). */
  async restart(): Promise<void> {
    if (this.child) throw new Error('redis-server is still running');
    if (!(await this.launch())) throw new Error(`port ${this.port} was taken meanwhile`);
  }

  /** SIGKILL: the crash case, no goodbye to its clients. */
  kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGKILL');
    });
  }

  /** Resolves true once it accepts connections, false if the port was taken. */
  private launch(): Promise<boolean> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`redis-server did not start within 10 s:\n${output}`));
      }, 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (READY.test(output)) {
          clearTimeout(timer);
          this.child = child;
          resolve(true);
        } else if (PORT_TAKEN.test(output)) {
          clearTimeout(timer);
          resolve(false);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }
}
