/** "Now" by the database clock, in each driver's DATETIME(3) form, so every instance compares against one clock. */
export function sqlNow(mysql: boolean): string {
  return mysql ? 'UTC_TIMESTAMP(3)' : "strftime('%Y-%m-%d %H:%M:%f', 'now')";
}

/** Now minus a number of days given as SQL (a bound parameter). */
export function sqlNowMinusDays(mysql: boolean, days: string): string {
  return mysql
    ? `DATE_SUB(UTC_TIMESTAMP(3), INTERVAL ${days} DAY)`
    : `strftime('%Y-%m-%d %H:%M:%f', 'now', '-' || (${days}) || ' days')`;
}

/** Now plus a number of seconds given as SQL (a column name or a bound parameter). */
export function sqlNowPlusSeconds(mysql: boolean, seconds: string): string {
  return mysql
    ? `DATE_ADD(UTC_TIMESTAMP(3), INTERVAL ${seconds} SECOND)`
    : `strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || (${seconds}) || ' seconds')`;
}

/** Now plus a number of milliseconds given as SQL (a bound integer parameter). */
export function sqlNowPlusMs(mysql: boolean, ms: string): string {
  return mysql
    ? `DATE_ADD(UTC_TIMESTAMP(3), INTERVAL (${ms}) * 1000 MICROSECOND)`
    : `strftime('%Y-%m-%d %H:%M:%f', 'now', '+' || ((${ms}) / 1000.0) || ' seconds')`;
}

/** A DATETIME column truncated to its minute as text, `YYYY-MM-DD HH:MM` on both dialects (per-minute counts). */
export function sqlMinute(mysql: boolean, column: string): string {
  return mysql ? `DATE_FORMAT(${column}, '%Y-%m-%d %H:%i')` : `strftime('%Y-%m-%d %H:%M', ${column})`;
}
