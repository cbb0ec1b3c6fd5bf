import { isRefusedByGateway } from './errors';
import { LogLine, PROTOCOL_LIMITS } from './protocol';

/** Lines kept while the gateway cannot take them; the oldest go first so memory stays bounded. */
const MAX_BUFFERED_LINES = 1000;

/** Collects a job's log lines and sends them in order, in batches the gateway accepts. */
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

  /**
   * Sends every line added so far. Flushes run one after the other so lines never overtake each
   * other. A batch that could not be delivered stays buffered for the next flush; one the gateway
   * refused is dropped, as it would be refused again.
   */
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
