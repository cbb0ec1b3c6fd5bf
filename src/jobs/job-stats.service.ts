import { Injectable } from '@nestjs/common';
import { Principal } from '../common/principal';
import { FinishedCountsDto, JobStatsBucketDto, JobStatsResponseDto } from './dto/job-stats.dto';
import { ListJobsQueryDto } from './dto/list-jobs-query.dto';
import { JobStatsRepository, MinuteCount, MinuteStatusCount } from './job-stats.repository';
import { JobsService } from './jobs.service';

const MINUTE_MS = 60_000;

export interface StatsWindow {
  /** The first minute, inclusive. */
  from: Date;
  /** The end of the minute `now` is in, exclusive. */
  to: Date;
}

/** The last `minutes` whole minutes up to and including the current one. */
export function statsWindow(now: Date, minutes: number): StatsWindow {
  const to = (Math.floor(now.getTime() / MINUTE_MS) + 1) * MINUTE_MS;
  return { from: new Date(to - minutes * MINUTE_MS), to: new Date(to) };
}

/** The database's minute key (`YYYY-MM-DD HH:MM`, UTC) of an instant. */
export const minuteKey = (instant: Date): string => instant.toISOString().slice(0, 16).replace('T', ' ');

/** One bucket per minute of the window, oldest first, minutes without jobs counted as zero. */
export function toBuckets(window: StatsWindow, submitted: readonly MinuteCount[], finished: readonly MinuteStatusCount[]): JobStatsBucketDto[] {
  const buckets = new Map<string, JobStatsBucketDto>();
  for (let at = window.from.getTime(); at < window.to.getTime(); at += MINUTE_MS) {
    const minute = new Date(at);
    buckets.set(minuteKey(minute), { minute: minute.toISOString(), submitted: 0, finished: { COMPLETED: 0, ERROR: 0, ABORTED: 0 } });
  }
  for (const row of submitted) {
    const bucket = buckets.get(row.minute);
    if (bucket) bucket.submitted += row.count;
  }
  for (const row of finished) {
    const bucket = buckets.get(row.minute);
    if (bucket && Object.hasOwn(bucket.finished, row.status)) bucket.finished[row.status as keyof FinishedCountsDto] += row.count;
  }
  return [...buckets.values()];
}

@Injectable()
export class JobStatsService {
  constructor(
    private readonly stats: JobStatsRepository,
    private readonly jobs: JobsService,
  ) {}

  /** Counted over the jobs the caller may list: its own only, without JOBS_ALL. */
  async perMinute(principal: Principal, minutes: number, now = new Date()): Promise<JobStatsResponseDto> {
    const window = statsWindow(now, minutes);
    const { submittedBy } = this.jobs.criteriaFor(principal, new ListJobsQueryDto());
    const [submitted, finished] = await Promise.all([
      this.stats.submittedPerMinute(window.from, window.to, submittedBy),
      this.stats.finishedPerMinute(window.from, window.to, submittedBy),
    ]);
    return { from: window.from.toISOString(), to: window.to.toISOString(), buckets: toBuckets(window, submitted, finished) };
  }
}
