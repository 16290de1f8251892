// What a watch's two transports (watch.ts on HTTP/1.1, watch-h2.ts on HTTP/2) read the same way: the error of an
// answer other than 200, and the newline-delimited JSON events of the stream.
import { KubeRequestError } from './raw.js';
import type { WatchEvent } from './watch.js';

/** A watch answered with STATUS: the apiserver's Status message when the body is one, else the body. */
export function watchFailure(path: string, status: number, text: string): KubeRequestError {
  let message = text;
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    // not JSON
  }
  return new KubeRequestError(`watch ${path}: HTTP ${status}: ${message}`, status, text);
}

/**
 * A reader of the stream's text chunks: each complete line is an event for `onEvent`, in order; a line that is not
 * JSON goes to `fail` (which ends the stream) and nothing after it is read.
 */
export function eventLines(path: string, onEvent: (event: WatchEvent) => void, fail: (err: Error) => void): (chunk: string) => void {
  let buffered = '';
  let failed = false;
  return (chunk) => {
    if (failed) return;
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      let event: WatchEvent;
      try {
        event = JSON.parse(line) as WatchEvent;
      } catch {
        failed = true;
        fail(new Error(`watch ${path}: an event that is not JSON`));
        return;
      }
      onEvent(event);
    }
  };
}
