import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { ExternalCallError } from '@timelog-sync/domain';

/**
 * Forecast or TimeLog failing a live read (people, projects, links) is a 502 naming the vendor and the failure
 * code, never a 500; the vendor's message stays in the logs (it may carry addresses).
 */
@Catch(ExternalCallError)
export class VendorFailureFilter implements ExceptionFilter {
  catch(error: ExternalCallError, host: ArgumentsHost) {
    const vendor = error.vendor === 'forecast' ? 'Forecast' : 'TimeLog';
    const message = `${vendor} did not answer as expected${error.code ? ` (${error.code})` : ''}${error.retryable ? '; try again in a minute' : ''}`;
    host.switchToHttp().getResponse<Response>().status(502).json({ error: { code: `${error.vendor}.unavailable`, message } });
  }
}
