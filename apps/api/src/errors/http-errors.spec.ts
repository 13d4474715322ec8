import { ForbiddenError, InvalidInputError, InvalidStateError, NotFoundError } from '@duban/domain';
import { httpStatusOf } from './http-errors';

describe('the one map from domain refusals to HTTP', () => {
  it('maps every kind of domain error to its status', () => {
    expect(httpStatusOf(new ForbiddenError('X', 'UNIT_SCOPE', '禁止').kind)).toBe(403);
    expect(httpStatusOf(new InvalidStateError('X', '状态不允许').kind)).toBe(409);
    expect(httpStatusOf(new InvalidInputError('X', 'field', '无效').kind)).toBe(400);
    expect(httpStatusOf(new NotFoundError('X', '不存在').kind)).toBe(404);
  });
});
