import { NotFoundError } from '@duban/domain';

/** The report a period key names, or the 404 that it was not (yet) published. */
export function published<T>(report: T | null | undefined, what: string, key: string): T {
  if (report === null || report === undefined) {
    throw new NotFoundError('REPORT_NOT_PUBLISHED', `${what} ${key} 尚未发布`);
  }
  return report;
}
