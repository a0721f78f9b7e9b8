import { arrayItemName, ComplexType, EnumType, Member, TypeRef } from './data-contract';
import { NS } from './namespaces';
import { replyAction, ServiceContract, soapAction } from './services';

const SERIALIZATION_NS = 'http://schemas.microsoft.com/2003/10/Serialization/';

/** Everything a schema section of the WSDL declares, grouped by target namespace. */
class SchemaSet {
  readonly byNs = new Map<string, Map<string, ComplexType | EnumType | { kind: 'array'; item: TypeRef }>>();
  private readonly prefixes = new Map<string, string>([
    [NS.xs, 'xs'],
    [SERIALIZATION_NS, 'ser'],
  ]);

  prefix(ns: string): string {
    let prefix = this.prefixes.get(ns);
    if (!prefix) {
      prefix = `q${this.prefixes.size - 1}`;
      this.prefixes.set(ns, prefix);
    }
    return prefix;
  }

  declarations(): string {
    return [...this.prefixes].map(([ns, prefix]) => ` xmlns:${prefix}="${ns}"`).join('');
  }

  add(type: TypeRef): void {
    if (type.kind === 'primitive' || type.kind === 'anyXml') return;
    const ns = type.kind === 'array' ? this.arrayNs(type.item) : type.ns;
    const name = this.typeName(type);
    const types = this.byNs.get(ns) ?? new Map();
    this.byNs.set(ns, types);
    if (types.has(name)) return;
    types.set(name, type);
    if (type.kind === 'array') this.add(type.item);
    if (type.kind === 'complex') {
      if (type.base) this.add(type.base);
      type.members.forEach((member) => this.add(member.type));
    }
  }

  arrayNs(item: TypeRef): string {
    if (item.kind === 'primitive') return NS.arrays;
    if (item.kind === 'array' || item.kind === 'anyXml') throw new Error('unsupported array item');
    return item.ns;
  }

  typeName(type: TypeRef): string {
    if (type.kind === 'array') return `ArrayOf${arrayItemName(type.item)}`;
    if (type.kind === 'primitive' || type.kind === 'anyXml') throw new Error('primitives have no declared name');
    return type.name;
  }

  qname(type: TypeRef): string {
    if (type.kind === 'primitive') {
      const builtIn = { string: 'xs:string', int: 'xs:int', double: 'xs:double', boolean: 'xs:boolean', dateTime: 'xs:dateTime', duration: 'xs:duration', base64: 'xs:base64Binary', guid: 'ser:guid', anyType: 'xs:anyType' };
      return builtIn[type.name];
    }
    const ns = type.kind === 'array' ? this.arrayNs(type.item) : (type as ComplexType | EnumType).ns;
    return `${this.prefix(ns)}:${this.typeName(type)}`;
  }
}

const VALUE_TYPES = new Set(['int', 'double', 'boolean', 'dateTime', 'duration', 'guid']);

function memberElement(set: SchemaSet, member: Member, asmx: boolean): string {
  const { type } = member;
  if (type.kind === 'anyXml') {
    const mixed = asmx ? ' mixed="true"' : '';
    return `<xs:element minOccurs="0" name="${member.name}"><xs:complexType${mixed}><xs:sequence><xs:any minOccurs="0" processContents="lax"/></xs:sequence></xs:complexType></xs:element>`;
  }
  const valueType = type.kind === 'enum' || (type.kind === 'primitive' && VALUE_TYPES.has(type.name));
  if (asmx) {
    const occurs = valueType ? 'minOccurs="1" maxOccurs="1"' : 'minOccurs="0" maxOccurs="1"';
    return `<xs:element ${occurs} name="${member.name}" type="${set.qname(type)}"/>`;
  }
  const occurs = member.required ? '' : 'minOccurs="0" ';
  const nillable = valueType && !member.nillable ? '' : ' nillable="true"';
  return `<xs:element ${occurs}name="${member.name}"${nillable} type="${set.qname(type)}"/>`;
}

function typeDeclaration(set: SchemaSet, name: string, type: ComplexType | EnumType | { kind: 'array'; item: TypeRef }): string {
  if (type.kind === 'enum') {
    const values = type.values.map((value) => `<xs:enumeration value="${value}"/>`).join('');
    return `<xs:simpleType name="${name}"><xs:restriction base="xs:string">${values}</xs:restriction></xs:simpleType><xs:element name="${name}" type="${set.qname(type)}"/>`;
  }
  if (type.kind === 'array') {
    const itemName = arrayItemName(type.item);
    const nillable = type.item.kind === 'complex' ? ' nillable="true"' : '';
    return `<xs:complexType name="${name}"><xs:sequence><xs:element minOccurs="0" maxOccurs="unbounded" name="${itemName}"${nillable} type="${set.qname(type.item)}"/></xs:sequence></xs:complexType><xs:element name="${name}" nillable="true" type="${set.qname(type)}"/>`;
  }
  const sequence = `<xs:sequence>${type.members.map((member) => memberElement(set, member, false)).join('')}</xs:sequence>`;
  const body = type.base
    ? `<xs:complexContent mixed="false"><xs:extension base="${set.qname(type.base)}">${sequence}</xs:extension></xs:complexContent>`
    : sequence;
  return `<xs:complexType name="${name}">${body}</xs:complexType><xs:element name="${name}" nillable="true" type="${set.qname(type)}"/>`;
}

function wrapperElements(set: SchemaSet, service: ServiceContract): string {
  const asmx = service.flavour === 'asmx';
  return service.operations
    .map((op) => {
      const params = op.params.map((param) => memberElement(set, param, asmx)).join('');
      const result = memberElement(set, { name: `${op.name}Result`, type: op.result }, asmx);
      return `<xs:element name="${op.name}"><xs:complexType><xs:sequence>${params}</xs:sequence></xs:complexType></xs:element><xs:element name="${op.name}Response"><xs:complexType><xs:sequence>${result}</xs:sequence></xs:complexType></xs:element>`;
    })
    .join('\n');
}

/** Renders one service as a single-file WSDL (inline schema per namespace, like WCF's `?singleWsdl`). */
export function renderWsdl(service: ServiceContract, address: string): string {
  const set = new SchemaSet();
  set.prefix(service.ns);
  for (const op of service.operations) {
    op.params.forEach((param) => set.add(param.type));
    set.add(op.result);
  }
  const bodies = new Map<string, string>([[service.ns, wrapperElements(set, service)]]);
  for (const [ns, types] of set.byNs) {
    const declarations = [...types].map(([name, type]) => typeDeclaration(set, name, type)).join('\n');
    bodies.set(ns, [bodies.get(ns), declarations].filter(Boolean).join('\n'));
  }
  const schemas = [...bodies].map(([ns, body]) => schema(set, ns, body));
  const serialization = schema(
    set,
    SERIALIZATION_NS,
    '<xs:simpleType name="guid"><xs:restriction base="xs:string"><xs:pattern value="[\\da-fA-F]{8}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-[\\da-fA-F]{4}-[\\da-fA-F]{12}"/></xs:restriction></xs:simpleType>',
  );
  const tns = set.prefix(service.ns);
  const asmx = service.flavour === 'asmx';
  const portType = asmx ? 'ServiceSoap' : service.name;
  const binding = asmx ? 'ServiceSoap' : `BasicHttpBinding_${service.name}`;
  const messageName = (op: string, dir: 'In' | 'Out') =>
    asmx ? `${op}Soap${dir}` : `${service.name}_${op}_${dir === 'In' ? 'InputMessage' : 'OutputMessage'}`;

  const messages = service.operations
    .map(
      (op) =>
        `<wsdl:message name="${messageName(op.name, 'In')}"><wsdl:part name="parameters" element="${tns}:${op.name}"/></wsdl:message>` +
        `<wsdl:message name="${messageName(op.name, 'Out')}"><wsdl:part name="parameters" element="${tns}:${op.name}Response"/></wsdl:message>`,
    )
    .join('\n');
  const portOperations = service.operations
    .map((op) => {
      const actions = asmx ? ['', ''] : [` wsaw:Action="${soapAction(service, op)}"`, ` wsaw:Action="${replyAction(service, op)}"`];
      return `<wsdl:operation name="${op.name}"><wsdl:input${actions[0]} message="${tns}:${messageName(op.name, 'In')}"/><wsdl:output${actions[1]} message="${tns}:${messageName(op.name, 'Out')}"/></wsdl:operation>`;
    })
    .join('\n');
  const bindingOperations = service.operations
    .map(
      (op) =>
        `<wsdl:operation name="${op.name}"><soap:operation soapAction="${soapAction(service, op)}" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
    )
    .join('\n');

  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="${service.name}" targetNamespace="${service.ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"${set.declarations()}>
<wsdl:types>
${serialization}
${schemas.join('\n')}
</wsdl:types>
${messages}
<wsdl:portType name="${portType}">
${portOperations}
</wsdl:portType>
<wsdl:binding name="${binding}" type="${tns}:${portType}"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
${bindingOperations}
</wsdl:binding>
<wsdl:service name="${service.name}"><wsdl:port name="${binding}" binding="${tns}:${binding}"><soap:address location="${address}"/></wsdl:port></wsdl:service>
</wsdl:definitions>
`;
}

function schema(set: SchemaSet, ns: string, body: string): string {
  const imports = [...set.byNs.keys(), SERIALIZATION_NS]
    .filter((other) => other !== ns)
    .map((other) => `<xs:import namespace="${other}"/>`)
    .join('');
  return `<xs:schema elementFormDefault="qualified" targetNamespace="${ns}">${imports}\n${body}</xs:schema>`;
}
