import type { QueueStatus, TimeSlot } from './queue.entity';

/** "HH:MM" at `now` in an IANA timezone, on a 24-hour clock. */
export function localTime(now: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const part = (type: 'hour' | 'minute') => parts.find((entry) => entry.type === type)?.value ?? '00';
  return `${part('hour')}:${part('minute')}`;
}

/** Inside a slot: `from` included, `to` excluded; a slot whose `from` is after its `to` crosses midnight. */
export function insideSlot(time: string, slot: TimeSlot): boolean {
  return slot.from <= slot.to ? time >= slot.from && time < slot.to : time >= slot.from || time < slot.to;
}

/** Whether a queue hands out jobs at `now` (docs/queues.md, "Status and time slots"). */
export function isOpen(queue: { status: QueueStatus; timeSlots: TimeSlot[]; timezone: string }, now: Date): boolean {
  if (queue.status === 'ENABLED') return true;
  if (queue.status === 'DISABLED') return false;
  const time = localTime(now, queue.timezone);
  return queue.timeSlots.some((slot) => insideSlot(time, slot));
}
