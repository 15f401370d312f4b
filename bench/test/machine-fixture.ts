/** The machine line of test results: a fixed description, measured at `date`. */
export function testMachine(date: string) {
  return {
    date,
    cpu: 'Test CPU',
    cores: 2,
    memoryGiB: 24,
    kernel: 'Linux test',
    node: 'v20.20.2',
    compiler: 'cc 12',
    versions: { ws: '8.23.0' },
  };
}
