import { allMembers, complex, m, xs } from '../contract/data-contract';
import { task } from '../contract/data-contracts';
import { NS } from '../contract/namespaces';
import { parseXml } from '../xml/xml-element';
import { PrefixRegistry } from '../xml/xml-writer';
import { decodeMembers, DeserializationFault, encodeValue } from './contract-codec';

const token = complex(NS.v1_3, 'SecurityToken', [m('Initials', xs.string, true), m('Expires', xs.dateTime, true), m('Hash', xs.string, true)]);
const params = [m('initials', xs.string), m('token', token, true)].map((member) => ({ member, ns: NS.v1_8 }));
const tokenXml = `<token><t:Initials xmlns:t="${NS.v1_3}">A</t:Initials><t:Expires xmlns:t="${NS.v1_3}">2026-03-10T23:00:00.1234567+01:00</t:Expires><t:Hash xmlns:t="${NS.v1_3}">h</t:Hash></token>`;
const call = (children: string) => parseXml(`<Op xmlns="${NS.v1_8}">${children}</Op>`);

describe('contract codec', () => {
  it('decodes members in order, keeping dateTime text unchanged', () => {
    expect(decodeMembers(call(`<initials>JD</initials>${tokenXml}`), params, true)).toEqual({
      initials: 'JD',
      token: { Initials: 'A', Expires: '2026-03-10T23:00:00.1234567+01:00', Hash: 'h' },
    });
  });

  it('strictly refuses out-of-order, foreign-namespace and missing required members', () => {
    expect(() => decodeMembers(call(`${tokenXml}<initials>JD</initials>`), params, true)).toThrow(/out of order/);
    expect(() => decodeMembers(call(tokenXml.replace(new RegExp(NS.v1_3, 'g'), NS.v1_8)), params, true)).toThrow(/not expected/);
    expect(() => decodeMembers(call('<initials>JD</initials>'), params, true)).toThrow(DeserializationFault);
  });

  it('is lenient about order and namespaces when strictness is off', () => {
    const decoded = decodeMembers(call(`${tokenXml}<initials>JD</initials>`), params, false);
    expect(decoded.initials).toBe('JD');
  });

  it('requires inherited members in the base type namespace (the node-soap trap)', () => {
    const members = allMembers(task);
    expect(() => decodeMembers(parseXml(`<task xmlns="${NS.v1_7}"><Action>Created</Action><Name>x</Name></task>`), members, true)).toThrow(/not expected/);
    const ok = decodeMembers(parseXml(`<task xmlns="${NS.v1_7}"><a:Action xmlns:a="${NS.api}">Created</a:Action><Name>x</Name></task>`), members, true);
    expect(ok).toEqual({ Action: 'Created', Name: 'x' });
  });

  it('encodes members in contract order with .NET defaults for absent value types', () => {
    const prefixes = new PrefixRegistry(NS.v1_8);
    const xml = encodeValue(prefixes, 'token', NS.v1_8, token, { Hash: 'h', Initials: 'A' });
    expect(xml).toBe('<token><a:Initials>A</a:Initials><a:Expires>0001-01-01T00:00:00</a:Expires><a:Hash>h</a:Hash></token>');
    expect(prefixes.declarations()).toBe(` xmlns="${NS.v1_8}" xmlns:a="${NS.v1_3}"`);
  });
});
