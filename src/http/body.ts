import type { IncomingMessage } from 'node:http';
import { admittedBodyLimits, type ByteBudget } from './ingress.js';

/** Why a body was not read; `status` is the HTTP answer that says so. */
export class BodyError extends Error {
  override name = 'BodyError';

  constructor(
    readonly status: 400 | 408 | 411 | 413 | 503,
    message: string,
  ) {
    super(message);
  }
}

export class BodyTooLargeError extends BodyError {
  override name = 'BodyTooLargeError';

  constructor(message: string) {
    super(413, message);
  }
}

export interface BodyLimits {
  /** Bytes the body may have. */
  limit: number;
  /** Time the whole body may take to arrive once the headers are in. */
  timeoutMs?: number;
  /** Shared allowance for bytes of untrusted bodies; charged as they arrive, released when read. */
  budget?: ByteBudget;
}

/**
 * Whether the headers allow reading the body at all: a declared `Content-Length` within the limit, or a
 * chunked body (then cut at the limit while reading). Checked before a byte of the body is read.
 */
export function bodyRefusal(req: IncomingMessage, limit: number): BodyError | null {
  const header = req.headers['content-length'];
  const chunked = /\bchunked\b/i.test(req.headers['transfer-encoding'] ?? '');
  if (header === undefined) {
    return chunked ? null : new BodyError(411, 'Content-Length is required');
  }
  if (!/^\d{1,12}$/.test(header)) return new BodyError(400, 'Content-Length is not a number');
  const declared = Number(header);
  if (declared > limit) {
    return new BodyTooLargeError(`body of ${declared} bytes is over the ${limit}-byte limit`);
  }
  return null;
}

/**
 * Reads a request body of at most `limit` bytes (with the timeout and budget of the ingress guard that
 * admitted the request, unless given). The headers are checked first (`bodyRefusal`); a body
 * that grows past the limit, outlasts its time or would overdraw the shared budget is cut off and its
 * connection closed, so a slow or oversized sender holds neither memory nor the socket.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits | number): Promise<Buffer> {
  // A request admitted by the ingress guard brings its body timeout and the shared budget along.
  const { limit, timeoutMs, budget } = {
    ...admittedBodyLimits(req),
    ...(typeof limits === 'number' ? { limit: limits } : limits),
  };
  return new Promise((resolve, reject) => {
    const refusal = bodyRefusal(req, limit);
    if (refusal) {
      reject(refusal);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      budget?.release(size);
      req.off('data', onData);
      if (error) {
        // The rest of the body is not wanted: the connection closes once the answer is written.
        req.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        finish(new BodyTooLargeError(`body is over the ${limit}-byte limit`));
        return;
      }
      if (budget && !budget.charge(chunk.length)) {
        finish(new BodyError(503, 'too many request bodies are being read; try again'));
        return;
      }
      size += chunk.length;
      chunks.push(chunk);
    };
    const timer = timeoutMs
      ? setTimeout(
          () => finish(new BodyError(408, `the body did not arrive within ${timeoutMs} ms`)),
          timeoutMs,
        )
      : undefined;
    timer?.unref();
    req.on('data', onData);
    req.once('end', () => finish(null));
    req.once('error', (error) => finish(error));
    req.once('close', () => finish(new BodyError(400, 'the connection closed before the body ended')));
  });
}
