// What the kernel says about CPU and memory: /proc/stat for the whole machine, /proc/<pid> for
// the server and the load generator. Jiffies are 10 ms; windows are seconds long.
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const jiffiesToMs = (jiffies: number): number => (jiffies * 1000) / ticksPerSecond;

/** CPU time all cores spent busy (not idle or waiting on I/O), in ms. */
export function machineBusyMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return jiffiesToMs(user + nice + system + irq + softirq + steal);
}

/** CPU time of a process in user space and in the kernel on its behalf, in ms. */
export function processCpuMs(pid: number): { user: number; kernel: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: jiffiesToMs(Number(fields[11])), kernel: jiffiesToMs(Number(fields[12])) };
}

/** processCpuMs, or null once the process is gone. */
function cpuMsIfRunning(pid: number): { user: number; kernel: number } | null {
  try {
    return processCpuMs(pid);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Resident set size of a process, in bytes. */
export function processRssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU used during a window by the machine, a set of processes, and everything else. */
export class CpuWindow {
  private readonly machineStart = machineBusyMs();
  private readonly processStart: Map<number, { user: number; kernel: number }>;
  private readonly selfStart = process.cpuUsage();
  private readonly startedAt = performance.now();

  constructor(private readonly pids: readonly number[]) {
    this.processStart = new Map(pids.map((pid) => [pid, processCpuMs(pid)]));
  }

  /**
   * CPU ms of each watched process, and the share of one core everything else used. A process
   * that has exited meanwhile (a load generator that failed) counts 0: its time is in othersShare.
   */
  end(): {
    elapsedMs: number;
    processMs: Map<number, { user: number; kernel: number }>;
    othersShare: number;
  } {
    const elapsedMs = performance.now() - this.startedAt;
    const processMs = new Map(
      this.pids.map((pid) => {
        const start = this.processStart.get(pid) ?? { user: 0, kernel: 0 };
        const now = cpuMsIfRunning(pid) ?? start;
        return [pid, { user: now.user - start.user, kernel: now.kernel - start.kernel }];
      }),
    );
    const self = process.cpuUsage(this.selfStart);
    const selfMs = (self.user + self.system) / 1000;
    const watched = [...processMs.values()].reduce((sum, ms) => sum + ms.user + ms.kernel, 0);
    const others = machineBusyMs() - this.machineStart - watched - selfMs;
    return { elapsedMs, processMs, othersShare: Math.max(0, others) / elapsedMs };
  }
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The kernel's TCP counters that show a listen backlog overflowing (machine-wide, this netns). */
export interface TcpCounters {
  /** Handshakes dropped because a listener's accept queue was full (TcpExt ListenOverflows). */
  readonly listenOverflows: number;
  /** SYNs and SYN-ACKs sent again after no answer (TcpExt TCPSynRetrans). */
  readonly synRetransmits: number;
}

/**
 * The counters in the text of /proc/net/netstat: pairs of lines, a header naming the fields and
 * a line of values, for each group ("TcpExt:", "IpExt:", ...). Missing ones read 0.
 */
export function parseNetstat(text: string): TcpCounters {
  const values = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = (lines[i] ?? '').trim().split(/\s+/);
    const numbers = (lines[i + 1] ?? '').trim().split(/\s+/);
    const group = names[0] ?? '';
    if (group !== numbers[0]) continue;
    for (let k = 1; k < names.length; k++)
      values.set(`${group}${names[k] ?? ''}`, Number(numbers[k]));
  }
  const get = (name: string): number => {
    const value = values.get(name);
    return value !== undefined && Number.isFinite(value) ? value : 0;
  };
  return {
    listenOverflows: get('TcpExt:ListenOverflows'),
    synRetransmits: get('TcpExt:TCPSynRetrans'),
  };
}

export function tcpCounters(): TcpCounters {
  return parseNetstat(readFileSync('/proc/net/netstat', 'utf8'));
}
