import { Presets, SingleBar } from 'cli-progress';
import type { Job } from '../client';
import type { CliIo } from './cli-io';

/** Feeds `--wait`'s answers to a bar on a terminal's stderr, or to one line per change elsewhere (CI logs). */
export class WaitProgress {
  private bar?: SingleBar;
  private last = '';

  constructor(
    private readonly io: CliIo,
  ) {}

  update(job: Job): void {
    const percent = job.progress ?? 0;
    if (this.io.stderr.isTTY) {
      if (!this.bar) {
        this.bar = new SingleBar(
          { format: `job ${job.id} {bar} {percentage}% {status}`, stream: this.io.stderr as NodeJS.WritableStream, hideCursor: true },
          Presets.shades_classic,
        );
        this.bar.start(100, percent, { status: job.status });
      }
      this.bar.update(percent, { status: job.status });
      return;
    }
    const line = `job ${job.id} ${job.status} ${job.progress === null ? '' : `${job.progress}%`}`.trimEnd();
    if (line !== this.last) this.io.stderr.write(`${line}\n`);
    this.last = line;
  }

  /** Ends the bar; the command then prints the final status. */
  finish(job: Job): void {
    if (this.bar) {
      if (job.status === 'COMPLETED') this.bar.update(100, { status: job.status });
      this.bar.stop();
    }
  }
}
