import { ArgumentMetadata, BadRequestException, PipeTransform } from '@nestjs/common';
import { ZodTypeAny, z } from 'zod';

/** Validates a request part with a zod schema; 400 names every bad field (a path parameter by its name). */
export class ZodPipe<S extends ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata?: ArgumentMetadata): z.infer<S> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new BadRequestException({
      error: {
        code: 'invalid_request',
        message: 'The request has invalid fields',
        errors: result.error.issues.map((issue) => ({ path: [metadata?.data, ...issue.path].filter((part) => part !== undefined).join('.'), message: issue.message })),
      },
    });
  }
}
