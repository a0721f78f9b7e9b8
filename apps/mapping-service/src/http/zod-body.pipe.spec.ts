import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { ZodPipe } from './zod-body.pipe';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as BadRequestException).getResponse();
  }
  throw new Error('expected a 400');
};

describe('ZodPipe', () => {
  it('names a bad path parameter by its name', () => {
    const pipe = new ZodPipe(z.coerce.number().int().positive());
    expect(pipe.transform('42', { type: 'param', data: 'personId' })).toBe(42);
    expect(refusal(() => pipe.transform('not-a-number', { type: 'param', data: 'personId' }))).toMatchObject({
      error: { code: 'invalid_request', errors: [{ path: 'personId', message: expect.any(String) }] },
    });
  });

  it('names each bad body field by its path', () => {
    const pipe = new ZodPipe(z.object({ timelog: z.object({ password: z.string().min(1) }), syncFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }));
    expect(refusal(() => pipe.transform({ timelog: { password: '' }, syncFrom: 'soon' }, { type: 'body' }))).toMatchObject({
      error: { errors: [{ path: 'timelog.password' }, { path: 'syncFrom' }] },
    });
  });
});
