import { describe, expect, it } from 'vitest';
import { GatewayError, GatewayUnreachableError } from './errors';
import { JobLogBuffer } from './log-buffer';
import { LogLine } from './protocol';

function recordingBuffer(failures: Error[] = []) {
  const batches: LogLine[][] = [];
  const buffer = new JobLogBuffer(async (lines) => {
    const failure = failures.shift();
    if (failure) throw failure;
    batches.push(lines);
  });
  return { buffer, batches };
}

const messages = (batches: LogLine[][]) => batches.flat().map((line) => line.message);

describe('JobLogBuffer', () => {
  it('sends lines in order and at most 100 per batch, also when flushes overlap', async () => {
    const { buffer, batches } = recordingBuffer();
    for (let line = 1; line <= 150; line++) buffer.add({ message: String(line) });
    const first = buffer.flush();
    buffer.add({ message: '151' });
    await Promise.all([first, buffer.flush()]);
    expect(batches.every((batch) => batch.length <= 100)).toBe(true);
    expect(messages(batches)).toEqual(Array.from({ length: 151 }, (_, index) => String(index + 1)));
  });

  it('keeps a batch that could not be delivered for the next flush', async () => {
    const { buffer, batches } = recordingBuffer([new GatewayUnreachableError('down', { cause: undefined })]);
    buffer.add({ message: 'a' });
    await expect(buffer.flush()).rejects.toThrow('down');
    buffer.add({ message: 'b' });
    await buffer.flush();
    expect(messages(batches)).toEqual(['a', 'b']);
  });

  it('drops a batch the gateway refused', async () => {
    const { buffer, batches } = recordingBuffer([new GatewayError(400, 'VALIDATION_FAILED', 'bad line')]);
    buffer.add({ message: 'refused' });
    await expect(buffer.flush()).rejects.toThrow('bad line');
    buffer.add({ message: 'accepted' });
    await buffer.flush();
    expect(messages(batches)).toEqual(['accepted']);
  });

  it('keeps the newest 1000 lines while nothing can be sent, and says how many were dropped', async () => {
    const { buffer, batches } = recordingBuffer();
    for (let line = 1; line <= 1005; line++) buffer.add({ message: String(line) });
    await buffer.flush();
    const sent = batches.flat();
    expect(sent[0]).toEqual({ level: 'warn', message: '5 log lines were dropped: the gateway could not take them in time' });
    expect(sent.slice(1).map((line) => line.message)).toEqual(Array.from({ length: 1000 }, (_, index) => String(index + 6)));
  });
});
