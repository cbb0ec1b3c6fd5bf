import { isRefusedByGateway } from './errors';
import { LogLine, PROTOCOL_LIMITS } from './protocol';

/** Lines kept while the gateway cannot take them; the oldest go first so memory stays bounded. */
const MAX_BUFFERED_LINES = 1000;

export class JobLogBuffer {
  private lines: LogLine[] = [];
  private droppedLines = 0;
  private lastFlush: Promise<void> = Promise.resolve();

  constructor(private readonly send: (lines: LogLine[]) => Promise<unknown>) {}

  get size(): number {
    return this.lines.length;
  }

  add(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > MAX_BUFFERED_LINES) {
      this.lines.shift();
      this.droppedLines++;
    }
  }

  /** In order, one flush after another; an undelivered batch stays, a refused one is dropped (it would be again). */
  flush(): Promise<void> {
    const sendAfterPrevious = () => this.sendBuffered();
    this.lastFlush = this.lastFlush.then(sendAfterPrevious, sendAfterPrevious);
    return this.lastFlush;
  }

  private async sendBuffered(): Promise<void> {
    if (this.droppedLines > 0) {
      const message = `${this.droppedLines} log lines were dropped: the gateway could not take them in time`;
      this.lines.unshift({ level: 'warn', message });
      this.droppedLines = 0;
    }
    while (this.lines.length > 0) {
      const batch = this.lines.splice(0, PROTOCOL_LIMITS.maxLogLinesPerCall);
      try {
        await this.send(batch);
      } catch (error) {
        if (!isRefusedByGateway(error)) this.lines.unshift(...batch);
        throw error;
      }
    }
  }
}
