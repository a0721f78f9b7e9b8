import { All, Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SoapEndpoint } from './soap-endpoint';

const XML = 'text/xml; charset=utf-8';

/** `/<account>/WebServices/.../*Secure.svc` and `/<account>/service.asmx`; GET `?wsdl` serves the contract. */
@Controller()
export class SoapController {
  constructor(private readonly endpoint: SoapEndpoint) {}

  @All(':account/*path')
  async handle(@Req() request: Request, @Res() response: Response): Promise<void> {
    const [, account, ...rest] = request.path.split('/');
    const path = rest.join('/');
    const service = this.endpoint.service(path);
    if (request.method === 'GET' && service && Object.keys(request.query).some((key) => /^(wsdl|singlewsdl)$/i.test(key))) {
      const address = `${request.protocol}://${request.get('host')}/${account}/${service.path}`;
      response.status(200).type(XML).send(this.endpoint.wsdl(service, address));
      return;
    }
    if (request.method !== 'POST') {
      response.status(405).type('text/plain').send('SOAP endpoints accept POST');
      return;
    }
    const reply = await this.endpoint.handle({
      account,
      path,
      soapAction: request.get('SOAPAction'),
      body: typeof request.body === 'string' ? request.body : '',
    });
    if (!reply) {
      response.status(404).type('text/plain').send('No such site or service');
      return;
    }
    response.status(reply.status).type(XML).send(reply.body);
  }
}
