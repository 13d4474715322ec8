import type { components } from './schema';

export type ErrorBody = components['schemas']['ErrorBody'];

/** The API's refusal, carried as an Error so the query cache and forms show its Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody>,
  ) {
    super(body.message ?? `请求失败（${status}）`);
  }
}
