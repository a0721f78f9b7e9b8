// Validates every object of a rendered manifest (multi-document YAML on stdin) against the Kubernetes OpenAPI
// schemas and the CRD schemas of Strimzi and prometheus-operator, as packaged on npm by kubernetes-models
// (no network: the schemas ship in the packages). Prints one line per object; exits 1 when any is invalid.
//   kubectl kustomize deploy/k8s/overlays/prod | node tools/validate-k8s.mjs
// An ES module: the kubernetes-models packages are ESM only.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** Model packages by API group; the core group ("v1") lives in kubernetes-models itself. */
const PACKAGES = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const module = PACKAGES[group] ? `${PACKAGES[group]}/${group}/${version}/${kind}` : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  try {
    return (await import(module))[kind];
  } catch {
    return undefined;
  }
}

// kustomize folds a long base64 value over lines; the API server's decoder skips the line breaks, and so do we.
const unfoldSecret = (object) =>
  object.kind === 'Secret' && object.data ? { ...object, data: Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, String(value).replace(/\s+/g, '')])) } : object;

const objects = parseAllDocuments(readFileSync(0, 'utf8'))
  .map((document) => document.toJS())
  .filter(Boolean)
  .map(unfoldSecret);
let invalid = 0;
for (const object of objects) {
  const name = `${object.kind}/${object.metadata?.name}`;
  const Model = await modelFor(object.apiVersion ?? '', object.kind ?? '');
  let problem;
  if (!Model) problem = `no schema for ${object.apiVersion} ${object.kind}`;
  else {
    try {
      new Model(object).validate();
    } catch (error) {
      problem = error.message;
    }
  }
  if (problem) invalid += 1;
  process.stdout.write(`${problem ? 'INVALID' : 'valid'} ${name}${problem ? `: ${problem}` : ''}\n`);
}
process.stdout.write(`${objects.length - invalid} valid, ${invalid} invalid\n`);
process.exit(invalid === 0 && objects.length > 0 ? 0 : 1);
