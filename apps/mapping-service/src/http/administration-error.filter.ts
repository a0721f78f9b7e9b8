import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AdministrationError } from '@timelog-sync/administration';

/** Maps refusals to `{ error: { code, message, fields } }` with their HTTP status. */
@Catch(AdministrationError)
export class AdministrationErrorFilter implements ExceptionFilter {
  catch(error: AdministrationError, host: ArgumentsHost) {
    host.switchToHttp().getResponse<Response>().status(error.status).json({ error: { code: error.code, message: error.message, fields: error.fields } });
  }
}
