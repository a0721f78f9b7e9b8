import { readSoapResponse, UnreadableSoapResponse } from './soap-response';

const envelope = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${body}</s:Body></s:Envelope>`;

const workResponse = (units: string) =>
  envelope(
    `<GetEmployeeWorkResponse xmlns="http://www.timelog.com/api/tlp/v1_8" xmlns:a="http://api.timelog.com" xmlns:b="http://www.timelog.com/api/tlp/v1_7" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
      `<GetEmployeeWorkResult><a:ResponseState>Success</a:ResponseState><a:Return>${units}</a:Return></GetEmployeeWorkResult></GetEmployeeWorkResponse>`,
  );

const resultOf = (xml: string) => (readSoapResponse(xml) as any).Body.GetEmployeeWorkResponse.GetEmployeeWorkResult;

describe('readSoapResponse', () => {
  it('reads elements by local name, text trimmed and unescaped, a repeated element as an array', () => {
    const result = resultOf(
      workResponse(
        `<b:WorkUnit><b:Description>  Fish &amp; chips &lt;3 &#233;  </b:Description><b:TaskID>7</b:TaskID></b:WorkUnit>` +
          `<b:WorkUnit><b:Description><![CDATA[<raw> & kept]]></b:Description><b:TaskID>8</b:TaskID></b:WorkUnit>`,
      ),
    );
    expect(result.ResponseState).toBe('Success');
    expect(result.Return.WorkUnit).toEqual([
      { Description: 'Fish & chips <3 é', TaskID: '7' },
      { Description: '<raw> & kept', TaskID: '8' },
    ]);
  });

  it('leaves out an xsi:nil element, makes an empty one (or one of nils only) null and keeps one item an object', () => {
    const result = resultOf(
      workResponse(`<b:WorkUnit><b:AdditionalText i:nil="true"/><b:Description/><b:Details><b:TaskHeader i:nil="true"/></b:Details><b:TaskID>7</b:TaskID></b:WorkUnit>`),
    );
    expect(result.Return.WorkUnit).toEqual({ Description: null, Details: null, TaskID: '7' });
  });

  it("leaves out the units' output-only Details of a work batch write's answer, and only there", () => {
    const unit = (guid: string) =>
      `<b:Item><c:GUID>${guid}</c:GUID><c:Description>a &lt;c:Details&gt; note</c:Description>` +
      `<c:Details><c:TaskHeader><c:ID>100</c:ID><c:Name>Design</c:Name></c:TaskHeader><c:ProjectHeader><c:ID>10</c:ID></c:ProjectHeader></c:Details></b:Item>`;
    const answer = (operation: string, details: string) =>
      envelope(
        `<${operation}Response xmlns="http://www.timelog.com/api/tlp/v1_8" xmlns:a="http://api.timelog.com" xmlns:b="http://www.timelog.com/api/tlp/v1_2" xmlns:c="http://www.timelog.com/api/tlp/v1_7" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
          `<${operation}Result><a:Return><b:BatchContainerOfWorkUnit>${unit('g1')}<b:Status>Success</b:Status></b:BatchContainerOfWorkUnit>` +
          `<b:BatchContainerOfWorkUnit><b:Item><c:GUID>g2</c:GUID>${details}</b:Item><b:Status>Success</b:Status></b:BatchContainerOfWorkUnit></a:Return>` +
          `<a:ResponseState>Success</a:ResponseState></${operation}Result></${operation}Response>`,
      );
    for (const operation of ['InsertWork', 'UpdateWork', 'DeleteWork']) {
      const result = (readSoapResponse(answer(operation, '<c:Details i:nil="true"/>')) as any).Body[`${operation}Response`][`${operation}Result`];
      expect(result.ResponseState).toBe('Success');
      expect(result.Return.BatchContainerOfWorkUnit).toEqual([
        { Item: { GUID: 'g1', Description: 'a <c:Details> note' }, Status: 'Success' },
        { Item: { GUID: 'g2' }, Status: 'Success' },
      ]);
    }
    // Anything else keeps them: the poller reads a unit's project from GetEmployeeWork's.
    const read = (readSoapResponse(answer('GetEmployeeWork', '')) as any).Body.GetEmployeeWorkResponse.GetEmployeeWorkResult;
    expect(read.Return.BatchContainerOfWorkUnit[0].Item.Details).toEqual({ TaskHeader: { ID: '100', Name: 'Design' }, ProjectHeader: { ID: '10' } });
  });

  it('keeps attributes other than namespace declarations under `attributes`, text under `$value`', () => {
    const read = readSoapResponse(envelope(`<R xmlns="urn:x"><Doc ID="12" xmlns:q="urn:q">text</Doc><Row ID="3"/></R>`)) as any;
    expect(read.Body.R).toEqual({ Doc: { attributes: { ID: '12' }, $value: 'text' }, Row: { attributes: { ID: '3' } } });
  });

  it('throws a SOAP Fault as node-soap does, with the document under `root` for the failure classification', () => {
    const fault = envelope(`<s:Fault><faultcode xmlns:a="urn:a">a:DeserializationFailed</faultcode><faultstring xml:lang="en">bad request</faultstring></s:Fault>`);
    let thrown: any;
    try {
      readSoapResponse(fault);
    } catch (error) {
      thrown = error;
    }
    expect(thrown.message).toBe('a:DeserializationFailed: bad request');
    expect(thrown.root.Envelope.Body.Fault.faultcode).toBe('a:DeserializationFailed');
  });

  it.each([
    ['cut off', workResponse('<b:WorkUnit><b:TaskID>7</b:TaskID></b:WorkUnit>').slice(0, -40)],
    ['mismatched', envelope('<a><b>x</c></a>')],
    ['two roots', `${envelope('')}<extra/>`],
    ['not XML', '{"error":"not xml"}'],
  ])('refuses a document that is %s', (_name, xml) => {
    expect(() => readSoapResponse(xml)).toThrow(UnreadableSoapResponse);
  });

  it('returns a document without an Envelope under its root name, as node-soap does', () => {
    expect(readSoapResponse('<html><body>Service unavailable</body></html>')).toEqual({ html: { body: 'Service unavailable' } });
  });
});
