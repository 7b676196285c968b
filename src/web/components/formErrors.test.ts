import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../api';
import { formErrors } from './Form';

const refused = (errors: { field: string; message: string }[]) =>
  new ApiError(400, { type: 'validation', title: 'Invalid', status: 400, errors } as never, 'Invalid');

describe('formErrors', () => {
  it("keys the server's field errors by the first part of the path, first message winning", () => {
    expect(
      formErrors(
        refused([
          { field: 'body.instructorIds.0', message: 'Not an instructor.' },
          { field: 'body.instructorIds.1', message: 'Also not one.' },
          { field: 'query.from', message: 'From must be a date.' },
          { field: 'credits[2].amount', message: 'Too many.' },
        ]),
      ),
    ).toEqual({ instructorIds: 'Not an instructor.', from: 'From must be a date.', credits: 'Too many.' });
  });

  it('does the same for the issues of a zod check in the browser', () => {
    const check = z.object({
      phone: z.string().max(3, 'Too long.'),
      tags: z.array(z.string().min(2, 'Short.')),
    });
    const result = check.safeParse({ phone: '12345', tags: ['ok', 'x'] });
    expect(result.success).toBe(false);
    expect(formErrors(result.error!.issues)).toEqual({ phone: 'Too long.', tags: 'Short.' });
  });

  it('gives nothing for no error, a network failure or a request refused without field errors', () => {
    expect(formErrors(null)).toEqual({});
    expect(formErrors(new TypeError('Failed to fetch'))).toEqual({});
    expect(formErrors(new ApiError(409, null, 'Conflict'))).toEqual({});
  });
});
