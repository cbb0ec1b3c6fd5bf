/** Where the worker says what happens to it. `console` fits, and so do most structured loggers. */
export interface WorkerLogger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export const consoleLogger: WorkerLogger = {
  info: (message, ...details) => console.log(message, ...details),
  warn: (message, ...details) => console.error(message, ...details),
  error: (message, ...details) => console.error(message, ...details),
};
