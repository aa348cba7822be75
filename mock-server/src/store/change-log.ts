/**
 * The change log beside a state file: segments `<file>.log.<n>`, one JSON document patch per line, appended with
 * a synchronous write before the change is acknowledged (and fsynced too when asked). A new segment starts at
 * every compaction, so the segments after the compacted document are exactly the changes it lacks.
 */
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StateFileError } from '../node/state-file.ts';
import type { DocumentPatch } from './patch.ts';

export const segmentPath = (file: string, n: number) => `${file}.log.${n}`;

/** The numbers of the file's log segments, oldest first. */
export function listSegments(file: string): number[] {
  const prefix = `${basename(file)}.log.`;
  return readdirSync(dirname(file))
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}

/** Temporary files a save left behind (`<file>.<pid>.<n>.tmp`): never a complete state, safe to delete at start. */
export function leftoverTemporaries(file: string): string[] {
  const prefix = `${basename(file)}.`;
  return readdirSync(dirname(file))
    .filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'))
    .map((name) => join(dirname(file), name));
}

/**
 * A segment's patches. A last line without its newline is a write a crash cut short: its change was never
 * acknowledged, so it is left out (`torn` says so). A complete line that is not JSON is damage: the start stops.
 */
export function readSegment(path: string, label: string): { patches: DocumentPatch[]; torn: boolean } {
  const lines = readFileSync(path, 'utf8').split('\n');
  const last = lines.pop()!; // '' after a complete last line
  const patches = lines.map((line, index) => {
    try {
      return JSON.parse(line) as DocumentPatch;
    } catch {
      throw new StateFileError(
        `${label}: line ${index + 1} of ${path} is damaged (not JSON); it is left as it is: fix it or move it away`,
      );
    }
  });
  return { patches, torn: last !== '' };
}

/** Writes `text` whole to `fd` (a write to a regular file may take less than all of it). */
export function writeAll(fd: number, text: string): void {
  const written = writeSync(fd, text);
  if (written === text.length && written === Buffer.byteLength(text)) return;
  const bytes = Buffer.from(text);
  for (let at = written; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/** Appends to one segment. `write` is replaceable so tests can fail it (a full disk). */
export class SegmentWriter {
  readonly #fd: number;
  readonly #fsync: boolean;
  readonly #write: (fd: number, text: string) => void;
  bytes = 0;

  constructor(path: string, fsync: boolean, write: (fd: number, text: string) => void = writeAll) {
    this.#fd = openSync(path, 'a');
    this.#fsync = fsync;
    this.#write = write;
  }

  /** One patch as one line; returns once the OS has it (and the disk, with fsync). */
  append(patch: DocumentPatch): void {
    const line = `${JSON.stringify(patch)}\n`;
    this.#write(this.#fd, line);
    if (this.#fsync) fsyncSync(this.#fd);
    this.bytes += line.length;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
