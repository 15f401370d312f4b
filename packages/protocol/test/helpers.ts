import { DecodeError } from '../src/index.js';

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}

/** Runs `action` and returns the DecodeError it throws; anything else fails the test. */
export function captureDecodeError(action: () => unknown): DecodeError {
  try {
    action();
  } catch (error) {
    if (error instanceof DecodeError) return error;
    throw error;
  }
  throw new Error('expected a DecodeError');
}
