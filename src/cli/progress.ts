/**
 * The progress line on a terminal: files linted of total and sites so far, on stderr, drawn only once a
 * run has taken a second and redrawn at most ten times a second, then erased.
 */
import { formatNumber } from '../util/format-number.js';

export interface ProgressStream {
  write(text: string): boolean;
}

/** Whether to draw progress by default: a terminal, not CI, and a format meant for people. */
export function wantsProgress(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv, format: string): boolean {
  return stream.isTTY === true && !env['CI'] && format === 'table';
}

export class Progress {
  readonly #stream: ProgressStream;
  readonly #started: number;
  readonly #now: () => number;
  #drawnAt: number | undefined;

  constructor(stream: ProgressStream, now: () => number = Date.now) {
    this.#stream = stream;
    this.#now = now;
    this.#started = now();
  }

  /** Reports `done` of `total` files and `sites` sites so far. */
  update(done: number, total: number, sites: number): void {
    const now = this.#now();
    if (now - this.#started < 1000) return;
    if (this.#drawnAt !== undefined && now - this.#drawnAt < 100 && done < total) return;
    this.#drawnAt = now;
    this.#stream.write(`\r\u001B[2Kcoordination-ladder: ${formatNumber(done)}/${formatNumber(total)} files linted, ${formatNumber(sites)} site${sites === 1 ? '' : 's'} so far`);
  }

  /** Erases the line, if one was drawn. */
  end(): void {
    if (this.#drawnAt !== undefined) this.#stream.write('\r\u001B[2K');
    this.#drawnAt = undefined;
  }
}
