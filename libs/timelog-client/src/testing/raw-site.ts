import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createTimeLogClient, TimeLogClient } from '../timelog-client';

/** A SOAP 1.1 envelope around `body`, as TimeLog's WCF services write it. */
export const soap = (body: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header /><s:Body>${body}</s:Body></s:Envelope>`;

const TOKEN = soap(`<GetTokenResponse xmlns="http://www.timelog.com/api/tlp/v1_2">
  <GetTokenResult xmlns:a="http://www.timelog.com/api/tlp/v1_1" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
    <a:Return><SecurityToken><Initials>sox</Initials><Expires>2999-05-19T23:04:27.4056048+02:00</Expires><Hash>i/HVuTHHvtBcQpBpeuvl9brMeks25BNRGNFhPd+HGeA4Vraj21g4Oi6t7mG2pfHaw8mYnDL+l4QPwImk9lrkiw==</Hash></SecurityToken></a:Return>
    <a:ReturnTypeDescription>SecurityToken</a:ReturnTypeDescription>
    <a:ResponseState>Success</a:ResponseState><a:Messages /><a:ErrorCode>0</a:ErrorCode>
  </GetTokenResult></GetTokenResponse>`);

/**
 * A stand-in TimeLog site that answers each operation (named by its SOAPAction) with the raw XML a test sets in
 * `answers`, so the client can be fed captured responses byte for byte. GetToken always succeeds.
 */
export class RawTimeLogSite {
  answers: Record<string, string> = {};
  private server?: Server;
  private sites = 0;

  async start(): Promise<this> {
    this.server = createServer((request, reply) => {
      const action = String(request.headers.soapaction ?? '').replace(/"/g, '');
      const operation = action.split('/').pop()!.replace(/Request$/, '');
      request.resume().on('end', () => {
        const body = operation === 'GetToken' ? TOKEN : this.answers[operation];
        reply.writeHead(body ? 200 : 500, { 'content-type': 'text/xml; charset=utf-8' }).end(body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A client for a fresh account on this site (its own token and SOAP clients). */
  client(): TimeLogClient {
    const { port } = this.server!.address() as AddressInfo;
    return createTimeLogClient({ domain: `http://127.0.0.1:${port}`, accountName: `raw-${++this.sites}`, username: 'sox', password: 'secret', siteCode: 'S', reportingUsername: 'r', reportingPassword: 'p' });
  }
}
